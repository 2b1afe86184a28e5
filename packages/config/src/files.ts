import { readFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";

import { isScalar, LineCounter, parseDocument, visit } from "yaml";
import type { Document } from "yaml";

import { ConfigError } from "./errors.js";
import type { PlainObject } from "./paths.js";
import { isPlainObject } from "./paths.js";

/**
 * Returns the path of the environment-specific file next to a config file:
 * `config.yaml` with `production` gives `config.production.yaml`.
 */
export function environmentFilePath(file: string, environment: string) {
  const extension = extname(file);
  const stem = basename(file, extension);
  return join(dirname(file), `${stem}.${environment}${extension}`);
}

/**
 * Reads and parses a JSON (`.json`) or YAML (any other extension) config
 * file whose top level is an object. A file that is empty, or a YAML file
 * with only comments, sets no values and reads as `{}`. Returns
 * `undefined` when the file is missing and `optional` is set.
 *
 * @throws ConfigError `CONFIG_FILE_UNREADABLE` when the file cannot be read,
 *   does not parse, or its top level is not an object. Messages give the
 *   line and column but never quote the file, which may hold secrets.
 */
export async function readConfigFile(
  file: string,
  optional = false,
): Promise<PlainObject | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (optional && code === "ENOENT") {
      return undefined;
    }
    throw unreadable(file, `cannot be read (${code ?? "unknown error"})`);
  }
  if (text.trim() === "") {
    return {};
  }
  const parsed =
    extname(file).toLowerCase() === ".json"
      ? parseJson(file, text)
      : parseYaml(file, text);
  if (parsed === null && extname(file).toLowerCase() !== ".json") {
    // A YAML document with only comments or `---` has the value null.
    return {};
  }
  if (!isPlainObject(parsed)) {
    throw unreadable(file, "must contain an object at the top level");
  }
  return parsed;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw unreadable(file, "is not valid JSON; check it with a JSON linter");
  }
}

function parseYaml(file: string, text: string): unknown {
  // The parser's own duplicate-key check compares each key with every
  // earlier key of its map, which takes minutes for a map of 40,000 keys,
  // so duplicates are found here with a set instead.
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { uniqueKeys: false, lineCounter });
  const first = document.errors[0];
  if (first !== undefined) {
    const position = first.linePos?.[0];
    const where =
      position === undefined
        ? ""
        : ` at line ${position.line}, column ${position.col}`;
    throw unreadable(file, `is not valid YAML${where} (${first.code})`);
  }
  const duplicate = findDuplicateKey(document);
  if (duplicate !== undefined) {
    const { line, col } = lineCounter.linePos(duplicate);
    throw unreadable(
      file,
      `is not valid YAML at line ${line}, column ${col} (DUPLICATE_KEY); remove one of the keys`,
    );
  }
  try {
    return document.toJS() as unknown;
  } catch (error) {
    // toJS raises a ReferenceError when aliases expand past its limit
    // (100 by default), which guards against "billion laughs" files.
    throw unreadable(
      file,
      `could not be read as YAML (${(error as Error).message}); use fewer aliases`,
    );
  }
}

// Returns the offset of the first key that repeats a scalar key of the
// same map, or undefined.
function findDuplicateKey(document: Document): number | undefined {
  let offset: number | undefined;
  visit(document, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) {
          continue;
        }
        if (seen.has(pair.key.value)) {
          offset = pair.key.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(pair.key.value);
      }
      return undefined;
    },
  });
  return offset;
}

function unreadable(file: string, reason: string): ConfigError {
  return new ConfigError(
    "CONFIG_FILE_UNREADABLE",
    `config file ${file} ${reason}`,
  );
}
