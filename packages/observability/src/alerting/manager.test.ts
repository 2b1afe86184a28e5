import { afterEach, describe, expect, it, vi } from "vitest";

import { isObservabilityError } from "../errors.js";
import { createAlertManager } from "./manager.js";
import { createRecordingHandler, createTestClock } from "./test-support.js";
import type { AlertRule, NotificationHandler } from "./types.js";

const errorRate: AlertRule = {
  name: "HighErrorRate",
  metric: "http.errors.ratio",
  condition: { kind: "threshold", operator: ">", value: 0.05 },
  severity: "critical",
  annotations: { summary: "more than 5% of requests fail" },
};

function setup(
  rules: readonly AlertRule[] = [errorRate],
  extra: Partial<Parameters<typeof createAlertManager>[0]> = {},
) {
  const clock = createTestClock();
  const handler = createRecordingHandler();
  const manager = createAlertManager({
    rules,
    clock,
    handlers: [handler],
    ...extra,
  });
  return { clock, handler, manager };
}

describe("createAlertManager", () => {
  it("fires a threshold rule and notifies once", async () => {
    const { handler, manager } = setup();
    manager.observe({
      metric: "http.errors.ratio",
      labels: { service: "api" },
      value: 0.2,
    });
    const first = await manager.evaluate();
    const second = await manager.evaluate();
    expect(first.firing).toBe(1);
    expect(second.planned).toBe(0);
    expect(handler.received).toHaveLength(1);
    const [alert] = handler.received[0]?.alerts ?? [];
    expect(alert?.labels).toEqual({
      service: "api",
      alertname: "HighErrorRate",
      severity: "critical",
    });
    expect(alert?.annotations).toEqual({
      summary: "more than 5% of requests fail",
    });
  });

  it("waits for the for-duration before firing", async () => {
    const { clock, handler, manager } = setup([
      { ...errorRate, forMs: 60_000 },
    ]);
    manager.observe({ metric: "http.errors.ratio", value: 0.2 });
    expect((await manager.evaluate()).pending).toBe(1);
    clock.advance(59_999);
    expect((await manager.evaluate()).firing).toBe(0);
    clock.advance(1);
    expect((await manager.evaluate()).firing).toBe(1);
    expect(handler.received).toHaveLength(1);
  });

  it("drops a pending alert when the condition clears", async () => {
    const { clock, manager } = setup([{ ...errorRate, forMs: 60_000 }]);
    manager.observe({ metric: "http.errors.ratio", value: 0.2 });
    await manager.evaluate();
    clock.advance(1_000);
    manager.observe({ metric: "http.errors.ratio", value: 0.01 });
    await manager.evaluate();
    expect(manager.alerts()).toEqual([]);
    expect(manager.history().map((entry) => entry.to)).toEqual([
      "pending",
      "inactive",
    ]);
  });

  it("fires a rate rule on fast growth only", async () => {
    const rule: AlertRule = {
      name: "QueueGrowing",
      metric: "queue.depth",
      condition: {
        kind: "rate",
        operator: ">",
        perSecond: 10,
        windowMs: 60_000,
      },
      severity: "warning",
    };
    const { clock, manager } = setup([rule]);
    manager.observe({ metric: "queue.depth", value: 100 });
    expect((await manager.evaluate()).firing).toBe(0);
    clock.advance(10_000);
    manager.observe({ metric: "queue.depth", value: 150 });
    expect((await manager.evaluate()).firing).toBe(0);
    clock.advance(10_000);
    manager.observe({ metric: "queue.depth", value: 600 });
    const summary = await manager.evaluate();
    expect(summary.firing).toBe(1);
    expect(manager.alerts()[0]?.value).toBeCloseTo(25);
  });

  it("sends a resolved notification and records history", async () => {
    const { clock, handler, manager } = setup();
    manager.observe({ metric: "http.errors.ratio", value: 0.2 });
    await manager.evaluate();
    clock.advance(30_000);
    manager.observe({ metric: "http.errors.ratio", value: 0.0 });
    await manager.evaluate();
    expect(handler.received.map((notification) => notification.status)).toEqual(
      ["firing", "resolved"],
    );
    expect(handler.received[1]?.alerts[0]?.resolvedAt).toBe(clock.now());
    expect(
      manager.history().map((entry) => `${entry.from}>${entry.to}`),
    ).toEqual(["inactive>pending", "pending>firing", "firing>resolved"]);
    const keys = handler.received.map(
      (notification) => notification.idempotencyKey,
    );
    expect(new Set(keys).size).toBe(2);
  });

  it("groups alerts by the chosen labels", async () => {
    const { handler, manager } = setup([errorRate], { groupBy: ["cluster"] });
    manager.observe({
      metric: "http.errors.ratio",
      labels: { cluster: "eu", service: "a" },
      value: 0.2,
    });
    manager.observe({
      metric: "http.errors.ratio",
      labels: { cluster: "eu", service: "b" },
      value: 0.3,
    });
    manager.observe({
      metric: "http.errors.ratio",
      labels: { cluster: "us", service: "a" },
      value: 0.4,
    });
    await manager.evaluate();
    const groups = handler.received.map((notification) => [
      notification.groupLabels,
      notification.alerts.length,
    ]);
    expect(groups).toEqual([
      [{ cluster: "eu" }, 2],
      [{ cluster: "us" }, 1],
    ]);
  });

  it("mutes silenced alerts until the silence ends", async () => {
    const { clock, handler, manager } = setup();
    manager.addSilence({
      matchers: [{ name: "service", value: "api" }],
      startsAt: clock.now(),
      endsAt: clock.now() + 60_000,
      createdBy: "ops",
    });
    manager.observe({
      metric: "http.errors.ratio",
      labels: { service: "api" },
      value: 0.2,
    });
    await manager.evaluate();
    expect(handler.received).toEqual([]);
    expect(manager.alerts()[0]?.silenced).toBe(true);
    clock.advance(60_000);
    await manager.evaluate();
    expect(handler.received).toHaveLength(1);
    expect(manager.silences()).toEqual([]);
  });

  it("ends a silence early on expiry", async () => {
    const { clock, handler, manager } = setup();
    const silence = manager.addSilence({
      matchers: [{ name: "alertname", value: "HighErrorRate" }],
      startsAt: clock.now(),
      endsAt: clock.now() + 3_600_000,
    });
    manager.observe({ metric: "http.errors.ratio", value: 0.2 });
    await manager.evaluate();
    expect(manager.expireSilence(silence.id)).toBe(true);
    await manager.evaluate();
    expect(handler.received).toHaveLength(1);
  });

  it("rejects a silence without matchers or duration", () => {
    const { clock, manager } = setup();
    let caught: unknown;
    try {
      manager.addSilence({
        matchers: [],
        startsAt: clock.now(),
        endsAt: clock.now(),
      });
    } catch (error) {
      caught = error;
    }
    const paths = isObservabilityError(caught)
      ? caught.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual(["matchers", "endsAt"]);
  });

  describe("inhibition", () => {
    const warning: AlertRule = {
      ...errorRate,
      name: "SlowRequests",
      metric: "http.p95",
      severity: "warning",
      condition: { kind: "threshold", operator: ">", value: 0.2 },
    };
    const inhibitRules = [
      {
        sourceMatchers: [{ name: "severity", value: "critical" }],
        targetMatchers: [{ name: "severity", value: "warning" }],
        equal: ["cluster"],
      },
    ];

    it("mutes a warning while a critical alert fires in its cluster", async () => {
      const { handler, manager } = setup([errorRate, warning], {
        inhibitRules,
      });
      manager.observe({
        metric: "http.errors.ratio",
        labels: { cluster: "eu" },
        value: 0.2,
      });
      manager.observe({
        metric: "http.p95",
        labels: { cluster: "eu" },
        value: 0.9,
      });
      await manager.evaluate();
      expect(
        handler.received.map(
          (notification) => notification.groupLabels["alertname"],
        ),
      ).toEqual(["HighErrorRate"]);
      expect(
        manager
          .alerts()
          .find((alert) => alert.labels["alertname"] === "SlowRequests")
          ?.inhibited,
      ).toBe(true);
    });

    it("does not mute when the label is missing on one alert", async () => {
      const { handler, manager } = setup([errorRate, warning], {
        inhibitRules,
      });
      manager.observe({
        metric: "http.errors.ratio",
        labels: { cluster: "eu" },
        value: 0.2,
      });
      manager.observe({ metric: "http.p95", labels: {}, value: 0.9 });
      await manager.evaluate();
      expect(
        handler.received.map(
          (notification) => notification.groupLabels["alertname"],
        ),
      ).toEqual(["HighErrorRate", "SlowRequests"]);
    });
  });

  it("evaluates only series that match the selector", async () => {
    const { manager } = setup([{ ...errorRate, selector: { env: "prod" } }]);
    manager.observe({
      metric: "http.errors.ratio",
      labels: { env: "dev" },
      value: 0.9,
    });
    expect((await manager.evaluate()).firing).toBe(0);
  });

  it("rejects invalid rules with every problem", () => {
    let caught: unknown;
    try {
      createAlertManager({
        rules: [
          {
            name: "",
            metric: "",
            severity: "loud" as "info",
            condition: {
              kind: "rate",
              operator: ">",
              perSecond: 1,
              windowMs: 0,
            },
          },
        ],
      });
    } catch (error) {
      caught = error;
    }
    const paths = isObservabilityError(caught)
      ? caught.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual([
      "rules[0].name",
      "rules[0].metric",
      "rules[0].severity",
      "rules[0].condition.windowMs",
    ]);
  });
});

