// Reads and recomputes the golden vector file, in Node.js and in browsers.
import { evaluateDefinition, pickRolloutVariant } from "../evaluate.js";
import type { FlagDefinition, Rollout } from "../types.js";

/** One flag's results, one entry per key, in key order. */
export interface GoldenColumn {
  readonly variantNames: readonly string[];
  readonly rolloutBuckets: readonly number[];
  readonly variantBuckets: readonly number[];
  readonly variants: readonly number[];
}

/** The content of golden-vectors.json. */
export interface GoldenVectors {
  readonly flags: Readonly<
    Record<string, FlagDefinition & { rollout: Rollout }>
  >;
  readonly keys: readonly string[];
  readonly results: Readonly<Record<string, GoldenColumn>>;
}

/** Computes every flag's results for every key with this build. */
export function computeGolden(
  golden: Pick<GoldenVectors, "flags" | "keys">,
): Record<string, GoldenColumn> {
  const results: Record<string, GoldenColumn> = {};
  for (const [flagKey, flag] of Object.entries(golden.flags)) {
    const variantNames = Object.keys(flag.variants);
    const column = {
      variantNames,
      rolloutBuckets: [] as number[],
      variantBuckets: [] as number[],
      variants: [] as number[],
    };
    for (const key of golden.keys) {
      const pick = pickRolloutVariant(flag.rollout, flagKey, key);
      const evaluation = evaluateDefinition(flagKey, flag, {
        targetingKey: key,
      });
      column.rolloutBuckets.push(pick.rolloutBucket);
      column.variantBuckets.push(pick.variantBucket);
      column.variants.push(variantNames.indexOf(evaluation.variant ?? ""));
    }
    results[flagKey] = column;
  }
  return results;
}
