export { ConfigChange } from "./change.js";
export type { ConfigChangeTrigger } from "./change.js";
export { Config, loadConfig } from "./config.js";
export type { ConfigEvents } from "./config.js";
export { toEnvSegment } from "./env.js";
export {
  ConfigError,
  ConfigErrorCode,
  describeValue,
  isConfigError,
} from "./errors.js";
export type { ConfigIssue } from "./errors.js";
export { environmentFilePath } from "./files.js";
export type { ConfigOptions, DeepPartial } from "./options.js";
export { isSecretKeyName, REDACTED, secret } from "./secrets.js";
export type { ConfigSource, ConfigWarning } from "./sources.js";
export * from "./flags/index.js";
