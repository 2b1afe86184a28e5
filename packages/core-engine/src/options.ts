import { z } from "zod";

import type { Encoder } from "./encoder/encoder.js";
import type { ValidationIssue } from "./errors.js";
import { CoreEngineError, CoreEngineErrorCode } from "./errors.js";
import { PROTECTED_CLASSES } from "./segment/protected.js";
import type { ProtectedClass } from "./segment/protected.js";
import { BUILT_IN_TOKENIZERS } from "./tokenizer.js";
import type { BuiltInTokenizerName, CustomTokenCounter } from "./tokenizer.js";
import type { WordInformation } from "./text/word-information.js";
import type { CompressOptions, Granularity, ProgressEvent } from "./types.js";

/** Options after validation and defaults. */
export interface ResolvedOptions {
  readonly ratio: number | undefined;
  readonly targetTokens: number | undefined;
  readonly query: string | undefined;
  readonly tokenizer: BuiltInTokenizerName | CustomTokenCounter;
  readonly preserve: readonly (RegExp | ProtectedClass)[];
  readonly separator: string | undefined;
  readonly documentSeparator: string;
  readonly encoder: Encoder | "none" | "hashing" | undefined;
  readonly megaTokens: boolean;
  readonly granularity: Granularity;
  readonly wordInformation: WordInformation | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((event: ProgressEvent) => void) | undefined;
}

const OPTION_NAMES = [
  "ratio",
  "targetTokens",
  "query",
  "tokenizer",
  "preserve",
  "separator",
  "documentSeparator",
  "encoder",
  "megaTokens",
  "granularity",
  "wordInformation",
  "signal",
  "onProgress",
] as const;

