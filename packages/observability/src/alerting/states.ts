import { fingerprint, matchesAll } from "./matchers.js";
import { conditionHolds, measure } from "./rules.js";
import type { Series } from "./series.js";
import type {
  AlertHistoryEntry,
  AlertRule,
  AlertState,
  Labels,
  Severity,
} from "./types.js";

/** The mutable record of one alert. */
export interface AlertRecord {
  readonly fingerprint: string;
  readonly labels: Labels;
  readonly annotations: Readonly<Record<string, string>>;
  readonly severity: Severity;
  state: AlertState;
  value: number;
  activeSince: number;
  firedAt?: number;
  resolvedAt?: number;
}

/** Builds the labels of an alert: series labels, rule labels, name and severity. */
export function alertLabels(rule: AlertRule, series: Series): Labels {
  return {
    ...series.labels,
    ...rule.labels,
    alertname: rule.name,
    severity: rule.severity,
  };
}

/** Tells whether a series is one that the rule reads. */
export function selects(rule: AlertRule, series: Series): boolean {
  const selector = Object.entries(rule.selector ?? {}).map(([name, value]) => ({
    name,
    value,
  }));
  return series.metric === rule.metric && matchesAll(series.labels, selector);
}

/**
 * Moves the alert of one rule and series through pending, firing and
 * resolved, and appends every change to `history`.
 */
export function stepAlert(
  rule: AlertRule,
  series: Series,
  records: Map<string, AlertRecord>,
  history: AlertHistoryEntry[],
  now: number,
): void {
  const labels = alertLabels(rule, series);
  const id = fingerprint(labels);
  const measured = measure(rule.condition, series.samples, now);
  const holds =
    measured !== undefined && conditionHolds(rule.condition, measured);
  let record = records.get(id);
  const change = (
    to: AlertState | "inactive",
    from: AlertState | "inactive",
    value: number,
  ): void => {
    history.push({
      fingerprint: id,
      alertname: rule.name,
      from,
      to,
      at: now,
      value,
    });
  };

  if (holds) {
    if (record === undefined || record.state === "resolved") {
      record = {
        fingerprint: id,
        labels,
        annotations: { ...rule.annotations },
        severity: rule.severity,
        state: "pending",
        value: measured,
        activeSince: now,
      };
      records.set(id, record);
      change("pending", "inactive", measured);
    }
    record.value = measured;
    if (
      record.state === "pending" &&
      now - record.activeSince >= (rule.forMs ?? 0)
    ) {
      record.state = "firing";
      record.firedAt = now;
      change("firing", "pending", measured);
    }
    return;
  }
  if (record?.state === "pending") {
    records.delete(id);
    change("inactive", "pending", measured ?? record.value);
  } else if (record?.state === "firing") {
    record.state = "resolved";
    record.resolvedAt = now;
    record.value = measured ?? record.value;
    change("resolved", "firing", record.value);
  }
}
