/** Names of the compared methods, as accepted by `--methods`. */
export const METHOD_NAMES = [
  "engine-query",
  "engine-agnostic",
  "model-query",
  "model-agnostic",
  "lexical-query",
  "lexical-agnostic",
  "pruned-query",
  "pruned-agnostic",
  "head",
  "random",
  "bm25",
] as const;

/** One compared method. */
export type MethodName = (typeof METHOD_NAMES)[number];

/** Column and legend labels of the methods. */
export const METHOD_LABELS: Readonly<Record<MethodName, string>> = {
  "engine-query": "engine, query-aware",
  "engine-agnostic": "engine, query-agnostic",
  "model-query": "engine + built-in model, query-aware",
  "model-agnostic": "engine + built-in model, query-agnostic",
  "lexical-query": "engine, lexical only, query-aware",
  "lexical-agnostic": "engine, lexical only, query-agnostic",
  "pruned-query": "engine + built-in model, word pruning, query-aware",
  "pruned-agnostic": "engine + built-in model, word pruning, query-agnostic",
  head: "head truncation",
  random: "random sentences",
  bm25: "BM25 top sentences",
};

/** Seeds of the random-sentences baseline; results are averaged over them. */
export const RANDOM_SEEDS: readonly number[] = [1, 2, 3, 4, 5];

/** Compression ratios run when `--ratios` is not given. */
export const DEFAULT_RATIOS: readonly number[] = [2, 4, 8, 16];

/** Tells whether a method is the engine, which gets the extra checks. */
export function isEngineMethod(method: MethodName): boolean {
  return (
    method.startsWith("engine-") ||
    method.startsWith("model-") ||
    method.startsWith("lexical-") ||
    method.startsWith("pruned-")
  );
}

/** Tells whether a method is the engine given the question. */
export function isQueryMethod(method: MethodName): boolean {
  return method.endsWith("-query");
}

/** Tells whether a method runs the engine without vectors. */
export function isLexicalOnly(method: MethodName): boolean {
  return method.startsWith("lexical-");
}

/** Tells whether a method runs the engine with the built-in model. */
export function usesBuiltInModel(method: MethodName): boolean {
  return method.startsWith("model-") || method.startsWith("pruned-");
}

/** Tells whether a method also removes words (`granularity: "token"`). */
export function prunesWords(method: MethodName): boolean {
  return method.startsWith("pruned-");
}

/** Tells whether a string is one of {@link METHOD_NAMES}. */
export function isMethodName(value: string): value is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(value);
}
