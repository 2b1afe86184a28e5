import type { Encoder } from "@retrieval-free/core-engine";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";

import {
  loadBuiltInEncoder,
  loadOnnxEncoder,
} from "@retrieval-free/core-engine/node";
import { Option } from "commander";

import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";

/** Creates the `--model DIR` option shared by `compress` and `route`. */
export function modelOption(description: string): Option {
  return new Option("--model <DIR>", description);
}

/** Loads the encoder named by `--model`, or returns undefined without one. */
export async function loadModelOption(
  directory: string | undefined,
): Promise<Encoder | undefined> {
  if (directory === "") {
    throw new CliError(
      ExitCode.USAGE_ERROR,
      "--model needs the path of a model folder, such as --model ./models/bge-small.",
    );
  }
  if (directory === undefined) {
    return undefined;
  }
  // A folder that ships a manifest, such as the built-in model's, is
  // checked against it before it is loaded.
  return existsSync(join(directory, "manifest.json"))
    ? loadBuiltInEncoder({}, resolve(directory))
    : loadOnnxEncoder(directory);
}
