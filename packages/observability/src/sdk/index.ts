export { setupTelemetry } from "./setup.js";
export type { TelemetryHandle } from "./setup.js";
export type {
  MetricsOptions,
  SetupTelemetryOptions,
  TracesOptions,
} from "./options.js";
export { importOptionalPeer } from "./load.js";
