import { describe, expect, it } from "vitest";

import { isSecurityError, SecurityErrorCode } from "../errors.js";
import { detectPii } from "./detect.js";
import { maskPii, PiiVault } from "./mask.js";
import type { PiiFinding, PiiType, Recognizer } from "./types.js";

/** A recognizer that reports fixed phrases as one kind, for overlap tests. */
function phraseRecognizer(
  name: string,
  type: PiiType,
  phrases: readonly string[],
  score: number,
): Recognizer {
  return {
    name,
    types: [type],
    find(text) {
      const found: PiiFinding[] = [];
      for (const phrase of phrases) {
        const start = text.indexOf(phrase);
        if (start >= 0) {
          found.push({
            type,
            start,
            end: start + phrase.length,
            text: phrase,
            score,
            recognizer: name,
            validation: {},
          });
        }
      }
      return found;
    },
  };
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

describe("detectPii", () => {
  it("never lets a name swallow an adjacent e-mail address", () => {
    const text = "Contact Jane Doe jane.doe@example.com today.";
    const findings = detectPii(text, {
      types: ["PERSON", "EMAIL"],
      recognizers: [
        phraseRecognizer(
          "greedy-name",
          "PERSON",
          ["Jane Doe jane.doe@example.com"],
          0.99,
        ),
        phraseRecognizer("name", "PERSON", ["Jane Doe"], 0.6),
        phraseRecognizer("address", "EMAIL", ["jane.doe@example.com"], 0.5),
      ],
    });

    expect(findings.map((finding) => [finding.type, finding.text])).toEqual([
      ["PERSON", "Jane Doe"],
      ["EMAIL", "jane.doe@example.com"],
    ]);
  });

  it("keeps the longest of overlapping findings, then the highest score", () => {
    const text = "Account DE89 3704 0044 0532 0130 00 closed.";
    const findings = detectPii(text, {
      types: ["IBAN", "PHONE"],
      recognizers: [
        phraseRecognizer("part", "PHONE", ["3704 0044 0532"], 0.99),
        phraseRecognizer("whole", "IBAN", ["DE89 3704 0044 0532 0130 00"], 0.5),
        phraseRecognizer(
          "same-low",
          "PHONE",
          ["DE89 3704 0044 0532 0130 00"],
          0.4,
        ),
      ],
    });

    expect(findings).toHaveLength(1);
    expect(findings[0]?.type).toBe("IBAN");
    expect(findings[0]?.text).toBe("DE89 3704 0044 0532 0130 00");
  });

  it("reports only the kinds asked for and drops low scores", () => {
    const text = "Jane Doe lives in Lyon.";
    const recognizers = [
      phraseRecognizer("name", "PERSON", ["Jane Doe"], 0.4),
      phraseRecognizer("place", "LOCATION", ["Lyon"], 0.9),
    ];

    expect(
      detectPii(text, { types: ["LOCATION"], recognizers }).map(
        (finding) => finding.text,
      ),
    ).toEqual(["Lyon"]);
    expect(
      detectPii(text, { minScore: 0.5, recognizers }).map(
        (finding) => finding.text,
      ),
    ).toEqual(["Lyon"]);
  });

  it("refuses a recognizer whose finding is not a slice of the text", () => {
    const broken: Recognizer = {
      name: "broken",
      types: ["PERSON"],
      find: () => [
        {
          type: "PERSON",
          start: 0,
          end: 4,
          text: "Nope",
          score: 1,
          recognizer: "broken",
          validation: {},
        },
      ],
    };
    const error = errorOf(() =>
      detectPii("Jane Doe", { types: ["PERSON"], recognizers: [broken] }),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.message).toContain('Recognizer "broken" returned a finding');
  });

  it("names every invalid option and input", () => {
    const options = errorOf(() =>
      detectPii("text", {
        types: ["NAME" as PiiType],
        defaultRegion: "fr",
        minScore: 2,
        colour: "red",
      } as never),
    );
    const input = errorOf(() => detectPii(42 as unknown as string));

    expect(options.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(options.message).toMatch(/^4 invalid options: /u);
    expect(options.message).toContain('Unknown option "colour"');
    expect(options.message).toContain('such as "FR" (received "fr")');
    expect(options.message).toContain('(received ["NAME"])');
    expect(input.code).toBe(SecurityErrorCode.INVALID_INPUT);
  });

  it("finds nothing in empty text", () => {
    expect(detectPii("")).toEqual([]);
  });

  it("masks and restores a text with every built-in kind", () => {
    const text = [
      "Mail ana.perez+billing@example.com or call +44 20 7946 0958.",
      "Card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32.",
      "SSN 536-90-4399 from 192.0.2.44 at https://example.com/login.",
    ].join(" ");
    const vault = new PiiVault();
    const masked = maskPii(text, { strategy: "tokenize", vault });
    const types = new Set(masked.masked.map((span) => span.finding.type));

    for (const type of [
      "EMAIL",
      "PHONE",
      "CREDIT_CARD",
      "IBAN",
      "US_SSN",
      "IP_ADDRESS",
      "URL",
    ] as const) {
      expect(types.has(type), type).toBe(true);
    }
    expect(masked.text).not.toMatch(/\d{4} \d{4}|@example|192\.0/u);
    expect(vault.restore(masked.text)).toBe(text);
  });
});

describe("detectPii on hostile inputs", () => {
  it("resolves overlaps of many findings in time linear in their number", () => {
    const text = "a@b.co ".repeat(40_000);
    const started = performance.now();
    const findings = detectPii(text, { types: ["EMAIL"] });

    expect(findings).toHaveLength(40_000);
    // Generous: the quadratic version took minutes at this size.
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it("gives the same result whatever the order of equal custom recognizers", () => {
    const text = "Jane Doe called.";
    const first = phraseRecognizer("ner-a", "PERSON", ["Jane Doe"], 0.7);
    const second = phraseRecognizer("ner-b", "PERSON", ["Jane Doe"], 0.7);

    expect(
      detectPii(text, { recognizers: [first, second] })[0]?.recognizer,
    ).toBe(detectPii(text, { recognizers: [second, first] })[0]?.recognizer);
  });

  it("refuses a region without a numbering plan and names the fix", () => {
    const error = errorOf(() => detectPii("x", { defaultRegion: "UK" }));

    expect(error.code).toBe(SecurityErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain('The United Kingdom is "GB".');
  });
});

describe("detectPii with faulty custom recognizers", () => {
  it("names the recognizer that throws, returns no list or scores out of range", () => {
    const throwing: Recognizer = {
      name: "throwing",
      types: ["PERSON"],
      find: () => {
        throw new Error("model file missing");
      },
    };
    const empty: Recognizer = {
      name: "empty",
      types: ["PERSON"],
      find: () => null as unknown as PiiFinding[],
    };
    const loud = phraseRecognizer("loud", "PERSON", ["Jane"], 7);

    for (const [recognizer, part] of [
      [throwing, 'Recognizer "throwing" failed: model file missing'],
      [empty, 'Recognizer "empty" returned null'],
      [loud, "a score from 0 to 1"],
    ] as const) {
      const error = errorOf(() =>
        detectPii("Jane Doe", { types: ["PERSON"], recognizers: [recognizer] }),
      );
      expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
      expect(error.message).toContain(part);
    }
  });
});

describe("detectPii with hidden or non-breaking separators", () => {
  it("finds values split by invisible or non-breaking characters", () => {
    const zeroWidth = "\u200b";
    const cases = [
      [
        "EMAIL",
        `Email: ana${zeroWidth}@example.com`,
        `ana${zeroWidth}@example.com`,
      ],
      [
        "EMAIL",
        "Email: ana\u00ad.perez@example.com",
        "ana\u00ad.perez@example.com",
      ],
      ["EMAIL", "Email: ana＠example.com", "ana＠example.com"],
      [
        "CREDIT_CARD",
        `Card 4111${zeroWidth}1111${zeroWidth}1111${zeroWidth}1111`,
        `4111${zeroWidth}1111${zeroWidth}1111${zeroWidth}1111`,
      ],
      [
        "CREDIT_CARD",
        "Card 4111\u00a01111\u00a01111\u00a01111",
        "4111\u00a01111\u00a01111\u00a01111",
      ],
      [
        "CREDIT_CARD",
        "Card 4111\u202f1111\u202f1111\u202f1111",
        "4111\u202f1111\u202f1111\u202f1111",
      ],
      [
        "CREDIT_CARD",
        "Card ４１１１ １１１１ １１１１ １１１１",
        "４１１１ １１１１ １１１１ １１１１",
      ],
      [
        "IBAN",
        `IBAN DE89${zeroWidth}3704${zeroWidth}0044${zeroWidth}0532${zeroWidth}0130${zeroWidth}00`,
        `DE89${zeroWidth}3704${zeroWidth}0044${zeroWidth}0532${zeroWidth}0130${zeroWidth}00`,
      ],
      [
        "IBAN",
        "IBAN FR76\u00a03000\u00a06000\u00a00112\u00a03456\u00a07890\u00a0189",
        "FR76\u00a03000\u00a06000\u00a00112\u00a03456\u00a07890\u00a0189",
      ],
      ["US_SSN", `SSN 536${zeroWidth}-22-1234`, `536${zeroWidth}-22-1234`],
    ] as const;

    for (const [type, text, value] of cases) {
      const findings = detectPii(text, { types: [type] });
      expect(
        findings.map((finding) => finding.text),
        text,
      ).toEqual([value]);
      for (const finding of findings) {
        expect(text.slice(finding.start, finding.end)).toBe(finding.text);
      }
    }
  });

  it("masks the whole value, the invisible characters inside included", () => {
    const text = "Email: ana\u00ad.perez@example.com, thanks.";

    expect(maskPii(text).text).toBe("Email: <EMAIL_1>, thanks.");
  });

  it("passes the text as given to custom recognizers", () => {
    const seen: string[] = [];
    const recording: Recognizer = {
      name: "recording",
      types: ["PERSON"],
      find(text) {
        seen.push(text);
        return [];
      },
    };
    const text = "Jane\u00a0Doe\u200b";
    detectPii(text, { recognizers: [recording] });

    expect(seen).toEqual([text]);
  });
});

describe("detectPii with findings a recognizer does not declare", () => {
  function fixedRecognizer(finding: Partial<PiiFinding>): Recognizer {
    return {
      name: "fixed",
      types: ["PERSON"],
      find: () => [
        {
          type: "PERSON",
          score: 1,
          recognizer: "fixed",
          validation: {},
          ...finding,
        } as PiiFinding,
      ],
    };
  }

  it("rejects a finding of a kind missing from the recognizer's types", () => {
    const recognizer = fixedRecognizer({
      type: "EMAIL",
      start: 2,
      end: 5,
      text: "Ada",
    });
    const error = errorOf(() =>
      detectPii("x Ada y", { recognizers: [recognizer] }),
    );

    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.message).toContain('Recognizer "fixed"');
    expect(error.message).toContain("kind EMAIL");
  });

  it("rejects a finding that splits a surrogate pair", () => {
    const text = "😀 hi";
    for (const [start, end] of [
      [1, 4],
      [0, 1],
    ] as const) {
      const recognizer = fixedRecognizer({
        start,
        end,
        text: text.slice(start, end),
      });
      const error = errorOf(() =>
        detectPii(text, { recognizers: [recognizer] }),
      );

      expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
      expect(error.message).toContain("splits a surrogate pair");
    }
  });
});
