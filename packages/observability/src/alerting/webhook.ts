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
  const protocol = URL.canParse(options.url)
    ? new URL(options.url).protocol
    : "";
  if (protocol !== "http:" && protocol !== "https:") {
    issues.push({
      path: "url",
      value: options.url,
      message: "must be an http or https URL",
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
 * Creates a handler that POSTs each notification as JSON with an
 * `idempotency-key` header, retrying network errors, timeouts, 408, 429 and
 * 5xx with exponential backoff. It throws WEBHOOK_FAILED when every attempt
 * failed or the receiver rejected the request with another 4xx.
 */
export function createWebhookNotifier(
  options: WebhookNotifierOptions,
): NotificationHandler {
  validateWebhookOptions(options);
  const name = options.name ?? "webhook";
  const maxAttempts = options.maxAttempts ?? 5;
  const logger = options.logger ?? noopLogger;
  const backoff = (attempt: number): number =>
    Math.min(
      options.maxBackoffMs ?? 30_000,
      (options.initialBackoffMs ?? 500) * 2 ** (attempt - 1),
    );

  const post = async (notification: AlertNotification): Promise<Response> =>
    fetch(options.url, {
      method: "POST",
      headers: {
        ...options.headers,
        "content-type": "application/json",
        [IDEMPOTENCY_KEY_HEADER]: notification.idempotencyKey,
      },
      body: JSON.stringify(notification),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });

  return {
    name,
    async notify(notification) {
      let lastError: unknown;
      for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
        try {
          const response = await post(notification);
          await response.body?.cancel();
          if (response.ok) return;
          lastError = new Error(`receiver returned HTTP ${response.status}`);
          if (!isRetryable(response.status)) break;
        } catch (error) {
          lastError = error;
        }
        if (attempt < maxAttempts) {
          const delayMs = backoff(attempt);
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
          await sleep(delayMs);
        }
      }
      throw new ObservabilityError(
        ObservabilityErrorCode.WEBHOOK_FAILED,
        `Webhook ${name} failed for notification ${notification.idempotencyKey}; check that the receiver is up and accepts the request.`,
        { cause: lastError },
      );
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
