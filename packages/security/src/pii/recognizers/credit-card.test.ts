import { describe, expect, it } from "vitest";

import { expectSlicesMatch, findChecked } from "../test-support/findings.js";
import type { PiiFinding } from "../types.js";
import { creditCardRecognizer, findIssuer, passesLuhn } from "./credit-card.js";

/** Runs the recognizer and checks each finding's slice, kind and score. */
function find(text: string): PiiFinding[] {
  return findChecked(
    creditCardRecognizer,
    { type: "CREDIT_CARD", name: "credit-card" },
    text,
  );
}

describe("passesLuhn", () => {
  it("accepts valid check digits", () => {
    expect(passesLuhn("4111111111111111")).toBe(true);
    expect(passesLuhn("378282246310005")).toBe(true);
    expect(passesLuhn("2221000000000009")).toBe(true);
  });

  it("rejects changed digit", () => {
    expect(passesLuhn("4111111111111112")).toBe(false);
    expect(passesLuhn("378282246310006")).toBe(false);
  });
});

describe("findIssuer", () => {
  it.each([
    ["4111111111111111", "visa"],
    ["4222222222222", "visa"],
    ["4111111111111111110", "visa"],
    ["5555555555554444", "mastercard"],
    ["2221000000000009", "mastercard"],
    ["2720990000000007", "mastercard"],
    ["378282246310005", "amex"],
    ["6011000000000004", "discover"],
    ["6440000000000005", "discover"],
    ["6400000000000003", undefined],
    ["6070000000000000", "rupay"],
    ["6500000000000002", "discover"],
    ["3540000000000001", "jcb"],
    ["30569309025904", "diners"],
    ["360000000000004", undefined],
    ["6200000000000000000", "unionpay"],
    ["5000000000000000005", undefined],
    ["675900000000000000", "maestro"],
    ["2200000000000000", "mir"],
  ])("maps %s to %s", (digits, issuer) => {
    expect(findIssuer(digits)).toBe(issuer);
  });

  it("rejects Amex prefix with 16 digits", () => {
    expect(findIssuer("3782822463100050")).toBeUndefined();
  });

  it("rejects Mastercard prefix outside range", () => {
    expect(findIssuer("2721000000000000")).toBeUndefined();
    expect(findIssuer("5600000000000000")).toBeUndefined();
  });
});

