import { afterEach, describe, expect, it, vi } from "vitest";

import { isConfigError } from "../errors.js";
import type { ConfigError } from "../errors.js";
import { FlagEvaluator } from "./evaluator.js";
import type { EvaluationContext, FlagDefinition } from "./types.js";

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

const under18: FlagDefinition = {
  variants: { on: true, off: false },
  defaultVariant: "off",
  rules: [
    {
      conditions: [{ attribute: "age", operator: "lt", value: 18 }],
      variant: "on",
    },
  ],
};

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("FlagEvaluator definition checks", () => {
  it("rejects variants of mixed types", () => {
    const error = caught(
      () =>
        new FlagEvaluator({
          mixed: { variants: { a: true, b: "yes" }, defaultVariant: "a" },
        }),
    );

    expect(error.code).toBe("INVALID_FLAG_DEFINITION");
    expect(error.issues[0]?.path).toBe("mixed.variants");
    expect(error.issues[0]?.message).toContain("boolean, string");
  });

  it("rejects weights whose sum overflows", () => {
    const error = caught(
      () =>
        new FlagEvaluator({
          split: {
            variants: { a: 1, b: 2 },
            defaultVariant: "a",
            rollout: {
              variants: [
                { variant: "a", weight: Number.MAX_VALUE },
                { variant: "b", weight: Number.MAX_VALUE },
              ],
            },
          },
        }),
    );

    expect(error.issues[0]?.path).toBe("split.rollout.variants");
    expect(error.issues[0]?.message).toContain("finite");
  });

  it("rejects inherited names as variants", () => {
    const error = caught(
      () =>
        new FlagEvaluator({
          f: { variants: { a: 1 }, defaultVariant: "toString" },
        }),
    );

    expect(error.issues[0]?.path).toBe("f.defaultVariant");
  });
});

describe("FlagEvaluator contexts", () => {
  it("treats blank text as no number", () => {
    const flags = new FlagEvaluator({ young: under18 });

    expect(flags.evaluate("young", { age: "" }).variant).toBe("off");
    expect(flags.evaluate("young", { age: "  " }).variant).toBe("off");
    expect(flags.evaluate("young", { age: "12" }).variant).toBe("on");
  });

  it("evaluates a null context as empty", () => {
    const flags = new FlagEvaluator({ young: under18 });
    const result = flags.evaluate(
      "young",
      null as unknown as EvaluationContext,
    );

    expect(result.variant).toBe("off");
    expect(result.reason).toBe("DEFAULT");
  });

  it("serves a null variant as an object", () => {
    const flags = new FlagEvaluator({
      f: { variants: { none: null }, defaultVariant: "none" },
    });

    expect(flags.getObject("f")).toBeNull();
  });
});

describe("FlagEvaluator listeners", () => {
  it("keeps evaluating when an exposure listener throws", () => {
    const raised: (() => void)[] = [];
    vi.stubGlobal("queueMicrotask", (task: () => void) => raised.push(task));
    const seen: string[] = [];
    const flags = new FlagEvaluator(
      { exp: { variants: { a: 1 }, defaultVariant: "a", experiment: true } },
      {
        onExposure: () => {
          throw new Error("listener failed");
        },
      },
    );
    flags.onExposure((event) => seen.push(event.variant));
    const result = flags.evaluate("exp", { targetingKey: "u" });

    expect(result.value).toBe(1);
    expect(seen).toEqual(["a"]);
    expect(flags.exposureCounts("exp")).toEqual({ a: 1 });
    expect(raised).toHaveLength(1);
    expect(() => raised[0]?.()).toThrow("listener failed");
  });

  it("notifies every change listener when one throws", () => {
    const raised: (() => void)[] = [];
    vi.stubGlobal("queueMicrotask", (task: () => void) => raised.push(task));
    const flags = new FlagEvaluator({});
    const seen: (readonly string[])[] = [];
    flags.onChange(() => {
      throw new Error("listener failed");
    });
    flags.onChange((keys) => seen.push(keys));
    flags.setFlags({ f: { variants: { a: 1 }, defaultVariant: "a" } });

    expect(seen).toEqual([["f"]]);
    expect(flags.keys()).toEqual(["f"]);
    expect(raised).toHaveLength(1);
  });
});
