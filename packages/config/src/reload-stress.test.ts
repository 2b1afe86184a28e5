import { execFileSync } from "node:child_process";
import {
  link,
  mkdir,
  rename,
  rm,
  symlink,
  unlink,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";

import type { ConfigChange } from "./change.js";
import { loadConfig } from "./config.js";
import type { Config } from "./config.js";
import { isConfigError } from "./errors.js";
import type { ConfigError } from "./errors.js";
import { makeTempFolder, waitFor } from "./test-support.js";

const schema = z.object({ port: z.number().int().positive() });
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

async function watch(file: string): Promise<Config<Settings>> {
  config = await loadConfig({
    schema,
    file,
    env: {},
    watch: true,
    debounceMs: 20,
  });
  config.subscribe((change) => changes.push(change));
  config.on("error", (error) => errors.push(error));
  return config;
}

function ports(): number[] {
  return changes.map((change) => change.current.port);
}

describe("Config hot reload under stress", () => {
  it("ends on the last of many rapid writes", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, "port: 1\n");
    const loaded = await watch(file);
    for (let port = 2; port <= 60; port += 1) {
      await writeFile(file, `port: ${port}\n`);
    }
    await waitFor("port 60", () => loaded.value.port === 60);

    const seen = ports();
    expect(seen.at(-1)).toBe(60);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    expect(errors).toEqual([]);
  });

  it("recovers after a delete and a recreate", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, "port: 1\n");
    const loaded = await watch(file);
    await writeFile(file, "port: 2\n");
    await unlink(file);
    await waitFor("a reload error", () => errors.length > 0);

    expect(errors[0]?.code).toBe("CONFIG_FILE_UNREADABLE");
    expect(errors[0]?.message).toContain("ENOENT");
    expect(loaded.value.port).toBe(1);

    await writeFile(file, "port: 3\n");
    await waitFor("port 3", () => loaded.value.port === 3);
    expect(ports()).toEqual([3]);
  });

  it("watches a folder that was removed and created again", async () => {
    const directory = join(folder, "etc");
    const file = join(directory, "config.yaml");
    await mkdir(directory);
    await writeFile(file, "port: 1\n");
    const loaded = await watch(file);
    await rm(directory, { recursive: true });
    await waitFor("a reload error", () => errors.length > 0);
    await mkdir(directory);
    await writeFile(file, "port: 5\n");
    await waitFor("port 5", () => loaded.value.port === 5);

    await writeFile(file, "port: 6\n");
    await waitFor("port 6", () => loaded.value.port === 6);
    expect(ports()).toEqual([5, 6]);
  });

  it("follows a file symlinked from another folder", async () => {
    const target = join(folder, "shared", "real.yaml");
    await mkdir(join(folder, "shared"));
    await mkdir(join(folder, "app"));
    await writeFile(target, "port: 1\n");
    const file = join(folder, "app", "config.yaml");
    await symlink(target, file);
    const loaded = await watch(file);
    await writeFile(target, "port: 2\n");
    await waitFor("port 2", () => loaded.value.port === 2);

    expect(ports()).toEqual([2]);
  });

  it("follows a swapped symlinked folder", async () => {
    // Deploy tools point `current` at a release folder and swap the link.
    for (const [release, port] of [
      ["v1", 1],
      ["v2", 2],
    ] as const) {
      await mkdir(join(folder, release));
      await writeFile(join(folder, release, "config.yaml"), `port: ${port}\n`);
    }
    await symlink("v1", join(folder, "current"));
    const loaded = await watch(join(folder, "current", "config.yaml"));
    await symlink("v2", join(folder, "current.tmp"));
    await rename(join(folder, "current.tmp"), join(folder, "current"));
    await waitFor("port 2", () => loaded.value.port === 2);

    await writeFile(join(folder, "v2", "config.yaml"), "port: 3\n");
    await waitFor("port 3", () => loaded.value.port === 3);
    expect(ports()).toEqual([2, 3]);
  });

  it("follows repeated ConfigMap swaps", async () => {
    let version = 0;
    const publish = async (port: number) => {
      version += 1;
      const data = `..2026_${version}`;
      await mkdir(join(folder, data));
      await writeFile(join(folder, data, "config.yaml"), `port: ${port}\n`);
      await symlink(data, join(folder, "..data_tmp"));
      await rename(join(folder, "..data_tmp"), join(folder, "..data"));
      if (version > 1) {
        await rm(join(folder, `..2026_${version - 1}`), { recursive: true });
      }
    };
    await publish(1);
    const file = join(folder, "config.yaml");
    await symlink(join("..data", "config.yaml"), file);
    const loaded = await watch(file);
    for (let port = 2; port <= 20; port += 1) {
      await publish(port);
    }
    await waitFor("port 20", () => loaded.value.port === 20);

    const seen = ports();
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    expect(errors).toEqual([]);
  });

  it("keeps the config while the file is a folder", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, "port: 1\n");
    const loaded = await watch(file);
    await unlink(file);
    await mkdir(file);
    await waitFor("EISDIR", () =>
      errors.some((error) => error.message.includes("EISDIR")),
    );
    expect(loaded.value.port).toBe(1);

    await rm(file, { recursive: true });
    await writeFile(file, "port: 8\n");
    await waitFor("port 8", () => loaded.value.port === 8);
  });

  it("reports an emptied file against the schema", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, "port: 1\n");
    const loaded = await watch(file);
    await writeFile(file, "");
    await waitFor("a reload error", () => errors.length > 0);

    expect(errors[0]?.code).toBe("INVALID_CONFIG");
    expect(errors[0]?.issues.map((issue) => issue.path)).toEqual(["port"]);
    expect(loaded.value.port).toBe(1);
    expect(changes).toEqual([]);
  });

  it("skips queued reloads after close", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, "port: 1\n");
    const loaded = await watch(file);
    await writeFile(file, "port: 2\n");
    await loaded.close();
    await writeFile(file, "port: 3\n");
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(loaded.value.port).toBe(1);
    expect(changes).toEqual([]);
  });
});

