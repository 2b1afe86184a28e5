import { describe, expect, it } from "vitest";

import { expectSlicesMatch, findChecked } from "../test-support/findings.js";
import type { PiiFinding } from "../types.js";
import { findSsnProblem, usSsnRecognizer } from "./us-ssn.js";

/** Runs the recognizer and checks each finding's slice, kind and score. */
function find(text: string): PiiFinding[] {
  return findChecked(usSsnRecognizer, { type: "US_SSN", name: "us-ssn" }, text);
}

describe("findSsnProblem", () => {
  it("accepts issuable number", () => {
    expect(findSsnProblem("536221234")).toBeUndefined();
  });

  it.each([
    ["000121234", "invalid area"],
    ["666121234", "invalid area"],
    ["900121234", "invalid area"],
    ["999121234", "invalid area"],
    ["536001234", "invalid group"],
    ["536220000", "invalid serial"],
    ["078051120", "published example"],
    ["219099999", "published example"],
    ["111111111", "placeholder"],
    ["123456789", "placeholder"],
  ])("rejects %s as %s", (digits, problem) => {
    expect(findSsnProblem(digits)).toBe(problem);
  });

  it("accepts area boundaries", () => {
    expect(findSsnProblem("001121234")).toBeUndefined();
    expect(findSsnProblem("665121234")).toBeUndefined();
    expect(findSsnProblem("899121234")).toBeUndefined();
  });
});

describe("usSsnRecognizer", () => {
  it("finds hyphenated SSN", () => {
    const text = "Employee 536-22-1234 joined in March.";
    const findings = find(text);

    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding?.text).toBe("536-22-1234");
    expect(finding?.start).toBe(9);
    expect(finding?.end).toBe(20);
    expect(finding?.type).toBe("US_SSN");
    expect(finding?.recognizer).toBe("us-ssn");
    expect(finding?.score).toBeCloseTo(0.6);
    expect(finding?.validation.format).toBe("hyphenated");
    expect(finding?.validation.context).toBe(false);
    expectSlicesMatch(text, findings);
  });

  it("finds spaced SSN", () => {
    const findings = find("number 536 22 1234 on file");

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("536 22 1234");
    expect(findings[0]?.validation.format).toBe("spaced");
    expect(findings[0]?.score).toBeCloseTo(0.45);
  });

  it("finds unbroken digits with SSN context", () => {
    const text = "SSN: 536221234";
    const findings = find(text);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("536221234");
    expect(findings[0]?.start).toBe(5);
    expect(findings[0]?.validation.format).toBe("unbroken");
    expect(findings[0]?.score).toBeCloseTo(0.85);
    expectSlicesMatch(text, findings);
  });

  it("ignores unbroken digits without context", () => {
    expect(find("order 536221234 shipped")).toEqual([]);
  });

  it("scores SSN context higher", () => {
    const plain = find("id 536-22-1234");
    const withSsn = find("ssn 536-22-1234");
    const withWords = find("Social Security number: 536-22-1234");

    expect(plain[0]?.score).toBeCloseTo(0.6);
    expect(withSsn[0]?.score).toBeCloseTo(0.95);
    expect(withWords[0]?.score).toBeCloseTo(0.95);
    expect(withWords[0]?.validation.context).toBe(true);
  });

  it("rejects invalid areas, groups and serials", () => {
    const text =
      "000-12-1234 666-12-1234 900-12-1234 536-00-1234 536-22-0000 SSN";

    expect(find(text)).toEqual([]);
  });

  it("rejects published example numbers", () => {
    expect(find("SSN 078-05-1120")).toEqual([]);
    expect(find("SSN 219-09-9999")).toEqual([]);
  });

  it("rejects mixed separators", () => {
    expect(find("SSN 536-22 1234")).toEqual([]);
  });

  it("rejects part of longer number", () => {
    expect(find("call 1-536-22-1234")).toEqual([]);
    expect(find("ref 536-22-1234-99")).toEqual([]);
    expect(find("ssn 5362212345")).toEqual([]);
    expect(find("ssn x536221234")).toEqual([]);
  });

  it("ignores dates and phone numbers", () => {
    expect(find("2024-05-06 and 212-555-0142 and 12/05/1999")).toEqual([]);
  });

  it("finds several SSNs", () => {
    const text = "ssn 536-22-1234, spouse ssn 412-67-8901.";
    const findings = find(text);

    expect(findings.map((finding) => finding.text)).toEqual([
      "536-22-1234",
      "412-67-8901",
    ]);
    expectSlicesMatch(text, findings);
  });

  it("returns nothing for empty text", () => {
    expect(find("")).toEqual([]);
  });

  it("handles unusual Unicode", () => {
    const text = "🪪 SSN\u00a0536-22-1234\u200d ١٢٣-٤٥-٦٧٨٩ \ud800 ｓｓｎ";
    const findings = find(text);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("536-22-1234");
    expect(findings[0]?.validation.context).toBe(true);
    expectSlicesMatch(text, findings);
  });

  it("scans 200k characters quickly", () => {
    const chunk = "row 12 3456789 000-12-3456 ssn 536-22-1234 end ";
    const text = chunk.repeat(Math.ceil(200_000 / chunk.length));
    const started = performance.now();
    const findings = find(text);
    const elapsedMs = performance.now() - started;

    expect(text.length).toBeGreaterThanOrEqual(200_000);
    expect(findings).toHaveLength(Math.ceil(200_000 / chunk.length));
    expect(elapsedMs).toBeLessThan(10_000);
    expectSlicesMatch(text, findings);
  });
});

describe("social security numbers followed by another number", () => {
  it("are found when a space separates the next number", () => {
    const found = usSsnRecognizer.find("SSN 536-90-4399 2024", {
      defaultRegion: undefined,
    });

    expect(found.map((finding) => finding.text)).toEqual(["536-90-4399"]);
  });
});