describe("creditCardRecognizer", () => {
  it("finds spaced Visa number", () => {
    const text = "Card: 4111 1111 1111 1111, exp 12/29.";
    const findings = find(text);

    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding?.text).toBe("4111 1111 1111 1111");
    expect(finding?.start).toBe(6);
    expect(finding?.end).toBe(25);
    expect(finding?.type).toBe("CREDIT_CARD");
    expect(finding?.recognizer).toBe("credit-card");
    expect(finding?.validation.luhn).toBe(true);
    expect(finding?.validation.issuer).toBe("visa");
    expect(finding?.validation.length).toBe(16);
    expectSlicesMatch(text, findings);
  });

  it("finds hyphenated and unbroken numbers", () => {
    const text = "a 5555-5555-5555-4444 b 378282246310005 c";
    const findings = find(text);

    expect(findings.map((finding) => finding.text)).toEqual([
      "5555-5555-5555-4444",
      "378282246310005",
    ]);
    expect(findings.map((finding) => finding.validation.issuer)).toEqual([
      "mastercard",
      "amex",
    ]);
    expectSlicesMatch(text, findings);
  });

  it("finds 2-series Mastercard", () => {
    const text = "paid with 2221 0000 0000 0009 yesterday";
    const findings = find(text);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("2221 0000 0000 0009");
    expect(findings[0]?.validation.issuer).toBe("mastercard");
  });

  it("finds 19-digit card", () => {
    const text = "Visa 4111 1111 1111 1111 110 on file";
    const findings = find(text);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("4111 1111 1111 1111 110");
    expect(findings[0]?.validation.length).toBe(19);
    expect(findings[0]?.validation.issuer).toBe("visa");
  });

  it("finds Amex in 4-6-5 groups", () => {
    const findings = find("amex 3782 822463 10005");

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("3782 822463 10005");
    expect(findings[0]?.validation.issuer).toBe("amex");
  });

  it("rejects failed Luhn check", () => {
    expect(find("card 4111 1111 1111 1112")).toEqual([]);
  });

  it("rejects unknown issuer", () => {
    // Luhn-valid, but no issuer range in the table starts with 99.
    expect(passesLuhn("9999999999999995")).toBe(true);
    expect(find("card 9999 9999 9999 9995")).toEqual([]);
  });

  it("rejects mixed separators", () => {
    expect(find("card 4111-1111 1111-1111")).toEqual([]);
  });

  it("rejects double spaces", () => {
    expect(find("card 4111  1111  1111  1111")).toEqual([]);
  });

  it("rejects number glued to word", () => {
    expect(find("token abc4111111111111111")).toEqual([]);
    expect(find("token 4111111111111111xyz")).toEqual([]);
  });

  it("rejects number glued to astral letter", () => {
    expect(find("A4111111111111111")).toEqual([]);
    expect(find("\u{1d400}4111111111111111")).toEqual([]);
    expect(find("4111111111111111\u{1d400}")).toEqual([]);
    expect(find("\u{1f4b3}4111111111111111")).toHaveLength(1);
  });

  it("rejects part of longer number", () => {
    expect(find("id 41111111111111111111111")).toEqual([]);
    expect(find("part 12-4111-1111-1111-1111")).toEqual([]);
    expect(find("value 4111111111111111.25")).toEqual([]);
  });

  it("skips millisecond timestamp", () => {
    // 4222222222222 is a Luhn-valid 13-digit Visa number.
    expect(find("created_at=4222222222222")).toEqual([]);
    expect(find("epoch 4222222222222")).toEqual([]);
    expect(find("took 4222222222222 ms")).toEqual([]);
    expect(find("invoice 4222222222222 sent")).toEqual([]);
    expect(find("order id: 4222222222222")).toEqual([]);
  });

  it("finds timestamp-like number with card words", () => {
    const findings = find("visa card 4222222222222 created_at=now");

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("4222222222222");
    expect(findings[0]?.validation.cardContext).toBe(true);
  });

  it("finds number after payment word", () => {
    const paid = find("Paid with 4111111111111111 at the time of booking");
    expect(paid.map((finding) => finding.text)).toEqual(["4111111111111111"]);
    expect(paid[0]?.validation.cardContext).toBe(true);
    expect(find("charged 4222222222222 on the date shown")).toHaveLength(1);
    expect(find("purchase 4222222222222 time 10:00")).toHaveLength(1);
    expect(find("payment 4222222222222 time 10:00")).toHaveLength(1);
  });

  it("scores card context higher", () => {
    const plain = find("number 4111111111111111");
    const grouped = find("number 4111 1111 1111 1111");
    const withCard = find("credit card 4111 1111 1111 1111");

    expect(plain[0]?.score).toBeCloseTo(0.7);
    expect(grouped[0]?.score).toBeCloseTo(0.8);
    expect(withCard[0]?.score).toBeCloseTo(0.95);
    expect(withCard[0]?.validation.cardContext).toBe(true);
    expect(grouped[0]?.validation.cardContext).toBe(false);
  });

  it("finds card after unrelated number", () => {
    const text = "qty 3 4111 1111 1111 1111";
    const findings = find(text);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("4111 1111 1111 1111");
    expectSlicesMatch(text, findings);
  });

  it("finds adjacent cards separately", () => {
    const text = "cards 4111111111111111 5555555555554444";
    const findings = find(text);

    expect(findings.map((finding) => finding.text)).toEqual([
      "4111111111111111",
      "5555555555554444",
    ]);
    expectSlicesMatch(text, findings);
  });

  it("ignores dates and short numbers", () => {
    expect(find("2024-05-06 at 12:30, call 555-0100, zip 94105")).toEqual([]);
  });

  it("returns nothing for empty text", () => {
    expect(find("")).toEqual([]);
  });

  it("handles unusual Unicode", () => {
    const text = "💳 \u200bcarte\u00a04111 1111 1111 1111 ✓ \ud83d ١٢٣٤ 𝟜𝟙𝟙𝟙";
    const findings = find(text);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("4111 1111 1111 1111");
    expectSlicesMatch(text, findings);
  });

  it("scans 200k characters quickly", () => {
    const chunk = "pay 4111 1111 1111 1111 ref 1 2 3 4 5 6 7 8 9 0 1 2 3 ";
    const text = chunk.repeat(Math.ceil(200_000 / chunk.length));
    const started = performance.now();
    const findings = find(text);
    const elapsedMs = performance.now() - started;

    expect(text.length).toBeGreaterThanOrEqual(200_000);
    expect(findings).toHaveLength(Math.ceil(200_000 / chunk.length));
    expect(elapsedMs).toBeLessThan(10_000);
    expectSlicesMatch(text, findings);
  });

  it("scans 200k digits quickly", () => {
    const text = "1 ".repeat(100_000);
    const started = performance.now();
    const findings = find(text);

    expect(findings).toEqual([]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
