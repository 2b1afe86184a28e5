import {
  describeValue,
  SecurityError,
  SecurityErrorCode,
} from "../../errors.js";
import { checkDetectOptions, detectWithOptions } from "../detect.js";
import type { DetectPiiOptions } from "../detect.js";
import { PII_TYPES } from "../types.js";
import type { PiiFinding, PiiType, Recognizer } from "../types.js";
import type { NerRecognizer } from "./recognizer.js";

/** Options of {@link detectPiiWithModel}. */
export interface DetectPiiWithModelOptions extends DetectPiiOptions {
  /** Recognizers whose models run on the text before detection. */
  readonly models: readonly NerRecognizer[];
}

function isModelRecognizer(value: unknown): value is NerRecognizer {
  const candidate = value as Partial<NerRecognizer> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.name === "string" &&
    typeof candidate.recognize === "function" &&
    Array.isArray(candidate.types)
  );
}

function checkModels(options: unknown): readonly NerRecognizer[] {
  const models = (options as { models?: unknown }).models;
  if (!Array.isArray(models) || !models.every(isModelRecognizer)) {
    const message = `models must be a list of recognizers from loadNerRecognizer (received ${describeValue(models)}).`;
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `1 invalid option: ${message}`,
      { issues: [{ path: "models", value: models, message }] },
    );
  }
  return models;
}

/** A recognizer that returns findings already computed for `text`. */
function fixedRecognizer(
  model: NerRecognizer,
  findings: readonly PiiFinding[],
): Recognizer {
  return {
    name: model.name,
    types: model.types,
    find: () => [...findings],
  };
}

/**
 * Runs the models of token-classification recognizers on a text, then
 * {@link detectPii} with their findings added to the rule-based ones, so
 * the same overlap resolution applies: a model's names and places yield
 * to every checked kind such as an e-mail address. Models whose kinds
 * are not requested in `options.types` do not run.
 * @throws {SecurityError} `INVALID_INPUT` when `text` is not a string,
 * `INVALID_OPTIONS` listing invalid options, and the errors of
 * {@link NerRecognizer.recognize}.
 */
export async function detectPiiWithModel(
  text: string,
  options: DetectPiiWithModelOptions,
): Promise<PiiFinding[]> {
  const input: unknown = text;
  if (typeof input !== "string") {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `detectPiiWithModel takes the text as a string (received ${describeValue(input)}).`,
    );
  }
  const checked = checkDetectOptions(options, ["models"]);
  const models = checkModels(options);
  const requested = new Set<PiiType>(checked.types ?? PII_TYPES);
  const running = models.filter((model) =>
    model.types.some((type) => requested.has(type)),
  );
  const results = await Promise.all(
    running.map((model) => model.recognize(text)),
  );
  const fixed = running.map((model, index) =>
    fixedRecognizer(model, results[index] ?? []),
  );
  return detectWithOptions(text, {
    ...checked,
    recognizers: [...(checked.recognizers ?? []), ...fixed],
  });
}
