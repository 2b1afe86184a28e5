import { mkdir, rename, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";

import type { ConfigChange } from "./change.js";
import { loadConfig } from "./config.js";
import type { Config } from "./config.js";
import type { ConfigError } from "./errors.js";
import { makeTempFolder, waitFor } from "./test-support.js";

const schema = z.object({
  server: z.object({ port: z.number().int().positive(), host: z.string() }),
  mode: z.enum(["fast", "safe"]).default("safe"),
});
type Settings = z.output<typeof schema>;

let folder = "";
let remove: () => Promise<void> = () => Promise.resolve();
let config: Config<Settings> | undefined;
let changes: ConfigChange<Settings>[] = [];
let errors: ConfigError[] = [];

beforeEach(async () => {
  ({ folder, remove } = await makeTempFolder());
  changes = [];
  errors = [];
});

afterEach(async () => {
  await config?.close();
  config = undefined;
  await remove();
});

function yaml(port: number, mode = "safe"): string {
  return `server:\n  port: ${port}\n  host: example.test\nmode: ${mode}\n`;
}

async function watch(
  file: string,
  environment?: string,
): Promise<Config<Settings>> {
  config = await loadConfig({
    schema,
    file,
    env: {},
    watch: true,
    debounceMs: 20,
    ...(environment === undefined ? {} : { environment }),
  });
  config.subscribe((change) => changes.push(change));
  config.on("error", (error) => errors.push(error));
  return config;
}

describe("Config hot reload", () => {
  it("applies an edit in place", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, yaml(1000));
    const loaded = await watch(file);
    await writeFile(file, yaml(2000, "fast"));
    await waitFor("a change", () => changes.length > 0);

    expect(loaded.value.server.port).toBe(2000);
    expect(changes[0]?.previous.server.port).toBe(1000);
    expect(changes[0]?.current.server.port).toBe(2000);
    expect(changes[0]?.changedPaths).toEqual(["mode", "server.port"]);
    expect(changes[0]?.trigger).toBe("reload");
  });

  it("applies an atomic rename", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, yaml(1000));
    const loaded = await watch(file);
    const temporary = join(folder, ".config.yaml.tmp");
    await writeFile(temporary, yaml(3000));
    await rename(temporary, file);
    await waitFor("a change", () => changes.length > 0);

    expect(loaded.value.server.port).toBe(3000);
    expect(errors).toEqual([]);
  });

  it("follows a swapped ConfigMap symlink", async () => {
    // Kubernetes mounts each key as a link through `..data`, which points at
    // a timestamped folder and is replaced by renaming a new link over it.
    const first = join(folder, "..2026_01_01_00_00_00.000000001");
    const second = join(folder, "..2026_01_01_00_01_00.000000002");
    await mkdir(first);
    await mkdir(second);
    await writeFile(join(first, "config.yaml"), yaml(1000));
    await writeFile(join(second, "config.yaml"), yaml(4000));
    await symlink(first, join(folder, "..data"));
    await symlink(join("..data", "config.yaml"), join(folder, "config.yaml"));
    const loaded = await watch(join(folder, "config.yaml"));

    await symlink(second, join(folder, "..data_tmp"));
    await rename(join(folder, "..data_tmp"), join(folder, "..data"));
    await waitFor("a change", () => changes.length > 0);

    expect(loaded.value.server.port).toBe(4000);
    expect(changes[0]?.changedPaths).toEqual(["server.port"]);
  });

  it("keeps the last good config during a partial write", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, yaml(1000));
    const loaded = await watch(file);
    const full = yaml(5000, "fast");
    await writeFile(file, full.slice(0, full.indexOf("host") + 6) + '"exa');
    await waitFor("a reload error", () => errors.length > 0);

    expect(errors[0]?.code).toBe("CONFIG_FILE_UNREADABLE");
    expect(loaded.value.server.port).toBe(1000);
    expect(changes).toEqual([]);

    await writeFile(file, full);
    await waitFor("a change", () => changes.length > 0);
    expect(loaded.value.server.port).toBe(5000);
  });

  it("rolls back a config that fails validation", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, yaml(1000));
    const loaded = await watch(file);
    await writeFile(file, yaml(-5, "reckless"));
    await waitFor("a reload error", () => errors.length > 0);

    expect(errors[0]?.code).toBe("INVALID_CONFIG");
    expect(errors[0]?.issues.map((issue) => issue.path).sort()).toEqual([
      "mode",
      "server.port",
    ]);
    expect(loaded.value.server.port).toBe(1000);
    expect(loaded.value.mode).toBe("safe");
    expect(changes).toEqual([]);
  });

  it("picks up a new environment file", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, yaml(1000));
    const loaded = await watch(file, "production");
    await writeFile(join(folder, "config.production.yaml"), "mode: fast\n");
    await waitFor("a change", () => changes.length > 0);

    expect(loaded.value.mode).toBe("fast");
    expect(loaded.sourceOf("mode")?.kind).toBe("environment-file");
  });

  it("emits no change when the content is the same", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, yaml(1000));
    await watch(file);
    await writeFile(join(folder, "unrelated.txt"), "x");
    await writeFile(file, yaml(1000));
    await writeFile(file, yaml(1001));
    await waitFor("a change", () => changes.length > 0);

    expect(changes).toHaveLength(1);
    expect(changes[0]?.changedPaths).toEqual(["server.port"]);
  });

  it("stops reloading after close", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, yaml(1000));
    const loaded = await watch(file);
    await loaded.close();
    await writeFile(file, yaml(6000));
    // Waits several debounce periods to show that nothing reloads.
    await new Promise((resolve) => setTimeout(resolve, 150));

    expect(loaded.value.server.port).toBe(1000);
    expect(changes).toEqual([]);
  });
});
