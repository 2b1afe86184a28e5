import { randomUUID } from "node:crypto";

import {
  ObservabilityError,
  ObservabilityErrorCode,
  throwIfIssues,
} from "../errors.js";
import type { ObservabilityIssue } from "../errors.js";
import { noopLogger } from "../logger-port.js";
import type { ObservabilityLogger } from "../logger-port.js";
import { NotificationDispatcher } from "./dispatcher.js";
import { inhibits, matcherIssues, matchesAll } from "./matchers.js";
import { NotificationPlanner } from "./planner.js";
import { validateRules } from "./rules.js";
import { SeriesStore } from "./series.js";
import { selects, stepAlert } from "./states.js";
import type { AlertRecord } from "./states.js";
import type {
  AlertHistoryEntry,
  AlertRule,
  AlertSnapshot,
  Clock,
  InhibitRule,
  MetricSample,
  NotificationHandler,
  Silence,
} from "./types.js";

/** Maximum delay that Node.js timers accept (2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/** Options of {@link createAlertManager}. */
export interface AlertManagerOptions {
  readonly rules: readonly AlertRule[];
  /**
   * Label names that form a notification group.
   * @default ["alertname"]
   */
  readonly groupBy?: readonly string[];
  /** @default [] */
  readonly inhibitRules?: readonly InhibitRule[];
  /** @default [] */
  readonly handlers?: readonly NotificationHandler[];
  /**
   * Source of the evaluation time; inject one to test `forMs` and rates.
   * @default the system clock
   */
  readonly clock?: Clock;
  /** @default noopLogger */
  readonly logger?: ObservabilityLogger;
  /**
   * Number of history entries kept; older ones are dropped.
   * @default 1000
   */
  readonly historyLimit?: number;
  /**
   * Number of undelivered notifications kept for retry.
   * @default 1000
   */
  readonly maxQueued?: number;
  /**
   * Milliseconds after which a handler's `notify` call counts as failed
   * and its notification waits for the next evaluation. The default
   * exceeds the webhook notifier's worst case with its default retries.
   * @default 300000
   */
  readonly deliveryTimeoutMs?: number;
}

/** Counts of one evaluation. */
export interface EvaluationSummary {
  readonly pending: number;
  readonly firing: number;
  /** Notifications planned in this evaluation. */
  readonly planned: number;
  /** Deliveries that succeeded in this evaluation, earlier retries included. */
  readonly delivered: number;
  /** Deliveries still waiting for a later evaluation. */
  readonly queued: number;
}

/** Evaluates alert rules and notifies; see {@link createAlertManager}. */
export interface AlertManager {
  /** Records a sample at the clock's current time. */
  observe(sample: MetricSample): void;
  /** Evaluates every rule, plans notifications and delivers them. */
  evaluate(): Promise<EvaluationSummary>;
  /** Adds a silence and returns it with its id. */
  addSilence(silence: Omit<Silence, "id">): Silence;
  /** Ends a silence now; returns false when no silence has this id. */
  expireSilence(id: string): boolean;
  /** Returns the silences that are active or not yet started. */
  silences(): Silence[];
  /** Returns the pending and firing alerts. */
  alerts(): AlertSnapshot[];
  /** Returns state changes, oldest first. */
  history(): AlertHistoryEntry[];
  /**
   * Closes every handler, which cancels pending retries, and waits for the
   * delivery in progress. Later `evaluate()` calls reject with CLOSED.
   */
  close(): Promise<void>;
}

function validateManagerOptions(options: AlertManagerOptions): void {
  validateRules(options.rules);
  const issues: ObservabilityIssue[] = [];
  const groupBy = options.groupBy;
  if (
    groupBy !== undefined &&
    !(
      Array.isArray(groupBy) &&
      groupBy.every((name) => typeof name === "string" && name !== "")
    )
  ) {
    issues.push({
      path: "groupBy",
      value: groupBy,
      message: 'must be an array of label names such as ["cluster"]',
    });
  }
  (options.inhibitRules ?? []).forEach((rule, index) => {
    const path = `inhibitRules[${index}]`;
    issues.push(
      ...matcherIssues(rule.sourceMatchers, `${path}.sourceMatchers`),
      ...matcherIssues(rule.targetMatchers, `${path}.targetMatchers`),
    );
    if (
      !Array.isArray(rule.equal) ||
      !rule.equal.every((name) => typeof name === "string")
    ) {
      issues.push({
        path: `${path}.equal`,
        value: rule.equal,
        message: 'must be an array of label names such as ["cluster"]',
      });
    }
  });
  for (const name of ["historyLimit", "maxQueued"] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
      issues.push({ path: name, value, message: "must be a positive integer" });
    }
  }
  const timeout = options.deliveryTimeoutMs;
  if (
    timeout !== undefined &&
    !(Number.isInteger(timeout) && timeout > 0 && timeout <= MAX_TIMER_MS)
  ) {
    issues.push({
      path: "deliveryTimeoutMs",
      value: timeout,
      message: `must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}`,
    });
  }
  throwIfIssues("alert manager options", issues);
}

