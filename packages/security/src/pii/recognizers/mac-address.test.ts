import { describe, expect, it } from "vitest";

import { findChecked } from "../test-support/findings.js";
import type { PiiFinding, RecognizerContext } from "../types.js";
import { macAddressRecognizer } from "./mac-address.js";

const context: RecognizerContext = { defaultRegion: undefined };

function find(text: string): PiiFinding[] {
  const findings = findChecked(
    macAddressRecognizer,
    { type: "MAC_ADDRESS", name: "mac-address" },
    text,
    context,
  );
  return findings;
}

function texts(text: string): string[] {
  return find(text).map((finding) => finding.text);
}

describe("macAddressRecognizer", () => {
  it("finds colon form with offsets", () => {
    const text = "NIC 00:1A:2B:3C:4D:5E is up";
    const [finding] = find(text);
    expect(finding?.text).toBe("00:1A:2B:3C:4D:5E");
    expect(finding?.start).toBe(4);
    expect(finding?.end).toBe(21);
    expect(finding?.validation["format"]).toBe("colon");
    expect(finding?.validation["multicast"]).toBe(false);
    expect(finding?.validation["locallyAdministered"]).toBe(false);
  });

  it("finds hyphen form", () => {
    const [finding] = find("MAC: 02-00-5e-10-00-00.");
    expect(finding?.text).toBe("02-00-5e-10-00-00");
    expect(finding?.validation["format"]).toBe("hyphen");
    expect(finding?.validation["locallyAdministered"]).toBe(true);
  });

  it("finds Cisco dotted form", () => {
    const [finding] = find("mac 0123.4567.89ab on Gi0/1");
    expect(finding?.text).toBe("0123.4567.89ab");
    expect(finding?.validation["format"]).toBe("dotted");
    expect(finding?.validation["multicast"]).toBe(true);
    expect(finding?.score).toBe(0.75);
  });

  it("scores decimal dotted form lower", () => {
    const [finding] = find("code 2024.0101.1234");
    expect(finding?.score).toBe(0.4);
  });

  it("flags broadcast address", () => {
    const [finding] = find("ff:ff:ff:ff:ff:ff");
    expect(finding?.validation["broadcast"]).toBe(true);
    expect(finding?.validation["multicast"]).toBe(true);
  });

  it("rejects mixed separators", () => {
    expect(find("00:1A-2B:3C:4D:5E")).toEqual([]);
    expect(find("00-1A-2B-3C-4D:5E")).toEqual([]);
  });

  it("rejects all-zero address", () => {
    expect(find("00:00:00:00:00:00")).toEqual([]);
    expect(find("0000.0000.0000")).toEqual([]);
  });

  it("rejects non-hex and wrong group counts", () => {
    expect(find("00:1G:2B:3C:4D:5E")).toEqual([]);
    expect(find("00:1A:2B:3C:4D")).toEqual([]);
    expect(find("00:1A:2B:3C:4D:5E:6F")).toEqual([]);
    expect(find("001A:2B3C:4D5E")).toEqual([]);
    expect(find("0123.4567.89ab.cdef")).toEqual([]);
  });

  it("rejects match inside longer token", () => {
    expect(find("x00:1A:2B:3C:4D:5E")).toEqual([]);
    expect(find("00:1A:2B:3C:4D:5Ez")).toEqual([]);
    expect(find("2001:00:1A:2B:3C:4D:5E")).toEqual([]);
  });

  it("finds several addresses in order", () => {
    expect(texts("0123.4567.89ab then aa:bb:cc:dd:ee:01")).toEqual([
      "0123.4567.89ab",
      "aa:bb:cc:dd:ee:01",
    ]);
  });

  it("returns nothing for empty text", () => {
    expect(find("")).toEqual([]);
  });

  it("handles unusual Unicode around addresses", () => {
    const text = "🙂\u200baa:bb:cc:dd:ee:01\u00a0ｍａｃ　0123.4567.89ab。";
    expect(texts(text)).toEqual(["aa:bb:cc:dd:ee:01", "0123.4567.89ab"]);
  });

  it("scans 200k characters quickly", () => {
    const inputs = [
      "a".repeat(200_000),
      "aa:".repeat(70_000),
      "aaaa.".repeat(40_000),
      "aa:bb:cc:dd:ee:01 ".repeat(10_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      macAddressRecognizer.find(input, context);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});
