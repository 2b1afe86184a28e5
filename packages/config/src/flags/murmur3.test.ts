import { describe, expect, it } from "vitest";

import { BUCKET_COUNT, bucketOf, murmur3 } from "./murmur3.js";

const encode = (text: string) => new TextEncoder().encode(text);

describe("murmur3", () => {
  it("matches the reference vectors", () => {
    // Known-answer vectors of MurmurHash3 x86 32-bit: input, seed, hash.
    const cases: readonly [string, number, number][] = [
      ["", 0, 0],
      ["", 1, 0x514e28b7],
      ["", 0xffffffff, 0x81f16f39],
      ["aaaa", 0x9747b28c, 0x5a97808a],
      ["aaa", 0x9747b28c, 0x283e0130],
      ["aa", 0x9747b28c, 0x5d211726],
      ["a", 0x9747b28c, 0x7fa09ea6],
      ["abcd", 0x9747b28c, 0xf0478627],
      ["Hello, world!", 0x9747b28c, 0x24884cba],
      ["The quick brown fox jumps over the lazy dog", 0x9747b28c, 0x2fa826cd],
    ];
    for (const [text, seed, expected] of cases) {
      expect(murmur3(encode(text), seed), `${text}/${seed}`).toBe(expected);
    }
  });

  it("hashes UTF-8 bytes of non-ASCII text", () => {
    expect(murmur3(encode("ππππππππ"), 0x9747b28c)).toBe(0xd58063c1);
  });
});

describe("bucketOf", () => {
  it("returns a stable bucket below the bucket count", () => {
    const bucket = bucketOf("rollout", "new-ui", "user-1");

    expect(bucket).toBe(bucketOf("rollout", "new-ui", "user-1"));
    expect(bucket).toBeGreaterThanOrEqual(0);
    expect(bucket).toBeLessThan(BUCKET_COUNT);
  });

  it("spreads keys evenly", () => {
    const counts = new Array<number>(10).fill(0);
    for (let index = 0; index < 20_000; index += 1) {
      const bucket = bucketOf("rollout", "new-ui", `user-${index}`);
      counts[Math.floor(bucket / 1000)] =
        (counts[Math.floor(bucket / 1000)] ?? 0) + 1;
    }
    for (const count of counts) {
      expect(count).toBeGreaterThan(1800);
      expect(count).toBeLessThan(2200);
    }
  });
});
