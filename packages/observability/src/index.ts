export {
  isObservabilityError,
  ObservabilityError,
  ObservabilityErrorCode,
} from "./errors.js";
export type { ObservabilityIssue } from "./errors.js";
export { noopLogger } from "./logger-port.js";
export type { LogMethod, ObservabilityLogger } from "./logger-port.js";

export { childForRequest, createLogger } from "./logging/logger.js";
export type { LoggerOptions } from "./logging/logger.js";
export {
  createRedactor,
  DEFAULT_REDACT_KEYS,
  normaliseKey,
} from "./logging/redact.js";
export type { RedactOptions, Redactor } from "./logging/redact.js";
export {
  DEFAULT_SECRET_PATTERNS,
  detectSecret,
  isHighEntropyToken,
  scrubText,
  shannonEntropy,
} from "./logging/detectors.js";
export type { SecretDetector } from "./logging/detectors.js";

export { createTelemetryGuard } from "./telemetry/guard.js";
export type {
  TelemetryGuard,
  TelemetryGuardOptions,
} from "./telemetry/guard.js";
export {
  isIdSegment,
  isRouteTemplate,
  toRouteTemplate,
} from "./telemetry/route.js";
export type { RawPathPolicy } from "./telemetry/route.js";
export {
  createHttpServerMetrics,
  HTTP_SERVER_DURATION_BUCKETS,
  HTTP_SERVER_REQUEST_DURATION,
} from "./telemetry/http-metrics.js";
export type {
  HttpRequestRecord,
  HttpServerMetrics,
  HttpServerMetricsOptions,
} from "./telemetry/http-metrics.js";
export {
  COMPRESS_METRIC_NAMES,
  createCompressionMetrics,
} from "./telemetry/compress-metrics.js";
export type {
  CompressionMetrics,
  CompressionMetricsOptions,
  CompressionRecord,
} from "./telemetry/compress-metrics.js";
export { withSpan } from "./telemetry/tracing.js";

export { createLatencyRecorder } from "./latency/recorder.js";
export type {
  LatencyRecorder,
  LatencyRecorderOptions,
  LatencySnapshot,
} from "./latency/recorder.js";
export { createSlaTracker, parseSlaTarget } from "./latency/sla.js";
export type { SlaStatus, SlaTarget, SlaTracker } from "./latency/sla.js";

export { combineStatus, createHealthRegistry } from "./health/registry.js";
export type {
  HealthRegistry,
  HealthRegistryOptions,
} from "./health/registry.js";
export type {
  HealthCheck,
  HealthCheckKind,
  HealthCheckOutcome,
  HealthCheckResult,
  HealthReport,
  HealthStatus,
} from "./health/types.js";

export { createAlertManager } from "./alerting/manager.js";
export type {
  AlertManager,
  AlertManagerOptions,
  EvaluationSummary,
} from "./alerting/manager.js";
export { fingerprint, inhibits, matchesAll } from "./alerting/matchers.js";
export {
  createLogNotifier,
  createWebhookNotifier,
  IDEMPOTENCY_KEY_HEADER,
} from "./alerting/webhook.js";
export type { WebhookNotifierOptions } from "./alerting/webhook.js";
export type {
  AlertCondition,
  AlertHistoryEntry,
  AlertNotification,
  AlertRule,
  AlertSnapshot,
  AlertState,
  Clock,
  ComparisonOperator,
  InhibitRule,
  Labels,
  Matcher,
  MetricSample,
  NotificationHandler,
  Severity,
  Silence,
} from "./alerting/types.js";
