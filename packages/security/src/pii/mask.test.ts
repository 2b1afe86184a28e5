import { describe, expect, it } from "vitest";

import { isSecurityError, SecurityErrorCode } from "../errors.js";
import { maskPii, PiiVault } from "./mask.js";
import type { PiiFinding, PiiType } from "./types.js";

/** Findings for every occurrence of each value, as a recognizer reports them. */
function findingsOf(
  text: string,
  values: readonly (readonly [PiiType, string])[],
): PiiFinding[] {
  const findings: PiiFinding[] = [];
  for (const [type, value] of values) {
    let from = 0;
    for (;;) {
      const start = text.indexOf(value, from);
      if (start < 0) {
        break;
      }
      findings.push({
        type,
        start,
        end: start + value.length,
        text: value,
        score: 1,
        recognizer: "test",
        validation: {},
      });
      from = start + value.length;
    }
  }
  return findings.sort((left, right) => left.start - right.start);
}

function errorOf(action: () => unknown): { code: string; message: string } {
  try {
    action();
  } catch (error) {
    if (isSecurityError(error)) {
      return { code: error.code, message: error.message };
    }
    throw error;
  }
  throw new Error("The call did not throw.");
}

const TEXT =
  "Write to ana@example.com or ana.b@example.com; card 4111 1111 1111 1111, again ana@example.com.";
const FINDINGS = findingsOf(TEXT, [
  ["EMAIL", "ana.b@example.com"],
  ["CREDIT_CARD", "4111 1111 1111 1111"],
]).concat(
  // "ana@example.com" occurs twice and is also the end of no other value.
  findingsOf(TEXT, [["EMAIL", "ana@example.com"]]).filter(
    (finding) => TEXT.charAt(finding.start - 1) === " ",
  ),
);