/** Renders a received value for an error message, cut to a readable size. */
export function describeValue(value: unknown): string {
  if (typeof value === "function") {
    return "a function";
  }
  if (value instanceof RegExp) {
    return String(value);
  }
  if (typeof value === "number") {
    return String(value);
  }
  if (typeof value === "bigint") {
    return `${String(value)}n`;
  }
  if (
    value instanceof Number ||
    value instanceof String ||
    value instanceof Boolean
  ) {
    return `a ${value.constructor.name} object (${String(value.valueOf())})`;
  }
  let text: string;
  try {
    // JSON.stringify returns undefined for undefined and symbols.
    const json = JSON.stringify(value) as string | undefined;
    text = json ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const isFunction = (value: unknown): boolean => typeof value === "function";

/** Tells whether every entry maps a word to a finite number of bits of at least 0. */
function isBitsMap(map: Map<unknown, unknown>): boolean {
  for (const [word, bits] of map) {
    if (
      typeof word !== "string" ||
      typeof bits !== "number" ||
      !Number.isFinite(bits) ||
      bits < 0
    ) {
      return false;
    }
  }
  return true;
}

const tokenCounterObject = z.looseObject({
  name: z.string(),
  count: z.custom<(text: string) => number>(isFunction),
});

const encoderObject = z.looseObject({
  id: z.string().min(1),
  dimension: z.number().int().positive(),
  encode: z.custom<Encoder["encode"]>(isFunction),
  name: z.string().optional(),
  version: z.string().optional(),
});

const schema = z.strictObject({
  ratio: z
    .number()
    .refine((value) => Number.isFinite(value) && value > 1)
    .optional(),
  targetTokens: z
    .number()
    .refine((value) => Number.isInteger(value) && value > 0)
    .optional(),
  query: z.string().optional(),
  tokenizer: z
    .union([
      z.enum(BUILT_IN_TOKENIZERS as [BuiltInTokenizerName]),
      z.custom<(text: string) => number>(isFunction),
      tokenCounterObject,
    ])
    .optional(),
  preserve: z
    .array(
      z.union([
        z.instanceof(RegExp),
        z.enum(PROTECTED_CLASSES as readonly string[] as [ProtectedClass]),
      ]),
    )
    .optional(),
  separator: z.string().optional(),
  documentSeparator: z.string().optional(),
  encoder: z
    .union([encoderObject, z.literal("none"), z.literal("hashing")])
    .optional(),
  megaTokens: z.boolean().optional(),
  granularity: z.enum(["sentence", "token"]).optional(),
  wordInformation: z
    .looseObject({
      bits: z.instanceof(Map).refine(isBitsMap),
      unknownBits: z
        .number()
        .refine((value) => Number.isFinite(value) && value >= 0),
    })
    .optional(),
  signal: z.instanceof(AbortSignal).optional(),
  onProgress: z.custom<(event: ProgressEvent) => void>(isFunction).optional(),
});

const FIXES: Record<string, (value: unknown) => string> = {
  ratio: (value) =>
    `ratio must be a finite number greater than 1 (received ${describeValue(value)}). Pass 4 to keep about a quarter of the tokens, or use targetTokens for an absolute budget.`,
  targetTokens: (value) =>
    `targetTokens must be a whole number greater than 0 (received ${describeValue(value)}). Pass the token budget of the whole output, such as 2000.`,
  query: (value) =>
    `query must be a string (received ${describeValue(value)}). Pass the question as text, or leave query out for generic compression.`,
  tokenizer: (value) =>
    `tokenizer must be ${BUILT_IN_TOKENIZERS.map((name) => `"${name}"`).join(" or ")}, a function from text to a token count, or an object { name, count } (received ${describeValue(value)}).`,
  preserve: (value) =>
    `preserve must be a list of regular expressions and class names (received ${describeValue(value)}). Classes: ${PROTECTED_CLASSES.join(", ")}.`,
  preserveItem: (value) =>
    `Each preserve entry must be a RegExp or one of ${PROTECTED_CLASSES.join(", ")} (received ${describeValue(value)}).`,
  separator: (value) =>
    `separator must be a string (received ${describeValue(value)}). Pass the marker for left-out text, such as " … ".`,
  documentSeparator: (value) =>
    `documentSeparator must be a string (received ${describeValue(value)}), such as "\\n\\n".`,
  encoder: (value) =>
    `encoder must be an object { id, dimension, encode(texts) } with optional string name and version, "hashing" for the hashing encoder, or "none" for lexical scoring only (received ${describeValue(value)}). Leave it out for the default encoder.`,
  megaTokens: (value) =>
    `megaTokens must be true or false (received ${describeValue(value)}).`,
  granularity: (value) =>
    `granularity must be "sentence" or "token" (received ${describeValue(value)}). "token" also removes low-information words inside kept sentences.`,
  wordInformation: (value) =>
    `wordInformation must be an object { bits: Map from words to finite numbers of bits of at least 0, unknownBits: such a number } (received ${describeValue(value)}); build it with parseWordInformation.`,
  signal: (value) =>
    `signal must be an AbortSignal (received ${describeValue(value)}), such as AbortSignal.timeout(5000).`,
  onProgress: (value) =>
    `onProgress must be a function (received ${describeValue(value)}).`,
};

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== "object" || current === null) {
      return undefined;
    }
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function issueFor(
  options: unknown,
  path: readonly PropertyKey[],
): ValidationIssue {
  const value = valueAt(options, path);
  const [field] = path;
  const key =
    field === "preserve" && path.length > 1 ? "preserveItem" : String(field);
  const fix = FIXES[key];
  return {
    path: path.map(String).join("."),
    value,
    message: fix === undefined ? `Option ${key} is invalid.` : fix(value),
  };
}

function unknownKeyIssue(key: string, options: unknown): ValidationIssue {
  return {
    path: key,
    value: valueAt(options, [key]),
    message: `Unknown option "${key}". Valid options are ${OPTION_NAMES.join(", ")}.`,
  };
}

function budgetIssues(options: Record<string, unknown>): ValidationIssue[] {
  const hasRatio = options.ratio !== undefined;
  const hasTarget = options.targetTokens !== undefined;
  if (hasRatio && hasTarget) {
    return [
      {
        path: "ratio",
        value: { ratio: options.ratio, targetTokens: options.targetTokens },
        message: `Pass either ratio or targetTokens, not both (received ratio ${describeValue(options.ratio)} and targetTokens ${describeValue(options.targetTokens)}).`,
      },
    ];
  }
  if (!hasRatio && !hasTarget) {
    return [
      {
        path: "ratio",
        value: undefined,
        message:
          "A budget is missing. Pass ratio (such as 4) or targetTokens (such as 2000).",
      },
    ];
  }
  return [];
}

/**
 * Validates compression options and applies defaults. Every problem is
 * reported at once in one `INVALID_OPTIONS` error.
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (
    typeof options !== "object" ||
    options === null ||
    Array.isArray(options)
  ) {
    throw new CoreEngineError(
      CoreEngineErrorCode.INVALID_OPTIONS,
      `Options must be an object such as { ratio: 4 } (received ${describeValue(options)}).`,
      {
        issues: [
          {
            path: "",
            value: options,
            message: "Options must be an object such as { ratio: 4 }.",
          },
        ],
      },
    );
  }
  const record = options as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const parsed = schema.safeParse(options);
  if (!parsed.success) {
    const seen = new Set<string>();
    for (const issue of parsed.error.issues) {
      if (issue.code === "unrecognized_keys") {
        issues.push(...issue.keys.map((key) => unknownKeyIssue(key, options)));
        continue;
      }
      const found = issueFor(options, issue.path);
      if (!seen.has(found.path)) {
        seen.add(found.path);
        issues.push(found);
      }
    }
  }
  issues.push(...budgetIssues(record));
  if (issues.length > 0 || !parsed.success) {
    throw invalidOptions(issues);
  }
  // The parsed copy is only a check: class instances such as encoders must
  // keep their prototype, so the caller's own objects are used.
  const value = options as CompressOptions;
  const query = value.query?.trim();
  return {
    ratio: value.ratio,
    targetTokens: value.targetTokens,
    query: query === undefined || query.length === 0 ? undefined : query,
    tokenizer: value.tokenizer ?? "o200k_base",
    preserve: value.preserve ?? [],
    separator: value.separator,
    documentSeparator: value.documentSeparator ?? "\n\n",
    encoder: value.encoder,
    megaTokens: value.megaTokens ?? true,
    granularity: value.granularity ?? "sentence",
    wordInformation: value.wordInformation,
    signal: value.signal,
    onProgress: value.onProgress,
  };
}

function invalidOptions(issues: readonly ValidationIssue[]): CoreEngineError {
  const count = issues.length;
  const summary = issues.map((issue) => issue.message).join(" ");
  return new CoreEngineError(
    CoreEngineErrorCode.INVALID_OPTIONS,
    `${count} invalid option${count === 1 ? "" : "s"}: ${summary}`,
    { issues },
  );
}
