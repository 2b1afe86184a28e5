// Platform-neutral entry: flag evaluation without Node.js built-ins, so it
// runs in browsers as well as in Node.js.
export {
  ConfigError,
  ConfigErrorCode,
  describeValue,
  isConfigError,
} from "../errors.js";
export type { ConfigIssue } from "../errors.js";
export { matchesCondition, readAttribute } from "./conditions.js";
export {
  DEFAULT_ROLLOUT_SEED,
  DEFAULT_VARIANT_SEED,
  evaluateDefinition,
  pickRolloutVariant,
} from "./evaluate.js";
export type { RolloutPick } from "./evaluate.js";
export { FlagEvaluator } from "./evaluator.js";
export type { ExposureEvent, FlagEvaluatorOptions } from "./evaluator.js";
export { BUCKET_COUNT, bucketOf, murmur3 } from "./murmur3.js";
export { compareSemver, parseSemver } from "./semver.js";
export type { SemanticVersion } from "./semver.js";
export type {
  Condition,
  ConditionOperator,
  EvaluationContext,
  EvaluationErrorCode,
  EvaluationReason,
  FlagDefinition,
  FlagEvaluation,
  FlagValue,
  FlagValueType,
  Rollout,
  TargetingRule,
  WeightedVariant,
} from "./types.js";
export { checkFlags } from "./validate.js";
