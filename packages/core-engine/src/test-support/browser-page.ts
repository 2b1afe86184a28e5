// Entry of the page that the browser test bundles: it compresses with
// the built-in model on onnxruntime-web and returns what the test compares.
import * as ort from "onnxruntime-web";

import { loadOnnxEncoderFromUrl } from "../browser/index.js";
import { compress } from "../index.js";
import type { OnnxRuntime } from "../index.js";

ort.env.wasm.numThreads = 1;
ort.env.wasm.wasmPaths = "/ort/";

interface PageResult {
  readonly text: string;
  readonly spans: unknown;
  readonly encoder: unknown;
}

async function runCompression(
  text: string,
  ratio: number,
  query: string | undefined,
): Promise<PageResult> {
  const encoder = await loadOnnxEncoderFromUrl("/model/", {
    runtime: ort as unknown as OnnxRuntime,
  });
  const result = await compress(text, {
    ratio,
    encoder,
    ...(query === undefined ? {} : { query }),
  });
  return { text: result.text, spans: result.spans, encoder: result.encoder };
}

(globalThis as { runCompression?: typeof runCompression }).runCompression =
  runCompression;
