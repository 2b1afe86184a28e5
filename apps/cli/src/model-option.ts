import type { Encoder } from "@retrieval-free/core-engine";
import { loadOnnxEncoder } from "@retrieval-free/core-engine/node";
import { Option } from "commander";

import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";

/** Creates the `--model DIR` option shared by `compress` and `route`. */
export function modelOption(purpose: string): Option {
  return new Option(
    "--model <DIR>",
    `folder of an ONNX sentence encoder (model.onnx, tokenizer.json and encoder.json or a sentence-transformers pooling config) to ${purpose} instead of the built-in hashing encoder`,
  );
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
  return directory === undefined ? undefined : loadOnnxEncoder(directory);
}
