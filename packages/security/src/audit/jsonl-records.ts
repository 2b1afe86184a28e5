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
  const index = readableIndex(line.text);
  return {
    malformed: parsed,
    location,
    ...(index === undefined ? {} : { index }),
  };
}

/**
 * Finds the `index` of a record that is not valid, for the message. The
 * digits must end at a delimiter, so `1e300`, `3.5` and a number cut off
 * at the end of a torn line give no index.
 */
function readableIndex(text: string): number | undefined {
  const digits = /"index":(0|[1-9]\d*)(?=[\s,}])/u.exec(text)?.[1];
  const index = Number(digits);
  return digits !== undefined && Number.isSafeInteger(index)
    ? index
    : undefined;
}

/**
 * Parses a line and checks it with `parse`. A line must be exactly the
 * `JSON.stringify` output that the store writes, apart from a carriage
 * return before the line feed. So a duplicated key, which `JSON.parse`
 * resolves to its last value while other tools show the first, makes the
 * record invalid.
 */
function parseLine<T>(
  line: FileLine,
  parse: (value: unknown) => T | string,
): T | string {
  const text = line.text.endsWith("\r") ? line.text.slice(0, -1) : line.text;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return line.complete
      ? "the line is not valid JSON"
      : "the last line is cut off before its end";
  }
  const parsed = parse(value);
  if (typeof parsed !== "string" && JSON.stringify(value) !== text) {
    return "the line is not the JSON text that the store writes: a key appears twice, or spacing or escapes were changed";
  }
  return parsed;
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
