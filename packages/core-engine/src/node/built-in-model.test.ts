import {
  cp,
  mkdtemp,
  readFile,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { CoreEngineErrorCode } from "../errors.js";
import { catchCoreEngineError } from "../test-support/errors.js";
import {
  BUILT_IN_MODEL_FOLDER,
  loadBuiltInEncoder,
  loadWordInformation,
  verifyModelFolder,
} from "./built-in-model.js";

const copies: string[] = [];

async function copyOfModel(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), "rf-built-in-"));
  copies.push(folder);
  await cp(BUILT_IN_MODEL_FOLDER, folder, { recursive: true });
  return folder;
}

afterAll(async () => {
  await Promise.all(
    copies.map((folder) => rm(folder, { recursive: true, force: true })),
  );
});

function cosine(left: Float32Array, right: Float32Array): number {
  return left.reduce(
    (sum, value, index) => sum + value * (right[index] as number),
    0,
  );
}

describe("built-in model", () => {
  it("verifies against its manifest", async () => {
    const manifest = await verifyModelFolder(BUILT_IN_MODEL_FOLDER);

    expect(manifest.files.map((file) => file.path)).toContain("model.onnx");
    expect(manifest.sources.length).toBeGreaterThan(0);
    expect(manifest.command).toBe("pnpm model:build");
  });

  it("places a question near its answer", async () => {
    const encoder = await loadBuiltInEncoder();
    const [question, answer, unrelated] = await encoder.encode(
      [
        "Who is the captain of the whaling ship?",
        "Ahab commands the Pequod, a whaler out of Nantucket.",
        "The proxy validates the cached response with an entity tag.",
      ],
      { purpose: "query" },
    );
    const empty = new Float32Array();

    expect(encoder.dimension).toBe(256);
    expect(cosine(question ?? empty, answer ?? empty)).toBeGreaterThan(
      cosine(question ?? empty, unrelated ?? empty) + 0.2,
    );
  });

  it("refuses a file that differs from the manifest", async () => {
    const folder = await copyOfModel();
    const path = join(folder, "tokenizer.json");
    const text = await readFile(path, "utf8");
    await writeFile(path, text.replace('"[UNK]"', '"[UNKNOWN]"'));
    const error = await catchCoreEngineError(() =>
      loadBuiltInEncoder({}, folder),
    );

    expect(error.code).toBe(CoreEngineErrorCode.INVALID_MODEL);
    expect(error.message).toContain(`${path} does not match its manifest`);
    expect(error.message).toContain("pnpm model:build");
  });

  it("refuses a missing file", async () => {
    const folder = await copyOfModel();
    await rm(join(folder, "encoder.json"));
    const error = await catchCoreEngineError(() => verifyModelFolder(folder));

    expect(error.message).toMatch(/encoder\.json, listed in .*was not found/);
  });

  it("names a missing folder", async () => {
    const error = await catchCoreEngineError(() =>
      verifyModelFolder("/nonexistent/rf-built-in"),
    );

    expect(error.message).toContain(
      "The model folder /nonexistent/rf-built-in was not found",
    );
  });

  it("refuses a manifest that omits a file loading reads", async () => {
    const folder = await copyOfModel();
    const path = join(folder, "manifest.json");
    const manifest = JSON.parse(await readFile(path, "utf8")) as {
      files: { path: string }[];
    };
    manifest.files = manifest.files.filter(
      (file) => file.path !== "encoder.json",
    );
    await writeFile(path, JSON.stringify(manifest));
    const error = await catchCoreEngineError(() =>
      loadBuiltInEncoder({}, folder),
    );

    expect(error.message).toContain("does not list encoder.json");
  });

  it("refuses a link that leads outside the folder", async () => {
    const folder = await copyOfModel();
    const outside = await mkdtemp(join(tmpdir(), "rf-outside-"));
    copies.push(outside);
    await cp(join(folder, "LICENSE"), join(outside, "LICENSE"));
    await rm(join(folder, "LICENSE"));
    await symlink(join(outside, "LICENSE"), join(folder, "LICENSE"));
    const error = await catchCoreEngineError(() => verifyModelFolder(folder));

    expect(error.message).toContain("outside the model folder");
  });

  it("compares the size before reading a file", async () => {
    const folder = await copyOfModel();
    await writeFile(join(folder, "LICENSE"), "short");
    const error = await catchCoreEngineError(() => verifyModelFolder(folder));

    expect(error.message).toMatch(
      /LICENSE does not match its manifest: it has 5 bytes, expected \d+\./,
    );
  });

  it("loads the encoder when only a file it does not read is damaged", async () => {
    const folder = await copyOfModel();
    await writeFile(join(folder, "word-information.tsv"), "damaged");
    const encoder = await loadBuiltInEncoder({}, folder);
    const error = await catchCoreEngineError(() => loadWordInformation(folder));

    expect(encoder.dimension).toBe(256);
    expect(error.message).toContain("word-information.tsv does not match");
  });

  it("rejects a listed path of dots", async () => {
    const folder = await copyOfModel();
    const path = join(folder, "manifest.json");
    const manifest = JSON.parse(await readFile(path, "utf8")) as {
      files: { path: string }[];
    };
    manifest.files[0] = { ...manifest.files[0], path: ".." };
    await writeFile(path, JSON.stringify(manifest));
    const error = await catchCoreEngineError(() => verifyModelFolder(folder));

    expect(error.message).toMatch(/is not a model manifest \(files\.0\.path/);
  });

  it("reads a manifest with a byte order mark", async () => {
    const folder = await copyOfModel();
    const path = join(folder, "manifest.json");
    await writeFile(path, `\uFEFF${await readFile(path, "utf8")}`);

    await expect(verifyModelFolder(folder)).resolves.toMatchObject({
      command: "pnpm model:build",
    });
  });

  it("refuses a folder without a manifest", async () => {
    const folder = await copyOfModel();
    await rm(join(folder, "manifest.json"));
    const error = await catchCoreEngineError(() => verifyModelFolder(folder));

    expect(error.message).toMatch(/manifest\.json was not found/);
  });

  it("reads its word statistics after checking them", async () => {
    const information = await loadWordInformation();

    expect(information.bits.size).toBeGreaterThan(20_000);
    expect(information.bits.get("the")).toBeLessThan(
      information.bits.get("harpoon") ?? 0,
    );
    expect(information.unknownBits).toBeGreaterThan(
      information.bits.get("harpoon") ?? Number.POSITIVE_INFINITY,
    );
  });

  it("refuses changed or unlisted word statistics", async () => {
    const folder = await copyOfModel();
    const path = join(folder, "word-information.tsv");
    await writeFile(
      path,
      (await readFile(path, "utf8")).replace("the\t", "teh\t"),
    );
    const changed = await catchCoreEngineError(() =>
      loadWordInformation(folder),
    );
    const manifestPath = join(folder, "manifest.json");
    const manifest = JSON.parse(await readFile(manifestPath, "utf8")) as {
      files: { path: string }[];
    };
    manifest.files = manifest.files.filter(
      (file) => file.path !== "word-information.tsv",
    );
    await writeFile(manifestPath, JSON.stringify(manifest));
    const unlisted = await catchCoreEngineError(() =>
      loadWordInformation(folder),
    );

    expect(changed.message).toContain(`${path} does not match its manifest`);
    expect(unlisted.message).toContain("does not list word-information.tsv");
  });

  it("checks the names given as only", async () => {
    const unlisted = await catchCoreEngineError(() =>
      verifyModelFolder(BUILT_IN_MODEL_FOLDER, ["nope.bin"]),
    );
    const wrongType = await catchCoreEngineError(() =>
      verifyModelFolder(BUILT_IN_MODEL_FOLDER, null as never),
    );
    const folder = await copyOfModel();
    const path = join(folder, "manifest.json");
    const manifest = JSON.parse(await readFile(path, "utf8")) as {
      files: unknown[];
    };
    manifest.files.push(manifest.files[0]);
    await writeFile(path, JSON.stringify(manifest));
    const repeated = await catchCoreEngineError(() =>
      verifyModelFolder(folder),
    );

    expect(unlisted.code).toBe(CoreEngineErrorCode.INVALID_MODEL);
    expect(unlisted.message).toContain("does not list nope.bin");
    expect(wrongType.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
    expect(repeated.message).toContain("lists model.onnx twice");
  });
});
