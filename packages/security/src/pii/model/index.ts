export { detectPiiWithModel } from "./detect-with-model.js";
export type { DetectPiiWithModelOptions } from "./detect-with-model.js";
export type { NerAggregation } from "./labels.js";
export { loadNerRecognizer } from "./load.js";
export { DEFAULT_ENTITY_TYPES } from "./options.js";
export type { LoadNerRecognizerOptions } from "./options.js";
export type { NerRecognizer } from "./recognizer.js";
