import { parseOnnxEncoderConfig } from "../encoder/onnx-config.js";
import { OnnxEncoder } from "../encoder/onnx-encoder.js";
import type { OnnxRuntime } from "../encoder/onnx-encoder.js";
import { CoreEngineError, CoreEngineErrorCode } from "../errors.js";

/** Options of {@link loadOnnxEncoderFromUrl}. */
export interface LoadFromUrlOptions {
  /** Texts or windows per model call. @default 32 */
  readonly batchSize?: number;
  /**
   * The ONNX Runtime to use. By default `onnxruntime-web` is imported,
   * which runs the model with WebAssembly. Set its `env.wasm.wasmPaths`
   * first when its `.wasm` files are not served next to the page's code.
   */
  readonly runtime?: OnnxRuntime;
  /** Passed to `fetch`, for credentials or an `AbortSignal`. */
  readonly fetchOptions?: RequestInit;
}

function invalidModel(message: string, cause?: unknown): CoreEngineError {
  return new CoreEngineError(
    CoreEngineErrorCode.INVALID_MODEL,
    message,
    cause === undefined ? {} : { cause },
  );
}

async function fetchFile(
  url: URL,
  init: RequestInit | undefined,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw invalidModel(
      `${url.href} could not be fetched (${error instanceof Error ? error.message : String(error)}); check that the model folder is served at that address.`,
      error,
    );
  }
  if (!response.ok) {
    throw invalidModel(
      `${url.href} returned HTTP status ${response.status}; serve the model folder (model.onnx, tokenizer.json, encoder.json) at that address.`,
    );
  }
  return response;
}

async function fetchJson(
  url: URL,
  init: RequestInit | undefined,
): Promise<unknown> {
  const text = await (await fetchFile(url, init)).text();
  try {
    return JSON.parse(text.replace(/^\uFEFF/u, "")) as unknown;
  } catch (error) {
    throw invalidModel(
      `${url.href} is not valid JSON (${error instanceof Error ? error.message : String(error)}); serve the file saved with the model.`,
      error,
    );
  }
}

/**
 * Loads a sentence encoder in a browser from a served model folder:
 * `model.onnx`, `tokenizer.json` and `encoder.json` under `baseUrl`. The
 * model runs on onnxruntime-web's WebAssembly backend, so it gives the
 * same results as `loadOnnxEncoder` in Node.js up to float rounding.
 * @throws {CoreEngineError} `INVALID_MODEL` naming the address at fault.
 */
export async function loadOnnxEncoderFromUrl(
  baseUrl: string | URL,
  options: LoadFromUrlOptions = {},
): Promise<OnnxEncoder> {
  const base = new URL(
    String(baseUrl).endsWith("/") ? String(baseUrl) : `${String(baseUrl)}/`,
    // In a page, relative addresses resolve against the page's address.
    (globalThis as { location?: { href: string } }).location?.href,
  );
  const init = options.fetchOptions;
  const modelUrl = new URL("model.onnx", base);
  const tokenizerUrl = new URL("tokenizer.json", base);
  const configUrl = new URL("encoder.json", base);
  const [model, tokenizer, config, runtime] = await Promise.all([
    fetchFile(modelUrl, init).then(
      async (response) => new Uint8Array(await response.arrayBuffer()),
    ),
    fetchJson(tokenizerUrl, init),
    fetchJson(configUrl, init),
    options.runtime ?? (import("onnxruntime-web") as Promise<OnnxRuntime>),
  ]);
  return OnnxEncoder.create({
    runtime,
    model,
    tokenizer,
    config: parseOnnxEncoderConfig(config, configUrl.href, "unnamed"),
    sources: {
      model: modelUrl.href,
      tokenizer: tokenizerUrl.href,
      config: configUrl.href,
    },
    ...(options.batchSize === undefined
      ? {}
      : { batchSize: options.batchSize }),
  });
}
