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
  const issues = models.flatMap((model, index) =>
    model.types
      .filter((type) => !(PII_TYPES as readonly unknown[]).includes(type))
      .map((type) => ({
        path: `models[${String(index)}].types`,
        value: type,
        message: `Model recognizer "${model.name}" declares the type ${describeValue(type)}, which is not a kind of personal data; use ${PII_TYPES.join(", ")}.`,
      })),
  );
  if (issues.length > 0) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_OPTIONS,
      `${issues.length} invalid option${issues.length === 1 ? "" : "s"}: ${issues.map((issue) => issue.message).join(" ")}`,
      { issues },
    );
  }
  return models;
}

/**
 * Runs one model and checks that it returned a list; the findings in it
 * are checked later with those of every other recognizer.
 * @throws {SecurityError} `INVALID_INPUT` when the result is not a list.
 */
async function recognizeWith(
  model: NerRecognizer,
  text: string,
): Promise<PiiFinding[]> {
  const found: unknown = await model.recognize(text);
  if (!Array.isArray(found)) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `Model recognizer "${model.name}" returned ${describeValue(found)}; recognize must return a list of findings, empty when it finds nothing.`,
    );
  }
  return found as PiiFinding[];
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
 * @throws {SecurityError} `INVALID_INPUT` when `text` is not a string or
 * a model returns anything but findings of the text of its declared
 * types. `INVALID_OPTIONS` listing invalid options, such as a model
 * type that is not one of {@link PII_TYPES}. The errors of
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
    running.map((model) => recognizeWith(model, text)),
  );
  const fixed = running.map((model, index) =>
    fixedRecognizer(model, results[index] ?? []),
  );
  return detectWithOptions(text, {
    ...checked,
    recognizers: [...(checked.recognizers ?? []), ...fixed],
  });
}
