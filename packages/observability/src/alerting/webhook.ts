import { setTimeout as sleep } from "node:timers/promises";

import {
  ObservabilityError,
  ObservabilityErrorCode,
  throwIfIssues,
} from "../errors.js";
import type { ObservabilityIssue } from "../errors.js";
import { noopLogger } from "../logger-port.js";
import type { ObservabilityLogger } from "../logger-port.js";
import type { AlertNotification, NotificationHandler } from "./types.js";

/** Options of {@link createWebhookNotifier}. */
export interface WebhookNotifierOptions {
  /** URL that receives a JSON POST per notification. */
  readonly url: string;
  /**
   * Name in logs and in the delivery queue.
   * @default "webhook"
   */
  readonly name?: string;
  /**
   * Extra request headers, such as an authorization header.
   * @default {}
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Attempts per delivery, the first one included.
   * @default 5
   */
  readonly maxAttempts?: number;
  /**
   * Wait before the first retry in milliseconds; it doubles per retry.
   * @default 500
   */
  readonly initialBackoffMs?: number;
  /**
   * Maximum wait between retries in milliseconds.
   * @default 30_000
   */
  readonly maxBackoffMs?: number;
  /**
   * Timeout of one request in milliseconds.
   * @default 5_000
   */
  readonly timeoutMs?: number;
  /** @default noopLogger */
  readonly logger?: ObservabilityLogger;
}

/** Header that carries {@link AlertNotification.idempotencyKey}. */
export const IDEMPOTENCY_KEY_HEADER = "idempotency-key";

