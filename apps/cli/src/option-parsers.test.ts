import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";

import {
  collect,
  parseNumber,
  parseProtectedClass,
  parseRegExp,
} from "./option-parsers.js";

describe("parseNumber", () => {
  it.each([
    ["4", 4],
    ["2.5", 2.5],
    [".5", 0.5],
    ["-3", -3],
    ["1e3", 1000],
    ["+8", 8],
    ["4.", 4],
  ])("parses %s", (value, expected) => {
    expect(parseNumber(value)).toBe(expected);
  });

  it.each(["abc", "8x", "", " 8", "0x10", "Infinity", "NaN", "1,000"])(
    "rejects %j",
    (value) => {
      expect(() => parseNumber(value)).toThrow(InvalidArgumentError);
    },
  );
});

describe("parseRegExp", () => {
  it("reads a plain pattern without flags", () => {
    const pattern = parseRegExp("ISBN [0-9-]+");

    expect(pattern.source).toBe("ISBN [0-9-]+");
    expect(pattern.flags).toBe("");
  });

  it("reads /pattern/flags", () => {
    const pattern = parseRegExp("/a/b/iu");

    expect(pattern.source).toBe("a\\/b");
    expect(pattern.flags).toBe("iu");
  });

  it("keeps a path whose last part is not flags as a plain pattern", () => {
    expect(parseRegExp("/usr/bin").source).toBe("\\/usr\\/bin");
  });

  it("rejects an invalid pattern with the engine's reason", () => {
    expect(() => parseRegExp("(")).toThrow(/Invalid regular expression/);
  });

  it("rejects repeated flags", () => {
    expect(() => parseRegExp("/a/gg")).toThrow(InvalidArgumentError);
  });
});

describe("parseProtectedClass", () => {
  it("accepts a built-in class", () => {
    expect(parseProtectedClass("dates")).toBe("dates");
  });

  it("rejects an unknown class and lists the valid ones", () => {
    expect(() => parseProtectedClass("money")).toThrow(/numbers, dates/);
  });
});

describe("collect", () => {
  it("appends each occurrence to the previous values", () => {
    const parse = collect(parseNumber);

    expect(parse("2", parse("1", undefined))).toEqual([1, 2]);
  });
});
