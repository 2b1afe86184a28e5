import { SecurityError, SecurityErrorCode } from "../../errors.js";
import {
  modelFolderError,
  reasonOf,
  TOKEN_CLASSIFICATION,
} from "./model-error.js";
import type { ModelTask } from "./model-error.js";

/** A tensor as ONNX Runtime passes it in and out of a session. */
export interface OnnxTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** The part of an ONNX Runtime inference session that the recognizer uses. */
export interface OnnxSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly inputMetadata?: readonly {
    readonly name: string;
    readonly isTensor: boolean;
    readonly type?: string;
  }[];
  run(feeds: Record<string, OnnxTensor>): Promise<Record<string, OnnxTensor>>;
  release(): Promise<void>;
}

/** The part of the `onnxruntime-node` module that the recognizer uses. */
export interface OnnxRuntime {
  readonly InferenceSession: {
    create(
      model: Uint8Array,
      options: {
        readonly intraOpNumThreads: number;
        readonly interOpNumThreads: number;
        readonly graphOptimizationLevel: "all";
        readonly logSeverityLevel: 4;
      },
    ): Promise<OnnxSession>;
  };
  readonly Tensor: new (
    type: "int32" | "int64",
    data: Int32Array | BigInt64Array,
    dims: readonly number[],
  ) => OnnxTensor;
}

/** Inputs and output of a classification graph. */
export interface SessionLayout {
  readonly idType: "int32" | "int64";
  readonly attentionMask: boolean;
  readonly tokenTypes: boolean;
  /**
   * Output with the label scores: `[batch, tokens, labels]` for token
   * classification, `[batch, labels]` for sequence classification.
   */
  readonly output: string;
}

const INSTALL_HINT =
  "install it next to @retrieval-free/security with `npm install onnxruntime-node@~1.31.1` (or `pnpm add onnxruntime-node@~1.31.1`)";

const KNOWN_INPUTS = ["input_ids", "attention_mask", "token_type_ids"];

function importOnnxRuntime(): Promise<unknown> {
  return import("onnxruntime-node");
}

/**
 * Loads `onnxruntime-node`, an optional peer dependency, so the rest of
 * the package works without it.
 * @param importModule Replaces the dynamic import in tests.
 * @param task Names the loader in the error message.
 * @throws {SecurityError} `DEPENDENCY_MISSING` with the install command
 * when the module is absent or cannot load on this platform.
 */
export async function loadOnnxRuntime(
  importModule: () => Promise<unknown> = importOnnxRuntime,
  task: ModelTask = TOKEN_CLASSIFICATION,
): Promise<OnnxRuntime> {
  let loaded: unknown;
  try {
    loaded = await importModule();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message =
      code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND"
        ? `${task.loader} needs the optional peer dependency onnxruntime-node, which is not installed; ${INSTALL_HINT}.`
        : `onnxruntime-node could not be loaded (${reasonOf(error)}); reinstall it, or ${INSTALL_HINT}.`;
    throw new SecurityError(SecurityErrorCode.DEPENDENCY_MISSING, message, {
      cause: error,
    });
  }
  const runtime = loaded as Partial<OnnxRuntime> | null;
  if (
    typeof runtime?.InferenceSession?.create !== "function" ||
    typeof runtime.Tensor !== "function"
  ) {
    throw new SecurityError(
      SecurityErrorCode.DEPENDENCY_MISSING,
      `The installed onnxruntime-node has no InferenceSession or Tensor; ${INSTALL_HINT}.`,
    );
  }
  return runtime as OnnxRuntime;
}

/**
 * Opens an inference session on the model bytes.
 * @param task Names the export that the message asks for.
 * @throws {SecurityError} `MODEL_INTEGRITY_FAILED` naming `source` when
 * ONNX Runtime cannot load the model.
 */
export async function openSession(
  runtime: OnnxRuntime,
  model: Uint8Array,
  threads: number,
  source: string,
  task: ModelTask = TOKEN_CLASSIFICATION,
): Promise<OnnxSession> {
  try {
    return await runtime.InferenceSession.create(model, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: "all",
      // Failures reach the caller as errors, so ONNX Runtime's own log
      // lines would only repeat them on standard error.
      logSeverityLevel: 4,
    });
  } catch (error) {
    throw modelFolderError(
      `${source} could not be loaded by ONNX Runtime (${reasonOf(error)}); check that it is a complete ONNX model file exported for ${task.task}.`,
      error,
    );
  }
}

/**
 * Checks that a session takes `input_ids` (and optionally
 * `attention_mask` and `token_type_ids`) and finds the output with the
 * label scores: `logits`, or the only output.
 * @param task Names the loader and the export in error messages.
 * @throws {SecurityError} `MODEL_INTEGRITY_FAILED` naming `source`.
 */
export function readSessionLayout(
  session: OnnxSession,
  source: string,
  task: ModelTask = TOKEN_CLASSIFICATION,
): SessionLayout {
  const names = session.inputNames;
  const unknown = names.filter((name) => !KNOWN_INPUTS.includes(name));
  if (!names.includes("input_ids") || unknown.length > 0) {
    throw modelFolderError(
      `${source} has inputs [${names.join(", ")}], but a ${task.model} needs input_ids and may add only attention_mask and token_type_ids; export the model for ${task.task}.`,
    );
  }
  const idType = session.inputMetadata?.find(
    (entry) => entry.name === "input_ids",
  )?.type;
  if (idType !== undefined && idType !== "int64" && idType !== "int32") {
    throw modelFolderError(
      `${source} takes input_ids of type ${idType}; ${task.loader} supports int64 and int32 token ids.`,
    );
  }
  const outputs = session.outputNames;
  const output = outputs.includes("logits")
    ? "logits"
    : outputs.length === 1
      ? outputs[0]
      : undefined;
  if (output === undefined) {
    throw modelFolderError(
      `${source} has outputs [${outputs.join(", ")}] and none named "logits"; export the model for ${task.task}, whose output is "logits".`,
    );
  }
  return {
    idType: idType === "int32" ? "int32" : "int64",
    attentionMask: names.includes("attention_mask"),
    tokenTypes: names.includes("token_type_ids"),
    output,
  };
}
