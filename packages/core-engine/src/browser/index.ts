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
  /**
   * Passed to `fetch`, for credentials or an `AbortSignal`. Without a
   * signal, loading waits as long as the server does.
   */
  readonly fetchOptions?: RequestInit;
}

function invalidModel(message: string, cause?: unknown): CoreEngineError {
  return new CoreEngineError(
    CoreEngineErrorCode.INVALID_MODEL,
    message,
    cause === undefined ? {} : { cause },
  );
}

function failure(url: URL, error: unknown, problem: string): CoreEngineError {
  if (
    error instanceof Error &&
    ["AbortError", "TimeoutError"].includes(error.name)
  ) {
    return new CoreEngineError(
      CoreEngineErrorCode.ABORTED,
      `Loading ${url.href} was aborted by its AbortSignal.`,
      { cause: error },
    );
  }
  return invalidModel(
    `${url.href} ${problem} (${error instanceof Error ? error.message : String(error)}); check that the model folder is served at that address.`,
    error,
  );
}

/** Fetches a file and reads its whole body, with errors that name the address. */
async function fetchBody<T>(
  url: URL,
  init: RequestInit | undefined,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw failure(url, error, "could not be fetched");
  }
  if (!response.ok) {
    throw invalidModel(
      `${url.href} returned HTTP status ${response.status}; serve the model folder (model.onnx, tokenizer.json, encoder.json) at that address.`,
    );
  }
  try {
    return await read(response);
  } catch (error) {
    throw failure(url, error, "was cut off while downloading");
  }
}

async function fetchJson(
  url: URL,
  init: RequestInit | undefined,
): Promise<unknown> {
  const text = await fetchBody(url, init, (response) => response.text());
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
 * Resolves the folder address: relative to the page in a browser, with a
 * slash added to its path (not after its query) so files resolve inside it.
 */
function folderUrl(baseUrl: string | URL): URL {
  let base: URL;
  try {
    // In a page, relative addresses resolve against the page's address.
    base = new URL(
      String(baseUrl),
      (globalThis as { location?: { href: string } }).location?.href,
    );
  } catch (error) {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_OPTIONS,
      `baseUrl "${String(baseUrl)}" is not a valid address; pass an absolute URL, or a relative one inside a page.`,
      { cause: error },
    );
  }
  if (!base.pathname.endsWith("/")) {
    base.pathname = `${base.pathname}/`;
  }
  return base;
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
  const base = folderUrl(baseUrl);
  const init = options.fetchOptions;
  // Files keep the folder's query, such as an access token.
  const fileUrl = (name: string): URL => {
    const url = new URL(name, base);
    url.search = base.search;
    return url;
  };
  const modelUrl = fileUrl("model.onnx");
  const tokenizerUrl = fileUrl("tokenizer.json");
  const configUrl = fileUrl("encoder.json");
  const [model, tokenizer, config, runtime] = await Promise.all([
    fetchBody(
      modelUrl,
      init,
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
