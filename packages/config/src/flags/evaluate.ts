import { matchesCondition } from "./conditions.js";
import { BUCKET_COUNT, bucketOf } from "./murmur3.js";
import type {
  EvaluationContext,
  EvaluationReason,
  FlagDefinition,
  FlagEvaluation,
  Rollout,
} from "./types.js";

/** Default seed of a rollout's inclusion bucket. */
export const DEFAULT_ROLLOUT_SEED = "rollout";
/** Default seed of a rollout's variant bucket. */
export const DEFAULT_VARIANT_SEED = "variant";

/** The variant a rollout picks for a key, with both buckets. */
export interface RolloutPick {
  readonly included: boolean;
  readonly rolloutBucket: number;
  readonly variantBucket: number;
  /** The picked variant; `undefined` when the key is not included. */
  readonly variant: string | undefined;
}

/**
 * Picks a rollout's variant for a targeting key. The key is included when
 * its rollout bucket is below `percentage` × 100. The variant bucket then
 * falls into one variant's range: variant i covers buckets from
 * floor(10000 × (sum of weights before i) / total) up to, not including,
 * floor(10000 × (sum of weights up to i) / total).
 */
export function pickRolloutVariant(
  rollout: Rollout,
  flagKey: string,
  targetingKey: string,
): RolloutPick {
  const rolloutSeed = rollout.rolloutSeed ?? DEFAULT_ROLLOUT_SEED;
  const variantSeed = rollout.variantSeed ?? DEFAULT_VARIANT_SEED;
  const rolloutBucket = bucketOf(rolloutSeed, flagKey, targetingKey);
  const variantBucket = bucketOf(variantSeed, flagKey, targetingKey);
  const threshold = Math.round((rollout.percentage ?? 100) * 100);
  if (rolloutBucket >= threshold) {
    return {
      included: false,
      rolloutBucket,
      variantBucket,
      variant: undefined,
    };
  }
  const total = rollout.variants.reduce((sum, item) => sum + item.weight, 0);
  let cumulative = 0;
  let variant = rollout.variants[rollout.variants.length - 1]?.variant;
  for (const item of rollout.variants) {
    cumulative += item.weight;
    if (variantBucket < Math.floor((BUCKET_COUNT * cumulative) / total)) {
      variant = item.variant;
      break;
    }
  }
  return { included: true, rolloutBucket, variantBucket, variant };
}

/**
 * Evaluates a valid flag definition for a context: an off flag serves its
 * off variant, then rules are tried in order, then the flag's rollout,
 * then the default variant. Rollouts need `targetingKey`, and a context
 * without one skips them.
 */
export function evaluateDefinition(
  flagKey: string,
  flag: FlagDefinition,
  context: EvaluationContext,
): FlagEvaluation {
  if (flag.enabled === false) {
    return served(
      flagKey,
      flag,
      flag.offVariant ?? flag.defaultVariant,
      "DISABLED",
    );
  }
  const rules = flag.rules ?? [];
  for (const [index, rule] of rules.entries()) {
    if (!rule.conditions.every((c) => matchesCondition(c, context))) {
      continue;
    }
    const ruleId = rule.id ?? String(index);
    if (rule.variant !== undefined) {
      return {
        ...served(flagKey, flag, rule.variant, "TARGETING_MATCH"),
        ruleId,
      };
    }
    const split =
      rule.rollout && splitFor(flagKey, flag, rule.rollout, context);
    if (split !== undefined) {
      return { ...split, ruleId };
    }
  }
  const split = flag.rollout && splitFor(flagKey, flag, flag.rollout, context);
  if (split !== undefined) {
    return split;
  }
  const isStatic = rules.length === 0 && flag.rollout === undefined;
  return served(
    flagKey,
    flag,
    flag.defaultVariant,
    isStatic ? "STATIC" : "DEFAULT",
  );
}

function splitFor(
  flagKey: string,
  flag: FlagDefinition,
  rollout: Rollout,
  context: EvaluationContext,
): FlagEvaluation | undefined {
  if (typeof context.targetingKey !== "string") {
    return undefined;
  }
  const pick = pickRolloutVariant(rollout, flagKey, context.targetingKey);
  if (pick.variant === undefined) {
    return undefined;
  }
  return {
    ...served(flagKey, flag, pick.variant, "SPLIT"),
    rolloutBucket: pick.rolloutBucket,
    variantBucket: pick.variantBucket,
  };
}

function served(
  flagKey: string,
  flag: FlagDefinition,
  variant: string,
  reason: EvaluationReason,
): FlagEvaluation {
  return { flagKey, value: flag.variants[variant], variant, reason };
}
