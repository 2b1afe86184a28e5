/** Alert labels: name to value. */
export type Labels = Readonly<Record<string, string>>;

/** Urgency of an alert. */
export type Severity = "info" | "warning" | "critical";

/** A comparison between a measured value and a limit. */
export type ComparisonOperator = ">" | ">=" | "<" | "<=";

/** The condition of a rule on one series. */
export type AlertCondition =
  | {
      /** Fires while the latest value compares true against `value`. */
      readonly kind: "threshold";
      readonly operator: ComparisonOperator;
      readonly value: number;
    }
  | {
      /**
       * Fires while the change per second over the last `windowMs`
       * compares true against `perSecond`. Needs two samples in the window.
       */
      readonly kind: "rate";
      readonly operator: ComparisonOperator;
      readonly perSecond: number;
      readonly windowMs: number;
    };

/** A rule on a metric. */
export interface AlertRule {
  /** Rule name; becomes the `alertname` label. */
  readonly name: string;
  /** Name of the metric whose samples the rule reads. */
  readonly metric: string;
  /**
   * Labels a series must have, with these values, to be evaluated.
   * @default {}
   */
  readonly selector?: Labels;
  readonly condition: AlertCondition;
  /**
   * Time the condition must hold before the alert fires, in milliseconds.
   * @default 0
   */
  readonly forMs?: number;
  readonly severity: Severity;
  /**
   * Labels added to every alert of the rule.
   * @default {}
   */
  readonly labels?: Labels;
  /**
   * Text for people, such as `summary`.
   * @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** One measured value of a metric series. */
export interface MetricSample {
  readonly metric: string;
  /** @default {} */
  readonly labels?: Labels;
  readonly value: number;
}

/** A label matcher: `=`, `!=`, `=~` or `!~` with a fully anchored regex. */
export interface Matcher {
  readonly name: string;
  readonly value: string;
  /** @default "=" */
  readonly operator?: "=" | "!=" | "=~" | "!~";
}

/** A silence: alerts matching every matcher between the times are muted. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly Matcher[];
  /** Start, in milliseconds since the epoch. */
  readonly startsAt: number;
  /** End, in milliseconds since the epoch, exclusive. */
  readonly endsAt: number;
  readonly comment?: string;
  readonly createdBy?: string;
}

/**
 * An inhibition rule: a firing source alert mutes target alerts. Every
 * label in `equal` must be present on both alerts with the same value.
 */
export interface InhibitRule {
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  readonly equal: readonly string[];
}

/** The life cycle state of an alert. */
export type AlertState = "pending" | "firing" | "resolved";

/** A copy of one alert at a point in time. */
export interface AlertSnapshot {
  /** Hash of the labels; the deduplication key. */
  readonly fingerprint: string;
  readonly labels: Labels;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: AlertState;
  readonly severity: Severity;
  /** Latest value of the series, or the rate for rate rules. */
  readonly value: number;
  /** When the condition started to hold, in milliseconds since the epoch. */
  readonly activeSince: number;
  /** When the alert fired, if it did. */
  readonly firedAt?: number;
  /** When the alert resolved, if it did. */
  readonly resolvedAt?: number;
  /** Whether a silence mutes the alert. */
  readonly silenced: boolean;
  /** Whether an inhibition rule mutes the alert. */
  readonly inhibited: boolean;
}

/** One state change in the alert history. */
export interface AlertHistoryEntry {
  readonly fingerprint: string;
  readonly alertname: string;
  readonly from: AlertState | "inactive";
  readonly to: AlertState | "inactive";
  readonly at: number;
  readonly value: number;
}

/** One notification for a group of alerts. */
export interface AlertNotification {
  /**
   * Stable key of this notification, equal on every retry, so a receiver
   * can drop duplicates.
   */
  readonly idempotencyKey: string;
  readonly groupKey: string;
  /** The values of the grouping labels. */
  readonly groupLabels: Labels;
  /** `firing` while any alert of the group fires, else `resolved`. */
  readonly status: "firing" | "resolved";
  /** The firing alerts of the group and those resolved since the last notification. */
  readonly alerts: readonly AlertSnapshot[];
}

/** A destination of notifications, such as a webhook or a log. */
export interface NotificationHandler {
  /** Name used in logs and in the delivery queue. */
  readonly name: string;
  /** Delivers one notification; throws when delivery failed. */
  notify(notification: AlertNotification): Promise<void>;
  /**
   * Cancels pending retries and requests, then resolves once every
   * `notify` call has settled; later `notify` calls fail.
   */
  close?(): Promise<void>;
}

/** The source of the current time for rule evaluation. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}
