import { readFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";

import { parseDocument } from "yaml";

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
 * file whose top level is an object. Returns `undefined` when the file is
 * missing and `optional` is set.
 *
 * @throws ConfigError `CONFIG_FILE_UNREADABLE` when the file cannot be read,
 *   is empty, does not parse, or its top level is not an object. Messages
 *   give the line and column but never quote the file, which may hold secrets.
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
    // An empty file is most often a write in progress, so it is rejected
    // instead of being read as an empty config.
    throw unreadable(file, "is empty; write {} for a file that sets nothing");
  }
  const parsed =
    extname(file).toLowerCase() === ".json"
      ? parseJson(file, text)
      : parseYaml(file, text);
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
  const document = parseDocument(text, { uniqueKeys: true });
  const first = document.errors[0];
  if (first !== undefined) {
    const position = first.linePos?.[0];
    const where =
      position === undefined
        ? ""
        : ` at line ${position.line}, column ${position.col}`;
    throw unreadable(file, `is not valid YAML${where} (${first.code})`);
  }
  return document.toJS() as unknown;
}

function unreadable(file: string, reason: string): ConfigError {
  return new ConfigError(
    "CONFIG_FILE_UNREADABLE",
    `config file ${file} ${reason}`,
  );
}
