export type { OnnxThreatClassifier } from "./classifier.js";
export { DEFAULT_BENIGN_LABELS, isBenignLabel } from "./labels.js";
export { loadThreatClassifier } from "./load.js";
export type { LoadThreatClassifierOptions } from "./options.js";
