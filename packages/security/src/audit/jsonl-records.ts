import { SecurityError, SecurityErrorCode } from "../errors.js";
import type { FileLine } from "./jsonl-file.js";
import { parseCheckpoint, parseEntry } from "./records.js";
import type { StoredCheckpointRecord, StoredEntryRecord } from "./types.js";

/** Reads one line of the entry file as a record. */
export function toEntryRecord(line: FileLine): StoredEntryRecord {
  const location = `line ${line.number}`;
  const parsed = parseLine(line, parseEntry);
  return typeof parsed === "string"
    ? { malformed: parsed, torn: !line.complete, location }
    : { entry: parsed, location };
}

/** Reads one line of the checkpoint file as a record. */
export function toCheckpointRecord(line: FileLine): StoredCheckpointRecord {
  const location = `checkpoint line ${line.number}`;
  const parsed = parseLine(line, parseCheckpoint);
  if (typeof parsed !== "string") {
    return { checkpoint: parsed, location };
  }
  const index = /"index":(\d+)/u.exec(line.text)?.[1];
  return {
    malformed: parsed,
    location,
    ...(index === undefined ? {} : { index: Number(index) }),
  };
}

function parseLine<T>(
  line: FileLine,
  parse: (value: unknown) => T | string,
): T | string {
  try {
    return parse(JSON.parse(line.text));
  } catch {
    return line.complete
      ? "the line is not valid JSON"
      : "the last line is cut off before its end";
  }
}

/**
 * Builds the AUDIT_TAMPERED error for a file whose last line is not a
 * valid record, with the command that makes it appendable again.
 */
export function unusableTail(
  file: string,
  line: FileLine,
  reason: string,
): Error {
  const fix = line.complete
    ? `Run \`rfcc-audit verify --jsonl ${file}\` and restore the file from a backup.`
    : `Inspect it, then cut the file there (truncate -s ${line.offset} ${file}) to append again.`;
  return new SecurityError(
    SecurityErrorCode.AUDIT_TAMPERED,
    `The audit file ${file} ends with an invalid record at line ` +
      `${line.number} (byte ${line.offset}): ${reason}. ${fix}`,
  );
}
