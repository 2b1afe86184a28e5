export { detectPii } from "./pii/detect.js";
export type { DetectPiiOptions } from "./pii/detect.js";
export { maskPii, PiiVault } from "./pii/mask.js";
export type {
  MaskedSpan,
  MaskPiiOptions,
  MaskResult,
  MaskStrategy,
} from "./pii/mask.js";
export { PII_TYPES } from "./pii/types.js";
export type {
  PiiFinding,
  PiiType,
  Recognizer,
  RecognizerContext,
} from "./pii/types.js";
export * from "./pii/recognizers/index.js";
export {
  isSecurityError,
  SECURITY_ERROR_STATUS,
  SecurityError,
  SecurityErrorCode,
} from "./errors.js";
export type { SecurityIssue } from "./errors.js";