describe("Config reload order", () => {
  it("applies concurrent reloads in call order", async () => {
    // The first reload blocks on a FIFO until the test writes to it, and
    // the second reads a regular file renamed over it, so reloads that ran
    // side by side would apply the first, older content last.
    const file = join(folder, "config.yaml");
    await writeFile(file, "port: 1\n");
    const loaded = await loadConfig({ schema, file, env: {} });
    await unlink(file);
    execFileSync("mkfifo", [file]);
    const pipe = join(folder, "pipe");
    await link(file, pipe);
    const first = loaded.reload();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const small = join(folder, "small.yaml");
    await writeFile(small, "port: 3\n");
    await rename(small, file);
    const second = loaded.reload();
    await writeFile(pipe, "port: 2\n");
    await Promise.all([first, second]);

    expect(loaded.value.port).toBe(3);
  });
});

describe("YAML config files", () => {
  it("loads a map of 40,000 keys", { timeout: 60_000 }, async () => {
    // A pairwise duplicate-key check takes minutes on this file.
    const file = join(folder, "config.yaml");
    const keys = Array.from({ length: 40_000 }, (_, i) => `k${i}: ${i}`);
    await writeFile(file, ["port: 9", ...keys].join("\n"));
    const loaded = await loadConfig({ schema, file, env: {} });

    expect(loaded.value.port).toBe(9);
  });

  it("rejects a duplicate key with its line", async () => {
    const file = join(folder, "config.yaml");
    await writeFile(file, "port: 1\nnested:\n  a: 1\n  a: 2\n");
    const error = await loadConfig({ schema, file, env: {} }).catch(
      (caught: unknown) => caught,
    );

    expect(isConfigError(error)).toBe(true);
    expect((error as ConfigError).code).toBe("CONFIG_FILE_UNREADABLE");
    expect((error as ConfigError).message).toContain(
      "at line 4, column 3 (DUPLICATE_KEY)",
    );
  });

  it("rejects an alias bomb with a ConfigError", async () => {
    const file = join(folder, "config.yaml");
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    let previous = "a";
    for (const name of "bcdefghi") {
      const refs = Array.from({ length: 9 }, () => `*${previous}`).join(", ");
      lines.push(`${name}: &${name} [${refs}]`);
      previous = name;
    }
    await writeFile(file, [...lines, "port: 1"].join("\n"));
    const error = await loadConfig({ schema, file, env: {} }).catch(
      (caught: unknown) => caught,
    );

    expect(isConfigError(error)).toBe(true);
    expect((error as ConfigError).code).toBe("CONFIG_FILE_UNREADABLE");
    expect((error as ConfigError).message).toContain("aliases");
  });
});
