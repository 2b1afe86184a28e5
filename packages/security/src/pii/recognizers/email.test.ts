import { describe, expect, it } from "vitest";

import { findChecked } from "../test-support/findings.js";
import type { PiiFinding, RecognizerContext } from "../types.js";
import { emailRecognizer } from "./email.js";

const context: RecognizerContext = { defaultRegion: undefined };

function find(text: string): PiiFinding[] {
  const findings = findChecked(
    emailRecognizer,
    { type: "EMAIL", name: "email" },
    text,
    context,
  );
  return findings;
}

function texts(text: string): string[] {
  return find(text).map((finding) => finding.text);
}

describe("emailRecognizer", () => {
  it("finds plain address with offsets", () => {
    const text = "Write to jane.doe@example.com today";
    const [finding] = find(text);
    expect(finding?.start).toBe(9);
    expect(finding?.end).toBe(29);
    expect(finding?.text).toBe("jane.doe@example.com");
    expect(finding?.validation["topLevelDomain"]).toBe("com");
  });

  it("keeps plus addressing", () => {
    expect(texts("Use jane+news@mail.example.org.")).toEqual([
      "jane+news@mail.example.org",
    ]);
  });

  it("excludes trailing sentence punctuation", () => {
    expect(texts("Mail bob@example.com.")).toEqual(["bob@example.com"]);
    expect(texts("Mail bob@example.com!")).toEqual(["bob@example.com"]);
    expect(texts("Mail bob@example.com, then")).toEqual(["bob@example.com"]);
    expect(texts("(bob@example.com)")).toEqual(["bob@example.com"]);
  });

  it("excludes display name before address", () => {
    const text = "John Smith<john@example.com>";
    const [finding] = find(text);
    expect(finding?.text).toBe("john@example.com");
    expect(finding?.start).toBe(11);
  });

  it("finds internationalised local part and domain", () => {
    const greek = find("Στείλτε στο χρήστης@παράδειγμα.δοκιμή σήμερα");
    expect(greek.map((finding) => finding.text)).toEqual([
      "χρήστης@παράδειγμα.δοκιμή",
    ]);
    expect(greek[0]?.validation["internationalLocalPart"]).toBe(true);
    expect(greek[0]?.validation["internationalDomain"]).toBe(true);

    expect(texts("联系 用户@例子.广告 谢谢")).toEqual(["用户@例子.广告"]);
    expect(texts("josé.garcía@correo.es")).toEqual(["josé.garcía@correo.es"]);
  });

  it("finds punycode domain", () => {
    const [finding] = find("info@xn--mller-kva.de");
    expect(finding?.text).toBe("info@xn--mller-kva.de");
    expect(finding?.validation["punycode"]).toBe(true);
    expect(find("info@shop.xn--p1ai")[0]?.text).toBe("info@shop.xn--p1ai");
  });

  it("rejects malformed punycode", () => {
    expect(find("info@xn--zz.com")).toEqual([]);
  });

  it("rejects dots in wrong places", () => {
    expect(find("john..doe@example.com")).toEqual([]);
    expect(find("john.@example.com")).toEqual([]);
    expect(find("john@example..com")).toEqual([]);
    expect(find("john@.example.com")).toEqual([]);
  });

  it("drops leading dots before local part", () => {
    expect(texts("...john@example.com")).toEqual(["john@example.com"]);
    expect(texts("see .john@example.com")).toEqual(["john@example.com"]);
  });

  it("rejects invalid domains", () => {
    expect(find("john@localhost")).toEqual([]);
    expect(find("john@example.c")).toEqual([]);
    expect(find("john@example.123")).toEqual([]);
    expect(find("john@-example.com")).toEqual([]);
    expect(find("john@example-.com")).toEqual([]);
    expect(find("@example.com")).toEqual([]);
    expect(find("john@")).toEqual([]);
  });

  it("enforces length limits", () => {
    const local64 = "a".repeat(64);
    expect(texts(`${local64}@example.com`)).toEqual([`${local64}@example.com`]);
    expect(find(`${"a".repeat(65)}@example.com`)).toEqual([]);

    const label63 = "b".repeat(63);
    expect(texts(`x@${label63}.com`)).toEqual([`x@${label63}.com`]);
    expect(find(`x@${"b".repeat(64)}.com`)).toEqual([]);

    // 60 + 1 + (4 × 48 + 3 + 4) = 260 octets, over the 254 limit.
    const longDomain = `${Array.from({ length: 4 }, () => "c".repeat(48)).join(".")}.com`;
    expect(find(`${"a".repeat(60)}@${longDomain}`)).toEqual([]);
    const shorterDomain = `${Array.from({ length: 3 }, () => "c".repeat(48)).join(".")}.com`;
    expect(find(`${"a".repeat(60)}@${shorterDomain}`)).toHaveLength(1);
  });

  it("counts local part in UTF-8 octets", () => {
    // 32 two-octet letters fit in 64 octets, and 33 do not.
    expect(find(`${"é".repeat(32)}@example.com`)).toHaveLength(1);
    expect(find(`${"é".repeat(33)}@example.com`)).toEqual([]);
  });

  it("rejects address joined by second at sign", () => {
    expect(find("a@b@example.com")).toEqual([]);
  });

  it("finds several addresses", () => {
    expect(texts("a@example.com; b@example.org and c@example.net")).toEqual([
      "a@example.com",
      "b@example.org",
      "c@example.net",
    ]);
  });

  it("starts local part after emoji", () => {
    expect(texts("\u2764\ufe0fana@example.com")).toEqual(["ana@example.com"]);
    expect(texts("\u2764\ufe0f.ana@example.com")).toEqual(["ana@example.com"]);
    expect(texts("\u0301bob@example.com")).toEqual(["bob@example.com"]);
    expect(texts("re\u0301my@example.com")).toEqual(["re\u0301my@example.com"]);
    expect(find("\u2764\ufe0f@example.com")).toEqual([]);
  });

  it("returns nothing for empty text", () => {
    expect(find("")).toEqual([]);
  });

  it("handles unusual Unicode around addresses", () => {
    const text = "🙂 mail\u200bbob@example.com\u00a0🎉 and 𝒜𝒷@example.com";
    expect(texts(text)).toEqual(["bob@example.com", "𝒜𝒷@example.com"]);
  });

  it("scans 200k characters quickly", () => {
    const inputs = [
      "a".repeat(200_000),
      "a@".repeat(100_000),
      `${"a.".repeat(100_000)}@example.com`,
      "@".repeat(200_000),
      `x@${"b-".repeat(100_000)}`,
    ];
    for (const input of inputs) {
      const started = performance.now();
      emailRecognizer.find(input, context);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});

describe("image names with a resolution suffix", () => {
  it("are not e-mail addresses", () => {
    expect(
      emailRecognizer.find("See icon@2x.png and logo@3x.jpg.", {
        defaultRegion: undefined,
      }),
    ).toEqual([]);
  });
});
