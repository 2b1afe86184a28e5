import { join, resolve } from "node:path";

import {
  describeValue,
  SecurityError,
  SecurityErrorCode,
} from "../../errors.js";
import { PII_TYPES } from "../types.js";
import type { PiiType } from "../types.js";
import { verifyModel } from "../../models/verify.js";
import type { VerifyModelOptions } from "../../models/verify.js";
import { readModelFolder } from "./folder.js";
import type { ModelFolder, VerifiedBytes } from "./folder.js";
import { runRows } from "./inference.js";
import type { ClassifierSetup } from "./inference.js";
import { parseLabel } from "./labels.js";
import type { TokenLabel } from "./labels.js";
import { checkNerOptions } from "./options.js";
import type { CheckedNerOptions, LoadNerRecognizerOptions } from "./options.js";
import { createNerRecognizer } from "./recognizer.js";
import type { NerRecognizer } from "./recognizer.js";
import { loadOnnxRuntime, openSession, readSessionLayout } from "./runtime.js";
import type { OnnxRuntime, OnnxSession } from "./runtime.js";
import { readWordPieceSettings } from "./tokenizer-json.js";
import type { WordPieceSettings } from "./tokenizer-json.js";
import { WordPieceTokenizer } from "./wordpiece.js";

/** Token limit of models whose folder sets none, as in BERT. */
export const DEFAULT_MAX_LENGTH = 512;
/** Upper bound of the default window overlap, in tokens. */
const MAX_DEFAULT_OVERLAP = 64;

/** Creates the `INVALID_OPTIONS` error for one invalid option. */
export function invalidOption(
  path: string,
  value: unknown,
  message: string,
): SecurityError {
  return new SecurityError(
    SecurityErrorCode.INVALID_OPTIONS,
    `1 invalid option: ${message}`,
    { issues: [{ path, value, message }] },
  );
}

/**
 * Returns the kinds that the model's labels map to, in the order of
 * `PII_TYPES`.
 * @throws {SecurityError} `INVALID_OPTIONS` when no label maps to a kind.
 */
function reportedTypes(
  labels: readonly TokenLabel[],
  options: CheckedNerOptions,
  files: ModelFolder,
): PiiType[] {
  const kinds = new Set<PiiType>();
  for (const label of labels) {
    const kind = options.entityTypes.get(label.entity);
    if (label.prefix !== "O" && kind !== undefined) {
      kinds.add(kind);
    }
  }
  if (kinds.size === 0) {
    const entities = [...new Set(labels.map((label) => label.entity))];
    throw invalidOption(
      "entityTypes",
      Object.fromEntries(options.entityTypes),
      `None of the entity types in ${files.sources.config} (${entities.filter(Boolean).join(", ") || "only O"}) maps to a kind; map one in entityTypes, such as { NAME: "PERSON" }.`,
    );
  }
  return PII_TYPES.filter((type) => kinds.has(type));
}

/**
 * Resolves the window size and overlap from the options, the model
 * folder and the special tokens that every window repeats.
 * @throws {SecurityError} `INVALID_OPTIONS` when no text fits a window or
 * the overlap is not less than a window's text tokens.
 */
function resolveWindows(
  options: CheckedNerOptions,
  files: ModelFolder,
  settings: WordPieceSettings,
): { maxLength: number; room: number; overlap: number } {
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
  const overlap =
    options.windowOverlap ??
    Math.min(MAX_DEFAULT_OVERLAP, Math.floor(room / 4));
  if (overlap >= room) {
    throw invalidOption(
      "windowOverlap",
      overlap,
      `windowOverlap must be less than the ${room} text tokens of a window (received ${describeValue(overlap)}); lower it or raise maxLength.`,
    );
  }
  return { maxLength, room, overlap };
}

/**
 * Runs the model once on a one-token window and on a full window, so a
 * wrong label count or a `maxLength` beyond the model's limit fails here
 * and not on the first text.
 */
