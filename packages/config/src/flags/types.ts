/** A JSON value that a flag variant can carry. */
export type FlagValue =
  | boolean
  | string
  | number
  | null
  | readonly FlagValue[]
  | { readonly [key: string]: FlagValue };

/** The value types a caller can request. */
export type FlagValueType = "boolean" | "string" | "number" | "object";

/**
 * Attributes of the subject of an evaluation. `targetingKey` identifies
 * the subject for percentage rollouts, such as a user or tenant id.
 */
export interface EvaluationContext {
  readonly targetingKey?: string;
  readonly [attribute: string]: unknown;
}

/** Operators of a targeting condition. */
export type ConditionOperator =
  | "equals"
  | "notEquals"
  | "in"
  | "notIn"
  | "startsWith"
  | "endsWith"
  | "contains"
  | "lt"
  | "lte"
  | "gt"
  | "gte"
  | "semverEq"
  | "semverLt"
  | "semverLte"
  | "semverGt"
  | "semverGte";

/** A test of one context attribute, such as `country in ["FR", "DE"]`. */
export interface Condition {
  /** Attribute name; dots reach nested objects, such as `user.plan`. */
  readonly attribute: string;
  readonly operator: ConditionOperator;
  /** A list for `in` and `notIn`, a number for `lt`…`gte`, a version for `semver*`. */
  readonly value: unknown;
}

/** A variant and its relative share of a rollout. */
export interface WeightedVariant {
  readonly variant: string;
  /** Relative weight, 0 or more; shares are weight / sum of weights. */
  readonly weight: number;
}

/**
 * A percentage rollout. A key is included when its rollout bucket is below
 * `percentage` × 100, and an included key gets the variant whose weight
 * range contains its variant bucket. The two buckets use different seeds,
 * so raising the percentage keeps every included key on its variant.
 */
export interface Rollout {
  /**
   * Share of targeting keys included, from 0 to 100, in steps of 0.01.
   * @default 100
   */
  readonly percentage?: number;
  /** Variants and their weights; at least one weight must be above 0. */
  readonly variants: readonly WeightedVariant[];
  /**
   * Seed of the inclusion bucket.
   * @default "rollout"
   */
  readonly rolloutSeed?: string;
  /**
   * Seed of the variant bucket.
   * @default "variant"
   */
  readonly variantSeed?: string;
}

/**
 * A rule that serves a variant, or a rollout, when all its conditions
 * hold. Set exactly one of `variant` and `rollout`.
 */
export interface TargetingRule {
  /** Name shown in evaluation results. @default the rule's index */
  readonly id?: string;
  /** Conditions that must all hold; an empty list always matches. */
  readonly conditions: readonly Condition[];
  readonly variant?: string;
  readonly rollout?: Rollout;
}

/** A feature flag: its variants and how a context picks one. */
export interface FlagDefinition {
  /** Variant name to value; all values should share one type. */
  readonly variants: Readonly<Record<string, FlagValue>>;
  /** Variant served when no rule matches and no rollout includes the key. */
  readonly defaultVariant: string;
  /**
   * Whether the flag is on; an off flag serves `offVariant`.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Variant served while the flag is off.
   * @default defaultVariant
   */
  readonly offVariant?: string;
  /**
   * Rules tried in order; the first that matches decides.
   * @default []
   */
  readonly rules?: readonly TargetingRule[];
  /**
   * Rollout for keys that no rule matched.
   * @default undefined (serve the default variant)
   */
  readonly rollout?: Rollout;
  /**
   * Marks an A/B experiment: each evaluation emits an exposure and counts
   * it. A string names the experiment.
   * @default false
   */
  readonly experiment?: boolean | string;
}

/** The reason for an evaluation's variant, named as in OpenFeature. */
export type EvaluationReason =
  "STATIC" | "DEFAULT" | "TARGETING_MATCH" | "SPLIT" | "DISABLED" | "ERROR";

/** The error code of a failed evaluation, named as in OpenFeature. */
export type EvaluationErrorCode = "FLAG_NOT_FOUND" | "TYPE_MISMATCH";

/** The result of evaluating a flag for a context. */
export interface FlagEvaluation {
  readonly flagKey: string;
  /** The variant's value; `undefined` when `errorCode` is set. */
  readonly value: FlagValue | undefined;
  /** The variant name; `undefined` when `errorCode` is set. */
  readonly variant: string | undefined;
  readonly reason: EvaluationReason;
  readonly errorCode?: EvaluationErrorCode;
  /** The id (or index) of the rule that matched. */
  readonly ruleId?: string;
  /** Inclusion bucket of the rollout that decided, 0–9999. */
  readonly rolloutBucket?: number;
  /** Variant bucket of the rollout that decided, 0–9999. */
  readonly variantBucket?: number;
}
