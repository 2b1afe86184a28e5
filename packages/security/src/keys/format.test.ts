import { describe, expect, it } from "vitest";

import { SecurityErrorCode } from "../errors.js";
import {
  API_KEY_ALPHABET,
  API_KEY_CHECKSUM_LENGTH,
  API_KEY_ID_LENGTH,
  API_KEY_RANDOM_LENGTH,
  formatApiKey,
  generateApiKey,
  isWellFormedApiKey,
  parseApiKey,
} from "./format.js";

/** Replaces the character at `index` by the next one in the alphabet. */
function changeCharacter(key: string, index: number): string {
  const current = key.charAt(index);
  const position = API_KEY_ALPHABET.indexOf(current);
  const next =
    position === -1
      ? current === "z"
        ? "a"
        : String.fromCharCode(current.charCodeAt(0) + 1)
      : API_KEY_ALPHABET.charAt((position + 1) % API_KEY_ALPHABET.length);
  return key.slice(0, index) + next + key.slice(index + 1);
}

describe("generateApiKey", () => {
  it("writes prefix, env, random part and checksum", () => {
    const { key, id } = generateApiKey("live");
    const parts = key.split("_");
    expect(parts).toHaveLength(4);
    expect(parts[0]).toBe("rfcc");
    expect(parts[1]).toBe("live");
    expect(parts[2]).toHaveLength(API_KEY_RANDOM_LENGTH);
    expect(parts[3]).toHaveLength(API_KEY_CHECKSUM_LENGTH);
    expect(id).toBe(parts[2]?.slice(0, API_KEY_ID_LENGTH));
  });

  it("uses only the unambiguous base32 alphabet", () => {
    const { key } = generateApiKey("test");
    const random = key.split("_")[2] ?? "";
    for (const character of random) {
      expect(API_KEY_ALPHABET).toContain(character);
    }
    expect(random).not.toMatch(/[ilou]/u);
  });

  it("produces distinct keys and ids", () => {
    const keys = new Set<string>();
    const ids = new Set<string>();
    for (let index = 0; index < 1000; index += 1) {
      const generated = generateApiKey("live");
      keys.add(generated.key);
      ids.add(generated.id);
    }
    expect(keys.size).toBe(1000);
    expect(ids.size).toBe(1000);
  });
});

describe("parseApiKey", () => {
  it("returns env and id of a generated key", () => {
    const { key, id } = generateApiKey("test");
    expect(parseApiKey(key)).toEqual({ env: "test", id });
    expect(isWellFormedApiKey(key)).toBe(true);
  });

  it("rejects every single changed character", () => {
    const { key } = generateApiKey("live");
    for (let index = 0; index < key.length; index += 1) {
      const typo = changeCharacter(key, index);
      expect(typo).not.toBe(key);
      expect(isWellFormedApiKey(typo)).toBe(false);
    }
  });

  it("rejects two swapped adjacent characters", () => {
    const { key } = generateApiKey("live");
    for (let index = 10; index < key.length - 1; index += 1) {
      const swapped =
        key.slice(0, index) +
        key.charAt(index + 1) +
        key.charAt(index) +
        key.slice(index + 2);
      if (swapped !== key) {
        expect(isWellFormedApiKey(swapped)).toBe(false);
      }
    }
  });

  it("reports a checksum mismatch without the key", () => {
    const { key } = generateApiKey("live");
    const typo = changeCharacter(key, 20);
    let caught: unknown;
    try {
      parseApiKey(typo);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: SecurityErrorCode.API_KEY_INVALID });
    expect(String(caught)).toContain("checksum");
    expect(String(caught)).not.toContain(typo.slice(10, 58));
  });

  it("rejects malformed values", () => {
    const { key } = generateApiKey("live");
    const malformed: unknown[] = [
      undefined,
      42,
      "",
      key.toUpperCase(),
      key.slice(0, -1),
      `${key}0`,
      key.replace("rfcc_", "sk_"),
      key.replace("_live_", "_Live_"),
      ` ${key}`,
      `${key}\n`,
      "x".repeat(10_000),
    ];
    for (const value of malformed) {
      expect(() => parseApiKey(value)).toThrow(/malformed/u);
    }
  });

  it("accepts a key rebuilt by formatApiKey", () => {
    const { key } = generateApiKey("live");
    const random = key.split("_")[2] ?? "";
    expect(formatApiKey("live", random)).toBe(key);
    expect(isWellFormedApiKey(formatApiKey("staging2", random))).toBe(true);
  });
});
