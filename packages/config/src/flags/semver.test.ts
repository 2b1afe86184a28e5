import { describe, expect, it } from "vitest";

import { compareSemver, parseSemver } from "./semver.js";

function compare(left: string, right: string): number {
  const a = parseSemver(left);
  const b = parseSemver(right);
  if (a === undefined || b === undefined) {
    throw new Error(`invalid version in test: ${left} or ${right}`);
  }
  return Math.sign(compareSemver(a, b));
}

describe("parseSemver", () => {
  it("parses versions with prefix, prerelease and build", () => {
    expect(parseSemver("v1.2.3-beta.1+build.5")).toEqual({
      major: 1,
      minor: 2,
      patch: 3,
      prerelease: ["beta", "1"],
    });
  });

  it("rejects malformed versions", () => {
    for (const text of ["1.2", "01.2.3", "1.2.3-", "one.two.three", ""]) {
      expect(parseSemver(text), text).toBeUndefined();
    }
  });
});

describe("compareSemver", () => {
  it("orders versions by semver precedence", () => {
    // The precedence example list of semver 2.0.0, lowest first.
    const ordered = [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      "1.0.0",
      "1.0.1",
      "1.2.0",
      "2.0.0",
      "10.0.0",
    ];
    for (let index = 1; index < ordered.length; index += 1) {
      const lower = ordered[index - 1] ?? "";
      const higher = ordered[index] ?? "";
      expect(compare(lower, higher), `${lower} < ${higher}`).toBe(-1);
      expect(compare(higher, lower), `${higher} > ${lower}`).toBe(1);
    }
  });

  it("ignores build metadata", () => {
    expect(compare("1.0.0+a", "1.0.0+b")).toBe(0);
  });
});
