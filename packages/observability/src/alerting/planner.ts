import { createHash } from "node:crypto";

import type { AlertNotification, AlertSnapshot, Labels } from "./types.js";

/**
 * Groups alerts by chosen labels and decides which groups need a
 * notification: a group is notified when an alert starts firing in it or a
 * notified alert resolves. Muted alerts are left out.
 *
 * NOTE: there is no repeat interval; a group that keeps firing unchanged
 * is notified once.
 */
export class NotificationPlanner {
  readonly #groupBy: readonly string[];
  readonly #instanceId: string;
  readonly #notified = new Map<string, ReadonlySet<string>>();
  // One counter for every group, so the planner keeps no state for groups
  // that have resolved and a key is never reused within the manager.
  #sequence = 0;

  /**
   * @param groupBy Label names whose values form the group key.
   * @param instanceId Random id of the manager, part of every
   *   idempotency key so that a restarted manager never reuses a key.
   */
  constructor(groupBy: readonly string[], instanceId: string) {
    this.#groupBy = groupBy;
    this.#instanceId = instanceId;
  }

  /** Returns the group labels of an alert. */
  groupLabels(labels: Labels): Labels {
    return Object.fromEntries(
      this.#groupBy.map((name) => [
        name,
        (Object.hasOwn(labels, name) ? labels[name] : undefined) ?? "",
      ]),
    );
  }

  /** Plans the notifications for the current alerts. */
  plan(alerts: readonly AlertSnapshot[]): AlertNotification[] {
    const groups = new Map<string, AlertSnapshot[]>();
    for (const alert of alerts) {
      const key = JSON.stringify(this.groupLabels(alert.labels));
      groups.set(key, [...(groups.get(key) ?? []), alert]);
    }
    for (const key of this.#notified.keys()) {
      if (!groups.has(key)) groups.set(key, []);
    }
    const notifications: AlertNotification[] = [];
    for (const [key, members] of groups) {
      const notification = this.#planGroup(key, members);
      if (notification !== undefined) notifications.push(notification);
    }
    return notifications;
  }

  #planGroup(
    groupKey: string,
    members: readonly AlertSnapshot[],
  ): AlertNotification | undefined {
    const previous = this.#notified.get(groupKey) ?? new Set<string>();
    const firing = members.filter(
      (alert) =>
        alert.state === "firing" && !alert.silenced && !alert.inhibited,
    );
    const resolved = members.filter(
      (alert) => alert.state === "resolved" && previous.has(alert.fingerprint),
    );
    const started = firing.filter((alert) => !previous.has(alert.fingerprint));
    this.#notified.set(
      groupKey,
      new Set(firing.map((alert) => alert.fingerprint)),
    );
    if (firing.length === 0) this.#notified.delete(groupKey);
    if (started.length === 0 && resolved.length === 0) {
      return undefined;
    }
    this.#sequence += 1;
    const idempotencyKey = createHash("sha256")
      .update(`${this.#instanceId}\u0000${groupKey}\u0000${this.#sequence}`)
      .digest("hex")
      .slice(0, 32);
    return {
      idempotencyKey,
      groupKey,
      groupLabels: JSON.parse(groupKey) as Labels,
      status: firing.length > 0 ? "firing" : "resolved",
      alerts: [...firing, ...resolved],
    };
  }
}