describe("createAlertManager with bad input", () => {
  it("rejects samples that are not finite numbers", () => {
    const { manager } = setup();
    const observe = (value: unknown) => (): void => {
      manager.observe({ metric: "http.errors.ratio", value: value as number });
    };
    expect(observe(Number.NaN)).toThrow(/value: must be a finite number/u);
    expect(observe(Number.POSITIVE_INFINITY)).toThrow(/finite number/u);
    expect(observe("0.2")).toThrow(/finite number/u);
    const badLabel = (): void => {
      manager.observe({
        metric: "http.errors.ratio",
        labels: { code: 500 as unknown as string },
        value: 0.2,
      });
    };
    expect(badLabel).toThrow(/labels\.code: must be a string/u);
    const noMetric = (): void => {
      manager.observe({ metric: "", value: 0.2 });
    };
    expect(noMetric).toThrow(/metric: must be a metric name/u);
  });

  it("keeps a firing alert when a NaN sample is refused", async () => {
    const { handler, manager } = setup();
    manager.observe({ metric: "http.errors.ratio", value: 0.2 });
    await manager.evaluate();
    expect(() => {
      manager.observe({ metric: "http.errors.ratio", value: Number.NaN });
    }).toThrow(/finite number/u);
    const summary = await manager.evaluate();
    expect(summary.firing).toBe(1);
    expect(handler.received.map((item) => item.status)).toEqual(["firing"]);
  });

  it("rejects a silence with an invalid regex", async () => {
    const { clock, manager } = setup();
    const add = (): void => {
      manager.addSilence({
        matchers: [{ name: "service", value: "(api", operator: "=~" }],
        startsAt: clock.now(),
        endsAt: clock.now() + 60_000,
      });
    };
    expect(add).toThrow(/matchers\[0\]\.value: must be a valid regular/u);
    manager.observe({ metric: "http.errors.ratio", value: 0.2 });
    expect((await manager.evaluate()).firing).toBe(1);
  });

  it("rejects a silence without a matcher list", () => {
    const { clock, manager } = setup();
    const add = (): void => {
      manager.addSilence({
        matchers: undefined as unknown as [],
        startsAt: clock.now(),
        endsAt: clock.now() + 60_000,
      });
    };
    expect(add).toThrow(/matchers: must be an array of matchers/u);
  });

  it("rejects invalid inhibit rules and groupBy", () => {
    let caught: unknown;
    try {
      createAlertManager({
        rules: [errorRate],
        groupBy: "cluster" as unknown as string[],
        inhibitRules: [
          {
            sourceMatchers: [{ name: "severity", value: "[", operator: "=~" }],
            targetMatchers: [{ name: "", value: "warning" }],
            equal: "cluster" as unknown as string[],
          },
        ],
      });
    } catch (error) {
      caught = error;
    }
    const paths = isObservabilityError(caught)
      ? caught.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual([
      "groupBy",
      "inhibitRules[0].sourceMatchers[0].value",
      "inhibitRules[0].targetMatchers[0].name",
      "inhibitRules[0].equal",
    ]);
  });

  it("does not inhibit on an inherited label name", async () => {
    const { handler, manager } = setup(
      [errorRate, { ...errorRate, name: "Other", severity: "warning" }],
      {
        inhibitRules: [
          {
            sourceMatchers: [{ name: "severity", value: "critical" }],
            targetMatchers: [{ name: "severity", value: "warning" }],
            equal: ["constructor"],
          },
        ],
      },
    );
    manager.observe({ metric: "http.errors.ratio", value: 0.2 });
    await manager.evaluate();
    expect(
      handler.received.map((item) => item.groupLabels["alertname"]).sort(),
    ).toEqual(["HighErrorRate", "Other"]);
  });

  it("notifies a flapping alert once per change", async () => {
    const { clock, handler, manager } = setup([
      { ...errorRate, forMs: 10_000 },
    ]);
    for (const value of [0.2, 0.01, 0.2, 0.2, 0.2, 0.01, 0.2]) {
      manager.observe({ metric: "http.errors.ratio", value });
      await manager.evaluate();
      clock.advance(5_000);
    }
    // Pending at 0 s, cleared at 5 s, pending again at 10 s, firing at 20 s,
    // resolved at 25 s and pending again at 30 s.
    expect(handler.received.map((item) => item.status)).toEqual([
      "firing",
      "resolved",
    ]);
    expect(manager.alerts().map((alert) => alert.state)).toEqual(["pending"]);
    expect(manager.history().map((entry) => entry.to)).toEqual([
      "pending",
      "inactive",
      "pending",
      "firing",
      "resolved",
      "pending",
    ]);
  });

  it("keeps only the newest history entries", async () => {
    const { clock, manager } = setup([{ ...errorRate, forMs: 10_000 }], {
      historyLimit: 3,
    });
    for (const value of [0.2, 0.01, 0.2, 0.01, 0.2]) {
      manager.observe({ metric: "http.errors.ratio", value });
      await manager.evaluate();
      clock.advance(1_000);
    }
    expect(manager.history().map((entry) => entry.to)).toEqual([
      "pending",
      "inactive",
      "pending",
    ]);
  });

  it("notifies a silenced alert once the silence expires", async () => {
    const { clock, handler, manager } = setup();
    manager.addSilence({
      matchers: [{ name: "alertname", value: "HighErrorRate" }],
      startsAt: clock.now(),
      endsAt: clock.now() + 60_000,
    });
    manager.observe({ metric: "http.errors.ratio", value: 0.2 });
    await manager.evaluate();
    expect(handler.received).toHaveLength(0);
    clock.advance(60_000);
    await manager.evaluate();
    expect(handler.received.map((item) => item.status)).toEqual(["firing"]);
    expect(manager.silences()).toEqual([]);
  });
});

