import { describeValue } from "../../errors.js";
import { readModelFolder } from "../../pii/model/folder.js";
import type { ModelFolder } from "../../pii/model/folder.js";
import type { ClassifierSetup } from "../../pii/model/inference.js";
import {
  DEFAULT_MAX_LENGTH,
  invalidOption,
  verifiedBytes,
} from "../../pii/model/load.js";
import type { ModelTask } from "../../pii/model/model-error.js";
import {
  loadOnnxRuntime,
  openSession,
  readSessionLayout,
} from "../../pii/model/runtime.js";
import type { OnnxRuntime } from "../../pii/model/runtime.js";
import { readWordPieceSettings } from "../../pii/model/tokenizer-json.js";
import type { WordPieceSettings } from "../../pii/model/tokenizer-json.js";
import { WordPieceTokenizer } from "../../pii/model/wordpiece.js";
import { createThreatClassifier } from "./classifier.js";
import type { OnnxThreatClassifier } from "./classifier.js";
import { runSentenceRows } from "./inference.js";
import { selectThreatLabels } from "./labels.js";
import { checkThreatOptions } from "./options.js";
import type {
  CheckedThreatOptions,
  LoadThreatClassifierOptions,
} from "./options.js";

/** Loader and task names that the shared model-folder code puts in errors. */
export const TEXT_CLASSIFICATION: ModelTask = {
  loader: "loadThreatClassifier",
  task: "text classification",
  model: "text classifier",
  exampleLabel: "INJECTION",
};

function checkFolderArgument(folder: unknown): void {
  if (typeof folder !== "string" || folder.trim() === "") {
    throw invalidOption(
      "folder",
      folder,
      `loadThreatClassifier needs the path of a model folder that contains model.onnx, tokenizer.json and config.json (received ${describeValue(folder)}).`,
    );
  }
}

/**
 * Resolves the token limit from the options and the model folder, and
 * the text tokens that fit between the special tokens.
 * @throws {SecurityError} `INVALID_OPTIONS` when no text fits.
 */
function resolveLength(
  options: CheckedThreatOptions,
  files: ModelFolder,
  settings: WordPieceSettings,
): { maxLength: number; room: number } {
  const maxLength = options.maxLength ?? files.maxLength ?? DEFAULT_MAX_LENGTH;
  const specials = settings.prefixIds.length + settings.suffixIds.length;
  const room = maxLength - specials;
  if (room < 1) {
    throw invalidOption(
      "maxLength",
      maxLength,
      `maxLength ${maxLength} leaves no room for text between the tokenizer's ${specials} special tokens; raise maxLength.`,
    );
  }
  return { maxLength, room };
}

/**
 * Runs the model once on a one-token sentence and on a sentence of the
 * full length, so that a wrong label count or a `maxLength` beyond the
 * model's limit fails here and not on the first scan.
 */
async function probe(
  setup: ClassifierSetup,
  settings: WordPieceSettings,
  room: number,
): Promise<void> {
  const row = (count: number): Int32Array =>
    Int32Array.from([
      ...settings.prefixIds,
      ...new Array<number>(count).fill(settings.unknownId),
      ...settings.suffixIds,
    ]);
  await runSentenceRows(setup, [row(1), row(room)]);
}

/** Opens the session and checks the model against the folder's files. */
async function createSetup(
  runtime: OnnxRuntime,
  options: CheckedThreatOptions,
  files: ModelFolder,
  settings: WordPieceSettings,
  room: number,
): Promise<ClassifierSetup> {
  const source = files.sources.model;
  const session = await openSession(
    runtime,
    files.model,
    options.threads,
    source,
    TEXT_CLASSIFICATION,
  );
  try {
    const setup: ClassifierSetup = {
      runtime,
      session,
      layout: readSessionLayout(session, source, TEXT_CLASSIFICATION),
      labelCount: files.labels.length,
      prefixIds: settings.prefixIds,
      suffixIds: settings.suffixIds,
      padId: settings.padId,
      batchSize: options.batchSize,
      sources: { model: source, config: files.sources.config },
    };
    await probe(setup, settings, room);
    return setup;
  } catch (error) {
    await session.release().catch(() => undefined);
    throw error;
  }
}

/**
 * Loads a text-classification model, such as a prompt-injection
 * detector, from a local folder in the layout of a Hugging Face ONNX
 * export: `model.onnx`, a WordPiece `tokenizer.json` and `config.json`
 * with `id2label`. The returned classifier scores each sentence with the
 * summed softmax probability of the threat labels (the sigmoid of the
 * logit for a model with one output), and `scanThreatsAsync` takes it as
 * its `classifier`. The model runs on ONNX Runtime's CPU backend, and
 * nothing is downloaded. Call `close` when done.
 * @throws {SecurityError} `INVALID_OPTIONS` listing every invalid option,
 * also when `threatLabels` does not fit the model's labels.
 * `DEPENDENCY_MISSING` when `onnxruntime-node` is not installed.
 * `MODEL_INTEGRITY_FAILED` naming the file of the folder that is missing
 * or invalid. With `options.integrity`, also the errors of `verifyModel`.
 */
export async function loadThreatClassifier(
  folder: string,
  options: LoadThreatClassifierOptions = {},
): Promise<OnnxThreatClassifier> {
  checkFolderArgument(folder);
  const checked = checkThreatOptions(options);
  const runtime = await loadOnnxRuntime(undefined, TEXT_CLASSIFICATION);
  const files = await readModelFolder(
    folder,
    await verifiedBytes(folder, checked.integrity),
    TEXT_CLASSIFICATION,
  );
  const settings = readWordPieceSettings(
    files.tokenizer,
    files.sources.tokenizer,
    TEXT_CLASSIFICATION,
  );
  const threatIndexes = selectThreatLabels(
    files.labels,
    checked.threatLabels,
    files.sources.config,
  );
  const { maxLength, room } = resolveLength(checked, files, settings);
  const setup = await createSetup(runtime, checked, files, settings, room);
  return createThreatClassifier({
    name: checked.name,
    labels: files.labels,
    threatIndexes,
    tokenizer: new WordPieceTokenizer(settings),
    setup,
    maxLength,
    room,
  });
}
