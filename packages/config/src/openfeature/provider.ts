import {
  ErrorCode,
  OpenFeatureEventEmitter,
  ProviderEvents,
} from "@openfeature/server-sdk";
import type {
  EvaluationContext as OpenFeatureContext,
  JsonValue,
  Provider,
  ResolutionDetails,
} from "@openfeature/server-sdk";

import { withArticle } from "../flags/evaluator.js";
import type { FlagEvaluator } from "../flags/evaluator.js";
import type { FlagEvaluation, FlagValueType } from "../flags/types.js";

/** Options of {@link ConfigFlagProvider}. */
export interface ConfigFlagProviderOptions {
  /**
   * Provider name in OpenFeature's metadata and logs.
   * @default "retrieval-free-config"
   */
  readonly name?: string;
}

const ERROR_CODES = {
  FLAG_NOT_FOUND: ErrorCode.FLAG_NOT_FOUND,
  TYPE_MISMATCH: ErrorCode.TYPE_MISMATCH,
} as const;

/**
 * An OpenFeature server provider backed by a {@link FlagEvaluator}. The
 * SDK passes it the merged evaluation context (global, client and
 * invocation, after `before` hooks), and exposures of experiment flags are
 * emitted and counted by the evaluator as for direct calls. Replacing the
 * evaluator's flags emits `PROVIDER_CONFIGURATION_CHANGED`.
 */
export class ConfigFlagProvider implements Provider {
  readonly metadata: { readonly name: string };
  readonly runsOn = "server";
  /** Provider events; OpenFeature subscribes to them. */
  readonly events = new OpenFeatureEventEmitter();
  readonly #evaluator: FlagEvaluator;
  #stopListening: (() => void) | undefined;

  constructor(
    evaluator: FlagEvaluator,
    options: ConfigFlagProviderOptions = {},
  ) {
    this.metadata = { name: options.name ?? "retrieval-free-config" };
    this.#evaluator = evaluator;
    this.#listen();
  }

  /**
   * Forwards flag changes again after {@link onClose}, so the provider can
   * be registered again; OpenFeature calls it on registration.
   */
  initialize(): Promise<void> {
    this.#listen();
    return Promise.resolve();
  }

  /** Resolves a boolean flag; see the OpenFeature provider contract. */
  resolveBooleanEvaluation(
    flagKey: string,
    defaultValue: boolean,
    context: OpenFeatureContext,
  ): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(
      this.#resolve(flagKey, defaultValue, context, "boolean"),
    );
  }

  /** Resolves a string flag; see the OpenFeature provider contract. */
  resolveStringEvaluation(
    flagKey: string,
    defaultValue: string,
    context: OpenFeatureContext,
  ): Promise<ResolutionDetails<string>> {
    return Promise.resolve(
      this.#resolve(flagKey, defaultValue, context, "string"),
    );
  }

  /** Resolves a number flag; see the OpenFeature provider contract. */
  resolveNumberEvaluation(
    flagKey: string,
    defaultValue: number,
    context: OpenFeatureContext,
  ): Promise<ResolutionDetails<number>> {
    return Promise.resolve(
      this.#resolve(flagKey, defaultValue, context, "number"),
    );
  }

  /** Resolves an object or array flag; see the OpenFeature provider contract. */
  resolveObjectEvaluation<T extends JsonValue>(
    flagKey: string,
    defaultValue: T,
    context: OpenFeatureContext,
  ): Promise<ResolutionDetails<T>> {
    return Promise.resolve(
      this.#resolve(flagKey, defaultValue, context, "object"),
    );
  }

  /** Stops forwarding flag changes; OpenFeature calls it on shutdown. */
  onClose(): Promise<void> {
    this.#stopListening?.();
    this.#stopListening = undefined;
    return Promise.resolve();
  }

  #listen(): void {
    this.#stopListening ??= this.#evaluator.onChange((keys) => {
      this.events.emit(ProviderEvents.ConfigurationChanged, {
        flagsChanged: [...keys],
      });
    });
  }

  #resolve<T>(
    flagKey: string,
    defaultValue: T,
    context: OpenFeatureContext,
    type: FlagValueType,
  ): ResolutionDetails<T> {
    const result = this.#evaluator.evaluate(flagKey, context, type);
    if (result.errorCode !== undefined) {
      return {
        value: defaultValue,
        reason: "ERROR",
        errorCode: ERROR_CODES[result.errorCode],
        errorMessage: errorMessage(result, type),
      };
    }
    return {
      value: result.value as T,
      reason: result.reason,
      ...(result.variant === undefined ? {} : { variant: result.variant }),
      flagMetadata: metadataOf(result),
    };
  }
}

function errorMessage(result: FlagEvaluation, type: FlagValueType): string {
  return result.errorCode === "FLAG_NOT_FOUND"
    ? `flag ${JSON.stringify(result.flagKey)} is not defined`
    : `flag ${JSON.stringify(result.flagKey)} does not have ${withArticle(type)} value`;
}

function metadataOf(result: FlagEvaluation): Record<string, string | number> {
  const metadata: Record<string, string | number> = {};
  if (result.ruleId !== undefined) {
    metadata.ruleId = result.ruleId;
  }
  if (result.rolloutBucket !== undefined) {
    metadata.rolloutBucket = result.rolloutBucket;
  }
  if (result.variantBucket !== undefined) {
    metadata.variantBucket = result.variantBucket;
  }
  return metadata;
}
