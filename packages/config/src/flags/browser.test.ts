import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { GoldenColumn, GoldenVectors } from "./test-support/golden.js";

const CHROMIUM = "/usr/bin/chromium";
// CI installs Chromium and sets this, so a missing browser fails there
// instead of skipping.
const REQUIRED = process.env.RETRIEVAL_FREE_BROWSER_TESTS === "required";
const available = existsSync(CHROMIUM);
const folder = dirname(fileURLToPath(import.meta.url));

/** Bundles the page entry for browsers; fails on any Node.js built-in. */
async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [join(folder, "test-support", "browser-page.ts")],
    bundle: true,
    format: "iife",
    platform: "browser",
    write: false,
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

describe("flags browser bundle", () => {
  it("builds for browsers without Node.js built-ins", async () => {
    const bundle = await bundlePage();

    expect(bundle).toContain("computeGolden");
    expect(bundle).not.toMatch(/require\(["']node:/);
  });
});

const title = available
  ? "flags in Chromium"
  : `flags in Chromium (skipped: no browser at ${CHROMIUM})`;

describe.skipIf(!available && !REQUIRED)(title, () => {
  let browser: Browser | undefined;
  let golden: GoldenVectors;
  let bundle = "";

  beforeAll(async () => {
    bundle = await bundlePage();
    golden = JSON.parse(
      await readFile(join(folder, "golden-vectors.json"), "utf8"),
    ) as GoldenVectors;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("gives the golden buckets and variants", async () => {
    // The page loads nothing over the network: it is blank, and the bundle
    // is injected as an inline script.
    const page = await (browser as Browser).newPage();
    await page.addScriptTag({ content: bundle });
    // The input goes in as JSON text, which keeps the argument types flat.
    const computed = (await page.evaluate(
      (input) =>
        (
          globalThis as unknown as {
            computeGolden: (value: unknown) => unknown;
          }
        ).computeGolden(JSON.parse(input)),
      JSON.stringify({ flags: golden.flags, keys: golden.keys }),
    )) as Record<string, GoldenColumn>;

    for (const [flagKey, expected] of Object.entries(golden.results)) {
      const actual = computed[flagKey];
      expect(actual?.rolloutBuckets, flagKey).toEqual(expected.rolloutBuckets);
      expect(actual?.variantBuckets, flagKey).toEqual(expected.variantBuckets);
      expect(actual?.variants, flagKey).toEqual(expected.variants);
    }
  }, 60_000);
});
