import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { beforeAll, describe, expect, it } from "vitest";

import { BUCKET_COUNT } from "./murmur3.js";
import { computeGolden } from "./test-support/golden.js";
import type { GoldenVectors } from "./test-support/golden.js";

const folder = dirname(fileURLToPath(import.meta.url));
let golden: GoldenVectors;

beforeAll(async () => {
  const text = await readFile(join(folder, "golden-vectors.json"), "utf8");
  golden = JSON.parse(text) as GoldenVectors;
});

describe("golden vectors", () => {
  it("cover 10,000 keys and the bucket boundaries", () => {
    expect(golden.keys.length).toBeGreaterThan(10_000);
    const rollout = golden.results["rollout-25"];
    expect(rollout?.rolloutBuckets).toContain(0);
    expect(rollout?.rolloutBuckets).toContain(BUCKET_COUNT - 1);
    expect(rollout?.rolloutBuckets).toContain(2499);
    expect(rollout?.rolloutBuckets).toContain(2500);
  });

  it("match the Node.js build for every key", () => {
    const computed = computeGolden(golden);
    for (const [flagKey, expected] of Object.entries(golden.results)) {
      const actual = computed[flagKey];
      expect(actual?.rolloutBuckets, flagKey).toEqual(expected.rolloutBuckets);
      expect(actual?.variantBuckets, flagKey).toEqual(expected.variantBuckets);
      expect(actual?.variants, flagKey).toEqual(expected.variants);
    }
  });
});