describe("maskPii", () => {
  it("tags each value with its kind and a number shared by equal values", () => {
    const result = maskPii(TEXT, { findings: FINDINGS });

    expect(result.text).toBe(
      "Write to <EMAIL_1> or <EMAIL_2>; card <CREDIT_CARD_1>, again <EMAIL_1>.",
    );
    for (const span of result.masked) {
      expect(result.text.slice(span.start, span.end)).toBe(span.replacement);
    }
  });

  it("redacts, keeps the last four characters, or hashes by kind", () => {
    const key = "tenant-a-0123456789abcdef";
    const result = maskPii(TEXT, {
      findings: FINDINGS,
      strategy: { EMAIL: "hash", CREDIT_CARD: "partial" },
      hashKey: key,
    });
    const redacted = maskPii(TEXT, {
      findings: FINDINGS,
      strategy: "redact",
      redaction: "█",
    });
    const otherTenant = maskPii(TEXT, {
      findings: FINDINGS,
      strategy: "hash",
      hashKey: "tenant-b-0123456789abcdef",
    });

    expect(result.text).toContain("card **** **** **** 1111,");
    const hashes = result.masked
      .filter((span) => span.strategy === "hash")
      .map((span) => span.replacement);
    expect(hashes[0]).toMatch(/^<EMAIL:[0-9a-f]{16}>$/u);
    expect(hashes[0]).toBe(hashes[2]);
    expect(hashes[0]).not.toBe(hashes[1]);
    expect(otherTenant.masked[0]?.replacement).not.toBe(hashes[0]);
    expect(redacted.text).toBe("Write to █ or █; card █, again █.");
  });

  it("restores the exact input from placeholders, also for values that share prefixes", () => {
    const text =
      "Call +33 1 23 45 67 89 or +33 1 23 45 67 8; mail a@b.co, ab@b.co and a@b.com.";
    const findings = findingsOf(text, [
      ["PHONE", "+33 1 23 45 67 89"],
      ["EMAIL", "ab@b.co"],
      ["EMAIL", "a@b.com"],
    ])
      .concat(
        findingsOf(text, [["PHONE", "+33 1 23 45 67 8;"]]).map((finding) => ({
          ...finding,
          end: finding.end - 1,
          text: finding.text.slice(0, -1),
        })),
      )
      .concat(
        findingsOf(text, [["EMAIL", "a@b.co,"]]).map((finding) => ({
          ...finding,
          end: finding.end - 1,
          text: finding.text.slice(0, -1),
        })),
      );
    const vault = new PiiVault();
    const masked = maskPii(text, {
      findings,
      strategy: "tokenize",
      vault,
    });

    expect(vault.size).toBe(5);
    expect(masked.text).not.toMatch(/@|\+33/u);
    expect(vault.restore(masked.text)).toBe(text);
    // Model output that repeats placeholders in another order is restored too.
    const answer = masked.masked
      .map((span) => span.replacement)
      .reverse()
      .join(" | ");
    expect(vault.restore(answer)).toBe(
      [...findings]
        .sort((left, right) => right.start - left.start)
        .map((finding) => finding.text)
        .join(" | "),
    );
  });

  it("never restores one request's values from another request's placeholders", () => {
    const first = new PiiVault();
    const second = new PiiVault();
    const text = "Mail ana@example.com now.";
    const findings = findingsOf(text, [["EMAIL", "ana@example.com"]]);
    const other = "Mail bob@example.org now.";
    const otherFindings = findingsOf(other, [["EMAIL", "bob@example.org"]]);
    const maskedFirst = maskPii(text, {
      findings,
      strategy: "tokenize",
      vault: first,
    });
    const maskedSecond = maskPii(other, {
      findings: otherFindings,
      strategy: "tokenize",
      vault: second,
    });

    expect(first.nonce).not.toBe(second.nonce);
    expect(first.restore(maskedSecond.text)).toBe(maskedSecond.text);
    expect(second.restore(maskedFirst.text)).not.toContain("ana@example.com");
    expect(first.restore(`${maskedFirst.text} ${maskedSecond.text}`)).toBe(
      `${text} ${maskedSecond.text}`,
    );
  });

  it("leaves a text without findings unchanged, empty text included", () => {
    expect(maskPii("", { findings: [] }).text).toBe("");
    expect(maskPii("Nothing here.", { findings: [] }).text).toBe(
      "Nothing here.",
    );
  });

  it("names every invalid option and the fix", () => {
    const unknown = errorOf(() =>
      maskPii(TEXT, { findings: FINDINGS, strategy: "blur" as "tag" }),
    );
    const noKey = errorOf(() =>
      maskPii(TEXT, { findings: FINDINGS, strategy: "hash" }),
    );
    const shortKey = errorOf(() =>
      maskPii(TEXT, { findings: FINDINGS, strategy: "hash", hashKey: "k" }),
    );
    const noVault = errorOf(() =>
      maskPii(TEXT, { findings: FINDINGS, strategy: "tokenize" }),
    );
    const overlapping = errorOf(() =>
      maskPii(TEXT, {
        findings: [...FINDINGS, { ...(FINDINGS[0] as PiiFinding), end: 40 }],
      }),
    );

    expect(unknown.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(unknown.message).toContain("strategy must be one of redact, tag");
    expect(noKey.message).toContain("needs hashKey");
    expect(shortKey.message).toContain(
      "hashKey has 1 bytes; it needs at least 16",
    );
    expect(shortKey.message).not.toContain('"k"');
    expect(noVault.message).toContain("vault: new PiiVault()");
    expect(overlapping.code).toBe(SecurityErrorCode.INVALID_INPUT);
  });
});

describe("maskPii on hostile inputs", () => {
  it("keeps a mistyped option's value out of the error", () => {
    const key = "tenant-secret-0123456789";
    let caught: unknown;
    try {
      maskPii("x", { hashkey: key } as never);
    } catch (error) {
      caught = error;
    }

    expect(isSecurityError(caught)).toBe(true);
    expect(
      JSON.stringify((caught as { issues: unknown }).issues),
    ).not.toContain(key);
    expect((caught as Error).message).toContain("hashKey");
    expect((caught as Error).message).not.toContain(key);
  });

  it("always hides part of a short value", () => {
    const text = "ip 1.2.3.4 mail a@b.co";
    const findings = findingsOf(text, [
      ["IP_ADDRESS", "1.2.3.4"],
      ["EMAIL", "a@b.co"],
    ]);
    const masked = maskPii(text, { findings, strategy: "partial" });

    expect(masked.text).toBe("ip *.*.3.4 mail *@*.co");
  });

  it("asks for a vault before looking for personal data", () => {
    const error = errorOf(() =>
      maskPii("nothing here", { strategy: "tokenize" }),
    );

    expect(error.message).toContain("vault: new PiiVault()");
  });

  it("refuses findings that are not slices of the text", () => {
    const text = "hello world";
    const base = {
      score: 1,
      recognizer: "test",
      validation: {},
    };
    for (const finding of [
      { ...base, type: "EMAIL", start: 5, end: 2, text: "" },
      { ...base, type: "EMAIL", start: 0, end: 50, text: "hello world" },
      { ...base, type: "BANANA", start: 0, end: 5, text: "hello" },
      { ...base, type: "EMAIL", start: 0, end: 5, text: "world" },
      null,
    ]) {
      const error = errorOf(() =>
        maskPii(text, { findings: [finding as never] }),
      );
      expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    }
    expect(errorOf(() => maskPii(42 as never)).code).toBe(
      SecurityErrorCode.INVALID_INPUT,
    );
  });
});

describe("maskPii with placeholders of its vault in the input", () => {
  it("restores a placeholder the input already contains to itself", () => {
    const vault = new PiiVault();
    const literal = `<EMAIL_1_${vault.nonce}>`;
    const text = `${literal} ana@example.com ${literal}`;
    const masked = maskPii(text, {
      findings: findingsOf(text, [["EMAIL", "ana@example.com"]]),
      strategy: "tokenize",
      vault,
    });

    expect(masked.text).not.toContain("ana@example.com");
    expect(vault.restore(masked.text)).toBe(text);
  });

  it("restores placeholders of unissued numbers and other kinds as typed", () => {
    const vault = new PiiVault();
    const text = `Mail ana@example.com, not <EMAIL_2_${vault.nonce}> or <PHONE_9_${vault.nonce}>.`;
    const masked = maskPii(text, {
      findings: findingsOf(text, [["EMAIL", "ana@example.com"]]),
      strategy: "tokenize",
      vault,
    });
    // A value masked later gets a number of its own, so the typed
    // placeholders still restore to themselves.
    const next = vault.placeholderFor("EMAIL", "bob@example.com");

    expect(vault.restore(masked.text)).toBe(text);
    expect(vault.restore(`${masked.text} ${next}`)).toBe(
      `${text} bob@example.com`,
    );
  });

  it("moves the offsets of masked spans after a re-encoded placeholder", () => {
    const vault = new PiiVault();
    for (let count = 0; count < 9; count++) {
      vault.placeholderFor("EMAIL", `user${String(count)}@example.com`);
    }
    const text = `<EMAIL_1_${vault.nonce}> then ana@example.com`;
    const masked = maskPii(text, {
      findings: findingsOf(text, [["EMAIL", "ana@example.com"]]),
      strategy: "tokenize",
      vault,
    });
    const [span] = masked.masked;

    expect(span?.replacement).toBe(`<EMAIL_10_${vault.nonce}>`);
    expect(masked.text.slice(span?.start, span?.end)).toBe(span?.replacement);
    expect(vault.restore(masked.text)).toBe(text);
  });

  it("never restores a value from a placeholder typed in a later request", () => {
    const vault = new PiiVault();
    const first = maskPii("I am ana@example.com.", {
      findings: findingsOf("I am ana@example.com.", [
        ["EMAIL", "ana@example.com"],
      ]),
      strategy: "tokenize",
      vault,
    });
    const typed = `Send it to ${first.masked[0]?.replacement ?? ""} please.`;
    const second = maskPii(typed, { findings: [], vault });

    expect(second.text).not.toContain(first.masked[0]?.replacement);
    expect(vault.restore(second.text)).toBe(typed);
  });

  it("re-encodes placeholders with other strategies too", () => {
    const vault = new PiiVault();
    const literal = `<EMAIL_1_${vault.nonce}>`;
    vault.placeholderFor("EMAIL", "ana@example.com");
    const masked = maskPii(`Hello ${literal}`, { findings: [], vault });

    expect(vault.restore(masked.text)).toBe(`Hello ${literal}`);
  });
});

describe("PiiVault.restore with the masked text", () => {
  it("restores only placeholders that occur in the masked text", () => {
    const vault = new PiiVault();
    const text = "Mail ana@example.com about 4111 1111 1111 1111.";
    const masked = maskPii(text, {
      findings: findingsOf(text, [
        ["EMAIL", "ana@example.com"],
        ["CREDIT_CARD", "4111 1111 1111 1111"],
      ]),
      strategy: { EMAIL: "tokenize", CREDIT_CARD: "tag" },
      vault,
    });
    const unsent = vault.placeholderFor("CREDIT_CARD", "4111 1111 1111 1111");
    const email = masked.masked[0]?.replacement ?? "";
    const answer = `Wrote to ${email}, card ${unsent}.`;

    expect(vault.restore(answer, { maskedText: masked.text })).toBe(
      `Wrote to ana@example.com, card ${unsent}.`,
    );
    expect(vault.restore(answer)).toBe(
      "Wrote to ana@example.com, card 4111 1111 1111 1111.",
    );
  });

  it("rejects a masked text that is not a string", () => {
    const vault = new PiiVault();
    const error = errorOf(() =>
      vault.restore("x", { maskedText: 42 } as unknown as {
        maskedText: string;
      }),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain("maskedText must be");
  });
});