function validateWebhookOptions(options: WebhookNotifierOptions): void {
  const issues: ObservabilityIssue[] = [];
  const url = URL.canParse(options.url) ? new URL(options.url) : undefined;
  if (url?.protocol !== "http:" && url?.protocol !== "https:") {
    issues.push({
      path: "url",
      value: options.url,
      message: "must be an http or https URL",
    });
  } else if (url.username !== "" || url.password !== "") {
    // fetch rejects such a URL on every request, so it would only fail
    // later, after every retry.
    issues.push({
      path: "url",
      value: `${url.protocol}//***@${url.host}${url.pathname}`,
      message:
        "must not contain credentials; pass them in headers, such as an authorization header",
    });
  }
  try {
    new Headers(options.headers);
  } catch (error) {
    issues.push({
      path: "headers",
      value: Object.keys(options.headers ?? {}),
      message: `must be valid HTTP header names and values: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  for (const name of [
    "maxAttempts",
    "initialBackoffMs",
    "maxBackoffMs",
    "timeoutMs",
  ] as const) {
    const value = options[name];
    if (
      value !== undefined &&
      !(
        Number.isInteger(value) &&
        value >= (name === "maxAttempts" || name === "timeoutMs" ? 1 : 0)
      )
    ) {
      issues.push({
        path: name,
        value,
        message:
          "must be a non-negative integer (at least 1 for maxAttempts and timeoutMs)",
      });
    }
  }
  throwIfIssues("webhook options", issues);
}

/** Tells whether a status is worth a retry: 408, 429 and every 5xx. */
function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Reads a `Retry-After` header (RFC 9110, section 10.2.3): delay seconds
 * or an HTTP date. Returns the wait in milliseconds, or undefined when the
 * header is missing or invalid.
 */
export function parseRetryAfter(
  header: string | null,
  now: number,
): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^\d+$/u.test(text)) return Number(text) * 1_000;
  // An HTTP date names its day and month, and Date.parse would also accept
  // bare numbers such as "-5".
  if (!/[A-Za-z]/u.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The result of one POST: delivered, or why not and whether to retry. */
type AttemptResult =
  | { readonly delivered: true }
  | {
      readonly delivered: false;
      readonly error: unknown;
      readonly retry: boolean;
      readonly retryAfterMs?: number;
    };

/**
 * Creates a handler that POSTs each notification as JSON with an
 * `idempotency-key` header, retrying network errors, timeouts, 408, 429 and
 * 5xx with exponential backoff. On 429 and 503 it waits at least the
 * `Retry-After` delay, capped at `maxBackoffMs`. It does not follow
 * redirects, because fetch would turn the POST into a GET without the body.
 * It throws WEBHOOK_FAILED when every attempt failed, the receiver
 * responded with a redirect or another 4xx, or the handler was closed.
 */
export function createWebhookNotifier(
  options: WebhookNotifierOptions,
): NotificationHandler & { close(): Promise<void> } {
  validateWebhookOptions(options);
  const name = options.name ?? "webhook";
  const maxAttempts = options.maxAttempts ?? 5;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const logger = options.logger ?? noopLogger;
  const closer = new AbortController();
  const running = new Set<Promise<void>>();
  const backoff = (attempt: number, retryAfterMs = 0): number =>
    Math.min(
      maxBackoffMs,
      Math.max(
        retryAfterMs,
        (options.initialBackoffMs ?? 500) * 2 ** (attempt - 1),
      ),
    );
  const failure = (
    notification: AlertNotification,
    reason: string,
    cause: unknown,
  ): ObservabilityError =>
    new ObservabilityError(
      ObservabilityErrorCode.WEBHOOK_FAILED,
      `Webhook ${name} failed for notification ${notification.idempotencyKey}; ${reason}`,
      { cause },
    );

  const attemptOnce = async (
    notification: AlertNotification,
  ): Promise<AttemptResult> => {
    let response: Response;
    try {
      response = await fetch(options.url, {
        method: "POST",
        headers: {
          ...options.headers,
          "content-type": "application/json",
          [IDEMPOTENCY_KEY_HEADER]: notification.idempotencyKey,
        },
        body: JSON.stringify(notification),
        redirect: "manual",
        signal: AbortSignal.any([
          AbortSignal.timeout(options.timeoutMs ?? 5_000),
          closer.signal,
        ]),
      });
    } catch (error) {
      return { delivered: false, error, retry: true };
    }
    // The body is never read, so a huge response costs nothing.
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    if (response.ok) return { delivered: true };
    if (status >= 300 && status < 400) {
      const location = response.headers.get("location") ?? "(no location)";
      return {
        delivered: false,
        retry: false,
        error: new Error(
          `receiver responded with HTTP ${status}, a redirect to ${location}; set url to the final address`,
        ),
      };
    }
    const retryAfterMs =
      status === 429 || status === 503
        ? parseRetryAfter(response.headers.get("retry-after"), Date.now())
        : undefined;
    return {
      delivered: false,
      retry: isRetryable(status),
      error: new Error(`receiver returned HTTP ${status}`),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  };

  const deliver = async (notification: AlertNotification): Promise<void> => {
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const result = await attemptOnce(notification);
      if (result.delivered) return;
      lastError = result.error;
      if (closer.signal.aborted) {
        throw failure(notification, "the notifier was closed.", lastError);
      }
      if (!result.retry) break;
      if (attempt < maxAttempts) {
        const delayMs = backoff(attempt, result.retryAfterMs);
        logger.warn(
          {
            handler: name,
            attempt,
            delayMs,
            idempotencyKey: notification.idempotencyKey,
            err: lastError,
          },
          "webhook delivery failed, retrying",
        );
        try {
          await sleep(delayMs, undefined, { signal: closer.signal });
        } catch {
          throw failure(notification, "the notifier was closed.", lastError);
        }
      }
    }
    throw failure(
      notification,
      "check that the receiver is up and accepts the request.",
      lastError,
    );
  };

  return {
    name,
    async notify(notification) {
      if (closer.signal.aborted) {
        throw failure(notification, "the notifier was closed.", undefined);
      }
      const delivery = deliver(notification);
      const settled = delivery.catch(() => undefined);
      running.add(settled);
      try {
        await delivery;
      } finally {
        running.delete(settled);
      }
    },
    async close() {
      closer.abort();
      await Promise.all(running);
    },
  };
}

/**
 * Creates a handler that writes each notification to a logger: `warn` for
 * firing groups, `info` for resolved ones.
 */
export function createLogNotifier(
  logger: ObservabilityLogger,
  name = "log",
): NotificationHandler {
  return {
    name,
    notify(notification) {
      const fields = {
        idempotencyKey: notification.idempotencyKey,
        groupLabels: notification.groupLabels,
        alerts: notification.alerts.map((alert) => ({
          fingerprint: alert.fingerprint,
          labels: alert.labels,
          state: alert.state,
          value: alert.value,
        })),
      };
      if (notification.status === "firing") {
        logger.warn(fields, "alert group firing");
      } else {
        logger.info(fields, "alert group resolved");
      }
      return Promise.resolve();
    },
  };
}
