import { ConfigError } from "../errors.js";
import { evaluateDefinition } from "./evaluate.js";
import type {
  EvaluationContext,
  FlagDefinition,
  FlagEvaluation,
  FlagValue,
  FlagValueType,
} from "./types.js";
import { checkFlags, valueTypeOf } from "./validate.js";

/** An evaluation of an experiment flag, emitted as `exposure`. */
export interface ExposureEvent {
  readonly flagKey: string;
  /** The experiment name: the flag's `experiment` string, or its key. */
  readonly experiment: string;
  readonly variant: string;
  readonly targetingKey: string | undefined;
  readonly reason: FlagEvaluation["reason"];
}

/** Options of {@link FlagEvaluator}. */
export interface FlagEvaluatorOptions {
  /**
   * Receives every exposure of an experiment flag.
   * @default undefined (exposures are only counted)
   */
  readonly onExposure?: (event: ExposureEvent) => void;
}

/**
 * Evaluates feature flags for evaluation contexts, and counts exposures
 * of experiment flags in memory. Runs in Node.js and in browsers.
 */
export class FlagEvaluator {
  #flags: Readonly<Record<string, FlagDefinition>> = {};
  readonly #exposures = new Map<string, Map<string, number>>();
  readonly #exposureListeners = new Set<(event: ExposureEvent) => void>();
  readonly #changeListeners = new Set<(keys: readonly string[]) => void>();

  /**
   * @throws ConfigError `INVALID_FLAG_DEFINITION` listing every problem.
   */
  constructor(
    flags: Readonly<Record<string, FlagDefinition>>,
    options: FlagEvaluatorOptions = {},
  ) {
    this.setFlags(flags);
    if (options.onExposure !== undefined) {
      this.#exposureListeners.add(options.onExposure);
    }
  }