async function probe(
  setup: ClassifierSetup,
  settings: WordPieceSettings,
  room: number,
): Promise<void> {
  const window = (count: number): Int32Array =>
    Int32Array.from([
      ...settings.prefixIds,
      ...new Array<number>(count).fill(settings.unknownId),
      ...settings.suffixIds,
    ]);
  await runRows(setup, [window(1), window(room)]);
}

function checkFolderArgument(folder: unknown): void {
  if (typeof folder !== "string" || folder.trim() === "") {
    throw invalidOption(
      "folder",
      folder,
      `loadNerRecognizer needs the path of a model folder that contains model.onnx, tokenizer.json and config.json (received ${describeValue(folder)}).`,
    );
  }
}

/**
 * Verifies the folder when integrity options are given and returns the
 * hashed bytes by absolute path.
 */
export async function verifiedBytes(
  folder: string,
  integrity: VerifyModelOptions | undefined,
): Promise<VerifiedBytes | undefined> {
  if (integrity === undefined) {
    return undefined;
  }
  const verified = await verifyModel(folder, { ...integrity, keepBytes: true });
  const root = resolve(folder);
  return new Map(
    verified.files.flatMap((file) =>
      file.data === undefined ? [] : [[join(root, file.path), file.data]],
    ),
  );
}

/** Opens the session and checks the model against the folder's files. */
async function createSetup(
  runtime: OnnxRuntime,
  options: CheckedNerOptions,
  files: ModelFolder,
  settings: WordPieceSettings,
  room: number,
): Promise<ClassifierSetup> {
  const session: OnnxSession = await openSession(
    runtime,
    files.model,
    options.threads,
    files.sources.model,
  );
  try {
    const setup: ClassifierSetup = {
      runtime,
      session,
      layout: readSessionLayout(session, files.sources.model),
      labelCount: files.labels.length,
      prefixIds: settings.prefixIds,
      suffixIds: settings.suffixIds,
      padId: settings.padId,
      batchSize: options.batchSize,
      sources: { model: files.sources.model, config: files.sources.config },
    };
    await probe(setup, settings, room);
    return setup;
  } catch (error) {
    await session.release().catch(() => undefined);
    throw error;
  }
}

/**
 * Loads a token-classification (NER) model from a local folder in the
 * layout of a Hugging Face ONNX export: `model.onnx`, a WordPiece
 * `tokenizer.json` and `config.json` with `id2label`. Labels such as
 * `B-PER`, `I-LOC` or `B-GPE` become `PERSON` and `LOCATION` findings,
 * and other entity types are ignored unless `options.entityTypes` maps
 * them. The model runs on ONNX Runtime's CPU backend, and nothing is
 * downloaded.
 * @throws {SecurityError} `INVALID_OPTIONS` listing every invalid option,
 * `DEPENDENCY_MISSING` when `onnxruntime-node` is not installed,
 * `MODEL_INTEGRITY_FAILED` naming the file of the folder that is missing
 * or invalid; with `options.integrity`, the errors of {@link verifyModel}.
 */
export async function loadNerRecognizer(
  folder: string,
  options: LoadNerRecognizerOptions = {},
): Promise<NerRecognizer> {
  checkFolderArgument(folder);
  const checked = checkNerOptions(options);
  const runtime = await loadOnnxRuntime();
  const files = await readModelFolder(
    folder,
    await verifiedBytes(folder, checked.integrity),
  );
  const settings = readWordPieceSettings(
    files.tokenizer,
    files.sources.tokenizer,
  );
  const parsedLabels = files.labels.map(parseLabel);
  const types = reportedTypes(parsedLabels, checked, files);
  const { maxLength, room, overlap } = resolveWindows(checked, files, settings);
  const setup = await createSetup(runtime, checked, files, settings, room);
  return createNerRecognizer({
    name: checked.name,
    types,
    labels: files.labels,
    parsedLabels,
    entityTypes: checked.entityTypes,
    tokenizer: new WordPieceTokenizer(settings),
    setup,
    maxLength,
    room,
    windowOverlap: overlap,
    aggregation: checked.aggregation,
    minScore: checked.minScore,
  });
}
