import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

import { BenchError, BenchErrorCode } from "./errors.js";

/**
 * Reads a JSON Lines file and passes each non-empty line, parsed, to
 * `parse`, which returns the typed row or throws on a wrong shape.
 * @throws {BenchError} `INVALID_DATA` naming the file and line of the
 * first line that is not JSON or that `parse` rejects.
 */
export async function readJsonLines<T>(
  path: string,
  parse: (value: unknown) => T,
): Promise<T[]> {
  const lines = createInterface({
    input: createReadStream(path, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const rows: T[] = [];
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === "") {
      continue;
    }
    try {
      rows.push(parse(JSON.parse(line)));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new BenchError(
        BenchErrorCode.INVALID_DATA,
        `Line ${lineNumber} of ${path} is invalid: ${reason}`,
        { cause: error },
      );
    }
  }
  return rows;
}