function validateSample(sample: MetricSample): void {
  const issues: ObservabilityIssue[] = [];
  if (typeof sample.metric !== "string" || sample.metric === "") {
    issues.push({
      path: "metric",
      value: sample.metric,
      message: 'must be a metric name such as "http.server.errors"',
    });
  }
  if (typeof sample.value !== "number" || !Number.isFinite(sample.value)) {
    // NaN compares false with every limit, so it would silently resolve a
    // firing alert. An infinite value breaks rates.
    issues.push({
      path: "value",
      value: sample.value,
      message:
        "must be a finite number; skip the sample when there is no measurement",
    });
  }
  for (const [name, value] of Object.entries(sample.labels ?? {})) {
    if (typeof value !== "string") {
      issues.push({
        path: `labels.${name}`,
        value,
        message: "must be a string; convert the value with String()",
      });
    }
  }
  throwIfIssues("metric sample", issues);
}

function validateSilence(silence: Omit<Silence, "id">): void {
  const issues = matcherIssues(silence.matchers, "matchers");
  if (Array.isArray(silence.matchers) && silence.matchers.length === 0) {
    issues.push({
      path: "matchers",
      value: silence.matchers,
      message:
        "must contain at least one matcher, or the silence mutes every alert",
    });
  }
  if (!(silence.endsAt > silence.startsAt)) {
    issues.push({
      path: "endsAt",
      value: silence.endsAt,
      message: "must be later than startsAt (milliseconds since the epoch)",
    });
  }
  throwIfIssues("silence", issues);
}

/**
 * Creates an alert manager. Rules read metric samples with threshold, rate
 * and for-duration conditions, and alerts are deduplicated by label
 * fingerprint. Silences and inhibition mute alerts, and grouped
 * notifications that fail are retried on later evaluations.
 */
export function createAlertManager(options: AlertManagerOptions): AlertManager {
  validateManagerOptions(options);
  const clock = options.clock ?? { now: () => Date.now() };
  const logger = options.logger ?? noopLogger;
  const retention = Math.max(
    0,
    ...options.rules.map((rule) =>
      rule.condition.kind === "rate" ? rule.condition.windowMs : 0,
    ),
  );
  const store = new SeriesStore(retention);
  const records = new Map<string, AlertRecord>();
  const history: AlertHistoryEntry[] = [];
  const silences = new Map<string, Silence>();
  const planner = new NotificationPlanner(
    options.groupBy ?? ["alertname"],
    randomUUID(),
  );
  const dispatcher = new NotificationDispatcher(
    options.handlers ?? [],
    logger,
    options.maxQueued ?? 1_000,
    options.deliveryTimeoutMs ?? 300_000,
  );
  const historyLimit = options.historyLimit ?? 1_000;
  let closed = false;

  const snapshots = (now: number): AlertSnapshot[] => {
    const all = [...records.values()];
    const firing = all.filter((record) => record.state === "firing");
    return all.map((record) => ({
      ...record,
      silenced: [...silences.values()].some(
        (silence) =>
          silence.startsAt <= now &&
          now < silence.endsAt &&
          matchesAll(record.labels, silence.matchers),
      ),
      inhibited: (options.inhibitRules ?? []).some((rule) =>
        firing.some(
          (source) =>
            source.fingerprint !== record.fingerprint &&
            inhibits(rule, source.labels, record.labels),
        ),
      ),
    }));
  };

  return {
    observe(sample) {
      validateSample(sample);
      store.add(sample, clock.now());
    },
    async evaluate() {
      if (closed) {
        throw new ObservabilityError(
          ObservabilityErrorCode.CLOSED,
          "The alert manager is closed; create a new one to evaluate rules.",
        );
      }
      const now = clock.now();
      for (const rule of options.rules) {
        for (const series of store
          .ofMetric(rule.metric)
          .filter((item) => selects(rule, item))) {
          stepAlert(rule, series, records, history, now);
        }
      }
      history.splice(0, Math.max(0, history.length - historyLimit));
      const current = snapshots(now);
      const notifications = planner.plan(current);
      for (const notification of notifications)
        dispatcher.enqueue(notification);
      // A resolved alert is kept only until its notification is planned, so
      // series that come and go do not grow the records without bound.
      for (const alert of current) {
        if (alert.state === "resolved") records.delete(alert.fingerprint);
      }
      const { delivered } = await dispatcher.flush();
      return {
        pending: current.filter((alert) => alert.state === "pending").length,
        firing: current.filter((alert) => alert.state === "firing").length,
        planned: notifications.length,
        delivered,
        queued: dispatcher.queued,
      };
    },
    addSilence(silence) {
      validateSilence(silence);
      const created = { ...silence, id: randomUUID() };
      silences.set(created.id, created);
      logger.info(
        {
          silenceId: created.id,
          matchers: silence.matchers,
          endsAt: silence.endsAt,
        },
        "alert silence added",
      );
      return created;
    },
    expireSilence(id) {
      const silence = silences.get(id);
      if (silence === undefined) return false;
      silences.set(id, {
        ...silence,
        endsAt: Math.min(silence.endsAt, clock.now()),
      });
      return true;
    },
    silences: () =>
      [...silences.values()].filter((silence) => silence.endsAt > clock.now()),
    alerts: () =>
      snapshots(clock.now()).filter((alert) => alert.state !== "resolved"),
    history: () => [...history],
    async close() {
      closed = true;
      await Promise.all(
        (options.handlers ?? []).map(async (handler) => {
          await handler.close?.();
        }),
      );
      // A handler without close(), or one that ignores it, may still hang;
      // its notifications stay undelivered instead of delaying close().
      dispatcher.close();
      await dispatcher.idle();
      if (dispatcher.queued > 0) {
        logger.warn(
          { queued: dispatcher.queued },
          "alert manager closed with undelivered notifications",
        );
      }
    },
  };
}
