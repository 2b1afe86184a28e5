export { type BackoffSettings, computeRetryDelay } from "./backoff.js";
export {
  type Bulkhead,
  type BulkheadOptions,
  createBulkhead,
} from "./bulkhead.js";
export {
  type CircuitBreaker,
  type CircuitBreakerState,
  createCircuitBreaker,
} from "./circuit-breaker.js";
export type {
  CircuitBreakerOptions,
  SamplingOptions,
} from "./circuit-breaker-options.js";
export {
  createResiliencePolicy,
  type ResiliencePolicy,
  type ResiliencePolicyEventName,
  type ResiliencePolicyOptions,
} from "./compose.js";
export {
  isResilienceError,
  RESILIENCE_ERROR_STATUS,
  ResilienceError,
  ResilienceErrorCode,
  type ResilienceErrorOptions,
  type ResilienceIssue,
} from "./errors.js";
export type {
  AnyListener,
  BreakerStateEvent,
  BreakEvent,
  BulkheadRejectedEvent,
  EventSource,
  FallbackEvent,
  GiveUpEvent,
  GiveUpReason,
  Listener,
  PolicyEvents,
  ResilienceLogger,
  RetryEvent,
  Subscription,
  TimeoutEvent,
} from "./events.js";
export {
  createFallbackChain,
  type FallbackAttempt,
  type FallbackChain,
  type FallbackOptions,
  type FallbackResult,
  type FallbackStrategy,
} from "./fallback.js";
export {
  createMemoryGuard,
  type ExceededWatermark,
  type MemoryGuard,
  type MemoryGuardEvents,
  type MemoryGuardOptions,
  type MemoryReading,
  type MemoryWatermark,
  type ShedEvent,
} from "./memory-guard.js";
export { countEvents, type EventCounter, logEvents } from "./observe.js";
export type { Policy, PolicyFunction } from "./policy.js";
export { createRetryPolicy, type RetryPolicy } from "./retry.js";
export type { RetryOptions } from "./retry-options.js";
export {
  createRetryBudget,
  type RetryBudget,
  type RetryBudgetOptions,
  type RetryBudgetSnapshot,
} from "./retry-budget.js";
export {
  createShutdown,
  type Shutdown,
  type ShutdownEvents,
  type ShutdownReport,
  type ShutdownStartEvent,
  type ShutdownState,
  type ShutdownTask,
} from "./shutdown.js";
export {
  createTimeout,
  type TimeoutOptions,
  type TimeoutPolicy,
} from "./timeout.js";
export {
  type ErrorPredicate,
  isTransientError,
  matchStatus,
  statusOf,
  TRANSIENT_ERROR_CODES,
  TRANSIENT_HTTP_STATUSES,
} from "./transient.js";
export type { ShutdownOptions } from "./shutdown-options.js";
export { runInWorker } from "./worker.js";
export type { RunInWorkerOptions } from "./worker-options.js";