describe("alert delivery timeout", () => {
  it("moves past a handler that never settles", async () => {
    const received: string[] = [];
    let calls = 0;
    const manager = createAlertManager({
      rules: [errorRate],
      clock: createTestClock(),
      deliveryTimeoutMs: 50,
      handlers: [
        {
          name: "stuck-once",
          notify(notification) {
            calls += 1;
            if (calls === 1) {
              return new Promise<void>(() => undefined);
            }
            received.push(notification.idempotencyKey);
            return Promise.resolve();
          },
        },
      ],
    });
    manager.observe({ metric: "http.errors.ratio", value: 0.2 });
    const first = await manager.evaluate();
    const second = await manager.evaluate();
    expect(first.delivered).toBe(0);
    expect(first.queued).toBe(1);
    expect(second.delivered).toBe(1);
    expect(second.queued).toBe(0);
    expect(received).toHaveLength(1);
  });

  describe("with fake timers", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    const hung: NotificationHandler = {
      name: "hung",
      notify: () => new Promise<void>(() => undefined),
    };

    it("delivers a handler settling at the timeout", async () => {
      vi.useFakeTimers();
      let calls = 0;
      const manager = createAlertManager({
        rules: [errorRate],
        clock: createTestClock(),
        deliveryTimeoutMs: 1_000,
        handlers: [
          {
            name: "on-time",
            notify() {
              calls += 1;
              return new Promise<void>((resolve) => {
                setTimeout(resolve, 1_000);
              });
            },
          },
        ],
      });
      manager.observe({ metric: "http.errors.ratio", value: 0.2 });
      const evaluation = manager.evaluate();
      await vi.advanceTimersByTimeAsync(1_000);
      const summary = await evaluation;
      expect(summary.delivered).toBe(1);
      expect(summary.queued).toBe(0);
      expect(calls).toBe(1);
    });

    it("serves a healthy handler while another hangs", async () => {
      vi.useFakeTimers();
      const healthy = createRecordingHandler();
      const manager = createAlertManager({
        rules: [errorRate],
        clock: createTestClock(),
        groupBy: ["service"],
        deliveryTimeoutMs: 60_000,
        handlers: [hung, healthy],
      });
      for (let index = 0; index < 20; index++) {
        manager.observe({
          metric: "http.errors.ratio",
          labels: { service: `service-${index}` },
          value: 0.2,
        });
      }
      const evaluation = manager.evaluate();
      await vi.advanceTimersByTimeAsync(0);
      expect(healthy.received).toHaveLength(20);
      await vi.advanceTimersByTimeAsync(60_000);
      const first = await evaluation;
      expect(first.delivered).toBe(20);
      expect(first.queued).toBe(20);
      const second = manager.evaluate();
      await vi.advanceTimersByTimeAsync(60_000);
      expect((await second).delivered).toBe(0);
      const groups = new Set(healthy.received.map((item) => item.groupKey));
      expect(healthy.received).toHaveLength(20);
      expect(groups.size).toBe(20);
    });

    it("closes without waiting for a hung handler", async () => {
      vi.useFakeTimers();
      const manager = createAlertManager({
        rules: [errorRate],
        clock: createTestClock(),
        deliveryTimeoutMs: 60_000,
        handlers: [hung],
      });
      manager.observe({ metric: "http.errors.ratio", value: 0.2 });
      const evaluation = manager.evaluate();
      const later = manager.evaluate();
      let closed = false;
      void manager.close().then(() => {
        closed = true;
      });
      await vi.advanceTimersByTimeAsync(0);
      expect(closed).toBe(true);
      expect((await evaluation).queued).toBe(1);
      expect((await later).delivered).toBe(0);
    });
  });

  it("retries a handler that throws synchronously", async () => {
    let calls = 0;
    const manager = createAlertManager({
      rules: [errorRate],
      clock: createTestClock(),
      deliveryTimeoutMs: 1_000,
      handlers: [
        {
          name: "throws-once",
          notify() {
            calls += 1;
            if (calls === 1) throw new Error("receiver not ready");
            return Promise.resolve();
          },
        },
      ],
    });
    manager.observe({ metric: "http.errors.ratio", value: 0.2 });
    expect((await manager.evaluate()).queued).toBe(1);
    expect((await manager.evaluate()).delivered).toBe(1);
    expect(calls).toBe(2);
  });

  it("rejects an invalid delivery timeout", () => {
    const create = (): unknown =>
      createAlertManager({ rules: [errorRate], deliveryTimeoutMs: 3e9 });
    expect(create).toThrow(/deliveryTimeoutMs/u);
  });
});
