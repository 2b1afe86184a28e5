import { writeFile } from "node:fs/promises";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";

import { loadConfig } from "./config.js";
import { getAtPath, writePath } from "./paths.js";
import type { ConfigWarning } from "./sources.js";
import { makeTempFolder } from "./test-support.js";

const schema = z.looseObject({
  a: z.number().default(1),
  m: z.record(z.string(), z.any()).default({}),
  list: z.array(z.any()).default([]),
});

let folder = "";
let remove: () => Promise<void> = () => Promise.resolve();

beforeEach(async () => {
  ({ folder, remove } = await makeTempFolder());
});

afterEach(async () => {
  await remove();
});

// Reads a property that only a polluted Object.prototype would have.
function inherited(name: string): unknown {
  return (Object.create(Object.prototype) as Record<string, unknown>)[name];
}

function unsafeWarnings(warnings: readonly ConfigWarning[]) {
  return warnings.filter((warning) => warning.code === "UNSAFE_KEY");
}

describe("config files with prototype keys", () => {
  const cases = [
    {
      name: "config.json",
      text: '{"a":1,"__proto__":{"pollutedJson":"yes"}}',
      property: "pollutedJson",
      path: "__proto__",
    },
    {
      name: "config.yaml",
      text: "a: 1\n__proto__:\n  pollutedYaml: yes\n",
      property: "pollutedYaml",
      path: "__proto__",
    },
    {
      name: "nested.json",
      text: '{"a":1,"m":{"__proto__":{"pollutedNested":"yes"}}}',
      property: "pollutedNested",
      path: "m.__proto__",
    },
    {
      name: "array.json",
      text: '{"list":[{"__proto__":{"pollutedArray":"yes"}}]}',
      property: "pollutedArray",
      path: "list.0.__proto__",
    },
    {
      name: "constructor.json",
      text: '{"m":{"constructor":{"prototype":{"pollutedCtor":"yes"}}}}',
      property: "pollutedCtor",
      path: "m.constructor",
    },
  ];

  for (const { name, text, property, path } of cases) {
    it(`drops ${path} from ${name}`, async () => {
      const file = join(folder, name);
      await writeFile(file, text);
      const warnings: ConfigWarning[] = [];
      const config = await loadConfig({
        schema,
        file,
        env: {},
        onWarning: (warning) => warnings.push(warning),
      });

      expect(inherited(property)).toBeUndefined();
      expect(getAtPath(config.value, path)).toBeUndefined();
      expect(JSON.stringify(config.value)).not.toContain(property);
      expect(unsafeWarnings(warnings)).toHaveLength(1);
      expect(unsafeWarnings(warnings)[0]?.path).toBe(path);
      expect(unsafeWarnings(warnings)[0]?.name).toBe(`file ${file}`);
    });
  }

  it("drops prototype keys from the environment file", async () => {
    const file = join(folder, "config.json");
    await writeFile(file, '{"a":1}');
    const environmentFile = join(folder, "config.production.json");
    await writeFile(environmentFile, '{"__proto__":{"pollutedEnvFile":1}}');
    const config = await loadConfig({
      schema,
      file,
      environment: "production",
      env: {},
    });

    expect(inherited("pollutedEnvFile")).toBeUndefined();
    expect(JSON.stringify(config.value)).not.toContain("pollutedEnvFile");
    expect(unsafeWarnings(config.warnings)[0]?.name).toBe(
      `environment-file ${environmentFile}`,
    );
  });
});

describe("env variables with prototype keys", () => {
  it("drops __proto__ from a JSON value", async () => {
    const config = await loadConfig({
      schema,
      env: { RF_M: '{"__proto__":{"pollutedEnv":"yes"}}' },
    });

    expect(inherited("pollutedEnv")).toBeUndefined();
    expect(config.value.m).toEqual({});
    expect(Object.hasOwn(config.value.m, "__proto__")).toBe(false);
    expect(unsafeWarnings(config.warnings)[0]?.name).toBe("env RF_M");
    expect(unsafeWarnings(config.warnings)[0]?.path).toBe("m.__proto__");
  });

  it("drops a constructor record key", async () => {
    const config = await loadConfig({
      schema,
      env: { RF_M__CONSTRUCTOR: "z" },
    });

    expect(Object.hasOwn(config.value.m, "constructor")).toBe(false);
    expect(unsafeWarnings(config.warnings)[0]?.path).toBe("m.constructor");
  });
});

describe("defaults and overrides with prototype keys", () => {
  it("drops keys from defaults and overrides", async () => {
    const defaults = JSON.parse(
      '{"__proto__":{"pollutedDefault":1}}',
    ) as Record<string, unknown>;
    const overrides = JSON.parse(
      '{"m":{"__proto__":{"pollutedOverride":1}}}',
    ) as Record<string, unknown>;
    const config = await loadConfig({ schema, env: {}, defaults, overrides });

    expect(inherited("pollutedDefault")).toBeUndefined();
    expect(inherited("pollutedOverride")).toBeUndefined();
    expect(JSON.stringify(config.value)).not.toContain("polluted");
    expect(
      unsafeWarnings(config.warnings).map((warning) => warning.name),
    ).toEqual(["defaults", "runtime override"]);
  });

  it("drops a __proto__ path given to set", async () => {
    const config = await loadConfig({ schema, env: {} });
    config.set("__proto__.pollutedSet", 1);
    config.set("m.constructor.prototype.pollutedSetCtor", 1);

    expect(inherited("pollutedSet")).toBeUndefined();
    expect(inherited("pollutedSetCtor")).toBeUndefined();
    expect(JSON.stringify(config.value)).not.toContain("polluted");
    expect(config.get("constructor")).toBeUndefined();
    expect(config.get("a.__proto__")).toBeUndefined();
  });
});

describe("path helpers", () => {
  it("writePath keeps __proto__ as data", () => {
    const root: Record<string, unknown> = {};
    writePath(root, "__proto__.pollutedWrite", 1);

    expect(inherited("pollutedWrite")).toBeUndefined();
    expect(Object.getPrototypeOf(root)).toBe(Object.prototype);
    expect(Object.hasOwn(root, "__proto__")).toBe(true);
  });

  it("getAtPath reads only own properties", () => {
    expect(getAtPath({}, "constructor")).toBeUndefined();
    expect(getAtPath({ a: {} }, "a.__proto__")).toBeUndefined();
    expect(getAtPath({ a: [1, 2] }, "a.1")).toBe(2);
  });
});
