import { OpenFeature, ProviderEvents } from "@openfeature/server-sdk";
import type {
  EvaluationContext,
  EventHandler,
  Hook,
} from "@openfeature/server-sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { FlagEvaluator } from "../flags/evaluator.js";
import type { FlagDefinition } from "../flags/types.js";
import { ConfigFlagProvider } from "./provider.js";

const FLAGS: Record<string, FlagDefinition> = {
  "new-editor": {
    variants: { on: true, off: false },
    defaultVariant: "off",
    rules: [
      {
        id: "eu",
        conditions: [{ attribute: "region", operator: "equals", value: "eu" }],
        variant: "on",
      },
    ],
  },
  "search-backend": {
    variants: { classic: "classic", vector: "vector" },
    defaultVariant: "classic",
    experiment: "search-2026",
    rollout: {
      variants: [
        { variant: "classic", weight: 1 },
        { variant: "vector", weight: 1 },
      ],
    },
  },
  "max-results": { variants: { low: 10, high: 50 }, defaultVariant: "high" },
  limits: {
    variants: { standard: { rpm: 60, burst: [1, 2] } },
    defaultVariant: "standard",
  },
};

let evaluator: FlagEvaluator;

beforeEach(async () => {
  evaluator = new FlagEvaluator(FLAGS);
  await OpenFeature.setProviderAndWait(new ConfigFlagProvider(evaluator));
});

afterEach(async () => {
  OpenFeature.clearHooks();
  OpenFeature.setContext({});
  await OpenFeature.clearProviders();
});

describe("ConfigFlagProvider", () => {
  it("resolves each flag type with reason and variant", async () => {
    const client = OpenFeature.getClient();
    const bool = await client.getBooleanDetails("new-editor", false, {
      region: "eu",
    });
    const text = await client.getStringDetails("search-backend", "x", {
      targetingKey: "user-1",
    });
    const number = await client.getNumberDetails("max-results", 0);
    const object = await client.getObjectDetails("limits", {});

    expect(bool.value).toBe(true);
    expect(bool.reason).toBe("TARGETING_MATCH");
    expect(bool.variant).toBe("on");
    expect(bool.flagMetadata.ruleId).toBe("eu");
    expect(text.reason).toBe("SPLIT");
    expect(["classic", "vector"]).toContain(text.value);
    expect(text.variant).toBe(text.value);
    expect(number.value).toBe(50);
    expect(number.reason).toBe("STATIC");
    expect(object.value).toEqual({ rpm: 60, burst: [1, 2] });
  });

  it("returns FLAG_NOT_FOUND with the default value", async () => {
    const details = await OpenFeature.getClient().getBooleanDetails(
      "missing",
      true,
    );

    expect(details.value).toBe(true);
    expect(details.reason).toBe("ERROR");
    expect(details.errorCode).toBe("FLAG_NOT_FOUND");
    expect(details.errorMessage).toContain("missing");
  });

  it("returns TYPE_MISMATCH with the default value", async () => {
    const details = await OpenFeature.getClient().getNumberDetails(
      "new-editor",
      7,
    );

    expect(details.value).toBe(7);
    expect(details.reason).toBe("ERROR");
    expect(details.errorCode).toBe("TYPE_MISMATCH");
  });

  it("gives hooks and the provider the merged context", async () => {
    const seen: EvaluationContext[] = [];
    const hook: Hook = {
      before: (hookContext) => {
        seen.push({ ...hookContext.context });
      },
    };
    OpenFeature.addHooks(hook);
    OpenFeature.setContext({ region: "eu", app: "web" });
    const client = OpenFeature.getClient();
    client.setContext({ tier: "gold" });
    const value = await client.getBooleanValue("new-editor", false, {
      targetingKey: "user-9",
    });

    expect(value).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual({
      region: "eu",
      app: "web",
      tier: "gold",
      targetingKey: "user-9",
    });
  });

  it("counts exposures through the OpenFeature API", async () => {
    const client = OpenFeature.getClient();
    for (let index = 0; index < 100; index += 1) {
      await client.getStringValue("search-backend", "classic", {
        targetingKey: `user-${index}`,
      });
    }
    const counts = evaluator.exposureCounts("search-backend");

    expect((counts.classic ?? 0) + (counts.vector ?? 0)).toBe(100);
  });

  it("emits a configuration change when flags change", async () => {
    const changed: unknown[] = [];
    const handler: EventHandler = (details) => {
      changed.push(details?.flagsChanged);
    };
    OpenFeature.addHandler(ProviderEvents.ConfigurationChanged, handler);
    evaluator.setFlags({
      ...FLAGS,
      "max-results": { variants: { low: 10 }, defaultVariant: "low" },
    });
    await new Promise((resolve) => setTimeout(resolve, 0));

    expect(changed).toEqual([["max-results"]]);
    expect(await OpenFeature.getClient().getNumberValue("max-results", 0)).toBe(
      10,
    );
    OpenFeature.removeHandler(ProviderEvents.ConfigurationChanged, handler);
  });

  it("resolves a null object flag", async () => {
    evaluator.setFlags({
      ...FLAGS,
      empty: { variants: { none: null }, defaultVariant: "none" },
    });
    const details = await OpenFeature.getClient().getObjectDetails("empty", {
      fallback: true,
    });

    expect(details.value).toBeNull();
    expect(details.errorCode).toBeUndefined();
  });

  it("names the requested type in a mismatch", async () => {
    const details = await OpenFeature.getClient().getObjectDetails(
      "new-editor",
      {},
    );

    expect(details.errorCode).toBe("TYPE_MISMATCH");
    expect(details.errorMessage).toContain("does not have an object value");
  });

  it("emits changes again after it is registered again", async () => {
    const provider = new ConfigFlagProvider(evaluator);
    await OpenFeature.setProviderAndWait(provider);
    await OpenFeature.clearProviders();
    await OpenFeature.setProviderAndWait(provider);
    const changed: unknown[] = [];
    provider.events.addHandler(
      ProviderEvents.ConfigurationChanged,
      (details) => {
        changed.push(details?.flagsChanged);
      },
    );
    evaluator.setFlags({
      ...FLAGS,
      extra: { variants: { one: 1 }, defaultVariant: "one" },
    });

    expect(changed).toEqual([["extra"]]);
  });
});
