import type * as FileSystem from "node:fs/promises";

import { describe, expect, it, vi } from "vitest";

import { CoreEngineErrorCode } from "../errors.js";
import { catchCoreEngineError } from "../test-support/errors.js";
import { loadBuiltInEncoder, loadWordInformation } from "./built-in-model.js";

// The bytes that loading reads differ from the files the manifest lists,
// as when a file is replaced after it was checked on disk.
vi.mock("node:fs/promises", async (importOriginal) => {
  const actual = await importOriginal<typeof FileSystem>();
  const readFile = async (
    ...args: Parameters<typeof actual.readFile>
  ): Promise<string | Buffer> => {
    const [path] = args;
    const bytes = (await actual.readFile(path)) as Buffer;
    const name = typeof path === "string" ? path : "";
    if (
      name.endsWith("encoder.json") ||
      name.endsWith("word-information.tsv")
    ) {
      const changed = Buffer.from(bytes);
      changed[changed.length - 2] = 0x20;
      return args[1] === "utf8" ? changed.toString("utf8") : changed;
    }
    return args[1] === "utf8" ? bytes.toString("utf8") : bytes;
  };
  return { ...actual, readFile, default: { ...actual, readFile } };
});

describe("loading the built-in model after its files were checked", () => {
  it("refuses bytes that differ from the manifest when they are read", async () => {
    const encoder = await catchCoreEngineError(() => loadBuiltInEncoder());
    const information = await catchCoreEngineError(() => loadWordInformation());

    expect(encoder.code).toBe(CoreEngineErrorCode.INVALID_MODEL);
    expect(encoder.message).toMatch(
      /encoder\.json does not match its manifest: SHA-256/u,
    );
    expect(information.code).toBe(CoreEngineErrorCode.INVALID_MODEL);
    expect(information.message).toMatch(
      /word-information\.tsv does not match its manifest: SHA-256/u,
    );
  });
});