  /**
   * Replaces all flag definitions after validating them, and notifies
   * change listeners with the keys that were added, removed or changed.
   *
   * @throws ConfigError `INVALID_FLAG_DEFINITION`; the old flags stay.
   */
  setFlags(flags: Readonly<Record<string, FlagDefinition>>): void {
    checkFlags(flags);
    const copy = structuredClone(flags) as Record<string, FlagDefinition>;
    const keys = new Set([...Object.keys(this.#flags), ...Object.keys(copy)]);
    const changed = [...keys].filter(
      (key) => JSON.stringify(this.#flags[key]) !== JSON.stringify(copy[key]),
    );
    this.#flags = copy;
    for (const listener of this.#changeListeners) {
      callListener(listener, changed);
    }
  }

  /** Lists the flag keys. */
  keys(): string[] {
    return Object.keys(this.#flags);
  }

  /**
   * Evaluates a flag, and returns errors instead of raising them: an
   * unknown key gives `errorCode` `FLAG_NOT_FOUND`, and a value of another
   * type than `expectedType` gives `TYPE_MISMATCH`. Each successful
   * evaluation of an experiment flag emits an exposure and is counted.
   * A `null` or non-object context counts as an empty one.
   */
  evaluate(
    flagKey: string,
    context: EvaluationContext = {},
    expectedType?: FlagValueType,
  ): FlagEvaluation {
    // JavaScript callers can pass null, which the type does not allow.
    if (typeof context !== "object" || (context as unknown) === null) {
      context = {};
    }
    const flag = Object.hasOwn(this.#flags, flagKey)
      ? this.#flags[flagKey]
      : undefined;
    if (flag === undefined) {
      return failed(flagKey, "FLAG_NOT_FOUND");
    }
    const result = evaluateDefinition(flagKey, flag, context);
    if (
      expectedType !== undefined &&
      valueTypeOf(result.value) !== expectedType
    ) {
      return failed(flagKey, "TYPE_MISMATCH");
    }
    if (flag.experiment !== undefined && flag.experiment !== false) {
      this.#expose(flagKey, flag, result, context);
    }
    return result;
  }

  /**
   * Returns a boolean flag's value.
   * @throws ConfigError `FLAG_NOT_FOUND` or `FLAG_TYPE_MISMATCH`.
   */
  getBoolean(flagKey: string, context?: EvaluationContext): boolean {
    return this.#require(flagKey, context, "boolean") as boolean;
  }

  /**
   * Returns a string flag's value.
   * @throws ConfigError `FLAG_NOT_FOUND` or `FLAG_TYPE_MISMATCH`.
   */
  getString(flagKey: string, context?: EvaluationContext): string {
    return this.#require(flagKey, context, "string") as string;
  }

  /**
   * Returns a number flag's value.
   * @throws ConfigError `FLAG_NOT_FOUND` or `FLAG_TYPE_MISMATCH`.
   */
  getNumber(flagKey: string, context?: EvaluationContext): number {
    return this.#require(flagKey, context, "number") as number;
  }

  /**
   * Returns an object, array or null flag's value.
   * @throws ConfigError `FLAG_NOT_FOUND` or `FLAG_TYPE_MISMATCH`.
   */
  getObject(flagKey: string, context?: EvaluationContext): FlagValue {
    return this.#require(flagKey, context, "object") as FlagValue;
  }

  /**
   * Counts exposures per variant of an experiment flag since the start or
   * the last {@link resetExposures}. Each evaluation counts once, so a
   * subject evaluated twice counts twice.
   */
  exposureCounts(flagKey: string): Record<string, number> {
    return Object.fromEntries(this.#exposures.get(flagKey) ?? []);
  }

  /** Sets every exposure count back to zero. */
  resetExposures(): void {
    this.#exposures.clear();
  }

  /** Adds an exposure listener and returns a function that removes it. */
  onExposure(listener: (event: ExposureEvent) => void): () => void {
    this.#exposureListeners.add(listener);
    return () => this.#exposureListeners.delete(listener);
  }

  /** Adds a listener for flag changes; returns a function that removes it. */
  onChange(listener: (keys: readonly string[]) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  #require(
    flagKey: string,
    context: EvaluationContext | undefined,
    type: FlagValueType,
  ): FlagValue | undefined {
    const result = this.evaluate(flagKey, context, type);
    if (result.errorCode === "FLAG_NOT_FOUND") {
      throw new ConfigError(
        "FLAG_NOT_FOUND",
        `flag ${JSON.stringify(flagKey)} is not defined; known flags: ${this.keys().join(", ") || "none"}`,
      );
    }
    if (result.errorCode === "TYPE_MISMATCH") {
      throw new ConfigError(
        "FLAG_TYPE_MISMATCH",
        `flag ${JSON.stringify(flagKey)} does not have ${withArticle(type)} value; use the getter for its type`,
      );
    }
    return result.value;
  }

  #expose(
    flagKey: string,
    flag: FlagDefinition,
    result: FlagEvaluation,
    context: EvaluationContext,
  ): void {
    const variant = result.variant ?? "";
    const counts = this.#exposures.get(flagKey) ?? new Map<string, number>();
    counts.set(variant, (counts.get(variant) ?? 0) + 1);
    this.#exposures.set(flagKey, counts);
    const event: ExposureEvent = {
      flagKey,
      experiment:
        typeof flag.experiment === "string" ? flag.experiment : flagKey,
      variant,
      targetingKey: context.targetingKey,
      reason: result.reason,
    };
    for (const listener of this.#exposureListeners) {
      callListener(listener, event);
    }
  }
}

// Calls a listener so that its error neither breaks the evaluation or
// update that emitted the event nor keeps the other listeners from
// running. The error is raised again in a microtask, where the runtime
// reports it as uncaught.
function callListener<T>(listener: (payload: T) => void, payload: T): void {
  try {
    listener(payload);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

function failed(
  flagKey: string,
  errorCode: "FLAG_NOT_FOUND" | "TYPE_MISMATCH",
): FlagEvaluation {
  return {
    flagKey,
    value: undefined,
    variant: undefined,
    reason: "ERROR",
    errorCode,
  };
}

/** Returns a value type with its article: `a boolean`, `an object`. */
export function withArticle(type: FlagValueType): string {
  return type === "object" ? "an object" : `a ${type}`;
}
