import { describe, expect, it } from "vitest";

import { isConfigError } from "../errors.js";
import type { ConfigError } from "../errors.js";
import { FlagEvaluator } from "./evaluator.js";
import type { ExposureEvent } from "./evaluator.js";
import type { FlagDefinition } from "./types.js";

const onOff = { on: true, off: false };

function caught(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (isConfigError(error)) {
      return error;
    }
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("FlagEvaluator targeting", () => {
  const flags: Record<string, FlagDefinition> = {
    "new-editor": {
      variants: onOff,
      defaultVariant: "off",
      rules: [
        {
          id: "staff",
          conditions: [
            { attribute: "email", operator: "endsWith", value: "@corp.test" },
          ],
          variant: "on",
        },
        {
          id: "eu-modern-clients",
          conditions: [
            { attribute: "country", operator: "in", value: ["FR", "DE"] },
            { attribute: "app.version", operator: "semverGte", value: "2.3.0" },
            { attribute: "plan", operator: "notIn", value: ["free"] },
          ],
          variant: "on",
        },
      ],
    },
  };
  const evaluator = new FlagEvaluator(flags);

  it("serves the first matching rule", () => {
    const result = evaluator.evaluate("new-editor", {
      email: "ana@corp.test",
    });

    expect(result.value).toBe(true);
    expect(result.reason).toBe("TARGETING_MATCH");
    expect(result.ruleId).toBe("staff");
  });

  it("requires every condition of a rule", () => {
    const base = { country: "FR", app: { version: "2.3.0" }, plan: "team" };

    expect(evaluator.getBoolean("new-editor", base)).toBe(true);
    expect(
      evaluator.getBoolean("new-editor", {
        ...base,
        app: { version: "2.2.9" },
      }),
    ).toBe(false);
    expect(evaluator.getBoolean("new-editor", { ...base, plan: "free" })).toBe(
      false,
    );
    expect(evaluator.getBoolean("new-editor", { ...base, country: "US" })).toBe(
      false,
    );
  });

  it("falls back to the default variant", () => {
    const result = evaluator.evaluate("new-editor", {});

    expect(result.variant).toBe("off");
    expect(result.reason).toBe("DEFAULT");
  });

  it("serves the off variant of a disabled flag", () => {
    const disabled = new FlagEvaluator({
      beta: {
        ...flags["new-editor"],
        enabled: false,
        offVariant: "off",
      } as FlagDefinition,
    });
    const result = disabled.evaluate("beta", { email: "ana@corp.test" });

    expect(result.value).toBe(false);
    expect(result.reason).toBe("DISABLED");
  });
});

describe("FlagEvaluator operators", () => {
  const cases: readonly [string, unknown, unknown, boolean][] = [
    ["equals", "a", "a", true],
    ["equals", "a", "b", false],
    ["notEquals", "a", "b", true],
    ["notEquals", undefined, "b", true],
    ["in", 3, [1, 2, 3], true],
    ["notIn", 4, [1, 2, 3], true],
    ["startsWith", "user-42", "user-", true],
    ["startsWith", 42, "4", false],
    ["contains", ["a", "b"], "b", true],
    ["lt", 4, 5, true],
    ["lt", "4", 5, true],
    ["lt", "four", 5, false],
    ["lte", 5, 5, true],
    ["gt", 6, 5, true],
    ["gte", 4, 5, false],
    ["semverEq", "1.2.3", "1.2.3", true],
    ["semverLt", "1.2.3-rc.1", "1.2.3", true],
    ["semverGt", "1.10.0", "1.9.9", true],
    ["semverGt", "not-a-version", "1.0.0", false],
    ["equals", undefined, "a", false],
  ];

  it("applies each operator", () => {
    for (const [operator, actual, expected, matches] of cases) {
      const evaluator = new FlagEvaluator({
        flag: {
          variants: onOff,
          defaultVariant: "off",
          rules: [
            {
              conditions: [
                { attribute: "x", operator, value: expected } as never,
              ],
              variant: "on",
            },
          ],
        },
      });
      const context = actual === undefined ? {} : { x: actual };
      expect(
        evaluator.getBoolean("flag", context),
        `${JSON.stringify(actual)} ${operator} ${JSON.stringify(expected)}`,
      ).toBe(matches);
    }
  });
});

describe("FlagEvaluator rollouts", () => {
  it("includes about the requested share of keys", () => {
    const evaluator = new FlagEvaluator({
      checkout: {
        variants: onOff,
        defaultVariant: "off",
        rollout: { percentage: 25, variants: [{ variant: "on", weight: 1 }] },
      },
    });
    let on = 0;
    for (let index = 0; index < 10_000; index += 1) {
      if (evaluator.getBoolean("checkout", { targetingKey: `user-${index}` })) {
        on += 1;
      }
    }

    expect(on).toBeGreaterThan(2300);
    expect(on).toBeLessThan(2700);
  });

  it("keeps included keys on their variant when the share grows", () => {
    const definition = (percentage: number): FlagDefinition => ({
      variants: { a: "a", b: "b", none: "none" },
      defaultVariant: "none",
      rollout: {
        percentage,
        variants: [
          { variant: "a", weight: 1 },
          { variant: "b", weight: 1 },
        ],
      },
    });
    const small = new FlagEvaluator({ exp: definition(10) });
    const large = new FlagEvaluator({ exp: definition(60) });
    for (let index = 0; index < 2_000; index += 1) {
      const context = { targetingKey: `k${index}` };
      const before = small.getString("exp", context);
      if (before !== "none") {
        expect(large.getString("exp", context)).toBe(before);
      }
    }
  });

  it("skips a rollout without a targeting key", () => {
    const evaluator = new FlagEvaluator({
      checkout: {
        variants: onOff,
        defaultVariant: "off",
        rollout: { variants: [{ variant: "on", weight: 1 }] },
      },
    });
    const result = evaluator.evaluate("checkout", {});

    expect(result.variant).toBe("off");
    expect(result.reason).toBe("DEFAULT");
  });

  it("reports both buckets of a split", () => {
    const evaluator = new FlagEvaluator({
      color: {
        variants: { red: "red", blue: "blue" },
        defaultVariant: "red",
        rollout: {
          variants: [
            { variant: "red", weight: 50 },
            { variant: "blue", weight: 50 },
          ],
        },
      },
    });
    const result = evaluator.evaluate("color", { targetingKey: "user-7" });

    expect(result.reason).toBe("SPLIT");
    expect(result.rolloutBucket).toBeTypeOf("number");
    expect(result.variant).toBe(
      (result.variantBucket ?? 0) < 5000 ? "red" : "blue",
    );
  });
});

describe("FlagEvaluator experiments", () => {
  const flags: Record<string, FlagDefinition> = {
    "pricing-page": {
      variants: { control: "v1", treatment: "v2" },
      defaultVariant: "control",
      experiment: "pricing-2026",
      rollout: {
        variants: [
          { variant: "control", weight: 1 },
          { variant: "treatment", weight: 1 },
        ],
      },
    },
    plain: { variants: onOff, defaultVariant: "on" },
  };

  it("emits and counts exposures", () => {
    const events: ExposureEvent[] = [];
    const evaluator = new FlagEvaluator(flags, {
      onExposure: (event) => events.push(event),
    });
    for (let index = 0; index < 1_000; index += 1) {
      evaluator.evaluate("pricing-page", { targetingKey: `u${index}` });
      evaluator.evaluate("plain", { targetingKey: `u${index}` });
    }
    const counts = evaluator.exposureCounts("pricing-page");

    expect(events).toHaveLength(1_000);
    expect(events[0]?.experiment).toBe("pricing-2026");
    expect(events[0]?.targetingKey).toBe("u0");
    expect((counts.control ?? 0) + (counts.treatment ?? 0)).toBe(1_000);
    expect(counts.control).toBeGreaterThan(400);
    expect(counts.treatment).toBeGreaterThan(400);
    expect(evaluator.exposureCounts("plain")).toEqual({});

    evaluator.resetExposures();
    expect(evaluator.exposureCounts("pricing-page")).toEqual({});
  });

  it("counts no exposure for a type mismatch", () => {
    const evaluator = new FlagEvaluator(flags);
    const result = evaluator.evaluate(
      "pricing-page",
      { targetingKey: "u" },
      "number",
    );

    expect(result.errorCode).toBe("TYPE_MISMATCH");
    expect(evaluator.exposureCounts("pricing-page")).toEqual({});
  });
});

describe("FlagEvaluator errors", () => {
  const evaluator = new FlagEvaluator({
    limit: { variants: { low: 10, high: 100 }, defaultVariant: "low" },
  });

  it("raises FLAG_NOT_FOUND for an unknown key", () => {
    const error = caught(() => evaluator.getBoolean("missing"));

    expect(error.code).toBe("FLAG_NOT_FOUND");
    expect(error.message).toContain("limit");
    expect(evaluator.evaluate("missing").errorCode).toBe("FLAG_NOT_FOUND");
    expect(evaluator.evaluate("toString").errorCode).toBe("FLAG_NOT_FOUND");
  });

  it("raises FLAG_TYPE_MISMATCH for another type", () => {
    expect(caught(() => evaluator.getString("limit")).code).toBe(
      "FLAG_TYPE_MISMATCH",
    );
    expect(evaluator.getNumber("limit")).toBe(10);
  });

  it("reports every invalid definition at once", () => {
    const error = caught(
      () =>
        new FlagEvaluator({
          a: {
            variants: onOff,
            defaultVariant: "maybe",
            rules: [
              {
                conditions: [
                  { attribute: "v", operator: "semverLt", value: "two" },
                ],
                variant: "on",
              },
            ],
            rollout: { percentage: 120, variants: [] },
          },
        }),
    );

    expect(error.code).toBe("INVALID_FLAG_DEFINITION");
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      "a.rollout.percentage",
      "a.rollout.variants",
      "a.rules.0.conditions.0.value",
    ]);
  });

  it("reports variants that a flag does not define", () => {
    const error = caught(
      () =>
        new FlagEvaluator({
          a: {
            variants: onOff,
            defaultVariant: "maybe",
            rules: [{ conditions: [], variant: "perhaps" }],
          },
        }),
    );

    expect(error.issues.map((issue) => issue.path)).toEqual([
      "a.defaultVariant",
      "a.rules.0.variant",
    ]);
    expect(error.issues[0]?.message).toContain("on, off");
  });

  it("keeps the old flags when new ones are invalid", () => {
    const keys: (readonly string[])[] = [];
    evaluator.onChange((changed) => keys.push(changed));

    expect(() =>
      evaluator.setFlags({ limit: { variants: {}, defaultVariant: "x" } }),
    ).toThrow();
    expect(evaluator.getNumber("limit")).toBe(10);

    evaluator.setFlags({
      limit: { variants: { low: 5 }, defaultVariant: "low" },
      extra: { variants: onOff, defaultVariant: "on" },
    });
    expect(evaluator.getNumber("limit")).toBe(5);
    expect(keys).toEqual([["limit", "extra"]]);
  });
});
