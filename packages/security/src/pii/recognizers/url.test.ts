import { describe, expect, it } from "vitest";

import { findChecked } from "../test-support/findings.js";
import type { PiiFinding, RecognizerContext } from "../types.js";
import { urlRecognizer } from "./url.js";

const context: RecognizerContext = { defaultRegion: undefined };

function find(text: string): PiiFinding[] {
  const findings = findChecked(
    urlRecognizer,
    { type: "URL", name: "url" },
    text,
    context,
  );
  return findings;
}

function texts(text: string): string[] {
  return find(text).map((finding) => finding.text);
}

describe("urlRecognizer", () => {
  it("finds https URL with offsets", () => {
    const text = "See https://example.com/path?q=1 for details";
    const [finding] = find(text);
    expect(finding?.text).toBe("https://example.com/path?q=1");
    expect(finding?.start).toBe(4);
    expect(finding?.end).toBe(32);
    expect(finding?.validation["scheme"]).toBe("https");
    expect(finding?.validation["query"]).toBe(true);
    expect(finding?.validation["hostKind"]).toBe("domain");
  });

  it("finds http and ftp URLs", () => {
    expect(
      texts("Get http://example.org/a and ftp://files.example.net/x.tar"),
    ).toEqual(["http://example.org/a", "ftp://files.example.net/x.tar"]);
  });

  it("finds bare www host", () => {
    const [finding] = find("Visit www.example.com/docs today");
    expect(finding?.text).toBe("www.example.com/docs");
    expect(finding?.validation["schemeWritten"]).toBe(false);
    expect(finding?.validation["scheme"]).toBe("http");
  });

  it("excludes trailing punctuation", () => {
    expect(texts("Go to https://example.com.")).toEqual([
      "https://example.com",
    ]);
    expect(texts("Is it https://example.com/a?")).toEqual([
      "https://example.com/a",
    ]);
    expect(texts("https://example.com/a, https://example.com/b;")).toEqual([
      "https://example.com/a",
      "https://example.com/b",
    ]);
  });

  it("excludes unbalanced closing parenthesis", () => {
    expect(texts("(see https://example.com/page).")).toEqual([
      "https://example.com/page",
    ]);
    expect(texts("[link](https://example.com/x)")).toEqual([
      "https://example.com/x",
    ]);
  });

  it("keeps balanced parentheses", () => {
    expect(texts("(https://en.wikipedia.org/wiki/Foo_(bar)).")).toEqual([
      "https://en.wikipedia.org/wiki/Foo_(bar)",
    ]);
  });

  it("stops at quotes and angle brackets", () => {
    expect(texts('<a href="https://example.com/x">')).toEqual([
      "https://example.com/x",
    ]);
    expect(texts("<https://example.com/y>")).toEqual(["https://example.com/y"]);
  });

  it("finds IP and localhost hosts", () => {
    const findings = find(
      "http://192.0.2.1:8080/a http://[2001:db8::1]/b http://localhost:3000",
    );
    expect(findings.map((finding) => finding.validation["hostKind"])).toEqual([
      "ipv4",
      "ipv6",
      "localhost",
    ]);
  });

  it("flags credentials in URL", () => {
    const [finding] = find("ftp://user:pass@ftp.example.com/file");
    expect(finding?.validation["credentials"]).toBe(true);
  });

  it("finds internationalised domain", () => {
    expect(texts("访问 https://例子.测试/路径。谢谢")).toEqual([
      "https://例子.测试/路径",
    ]);
    expect(texts("https://xn--mller-kva.de/x")).toEqual([
      "https://xn--mller-kva.de/x",
    ]);
  });

  it("rejects invalid URLs", () => {
    expect(find("http://")).toEqual([]);
    expect(find("https://intranet/path")).toEqual([]);
    expect(find("http://exa mple.com")).toEqual([]);
    expect(find("https://example.c0m")).toEqual([]);
    expect(find("http://[::zz]/")).toEqual([]);
    expect(find("https://xn--zz.com/")).toEqual([]);
  });

  it("ignores other schemes and plain words", () => {
    expect(find("mailto:bob@example.com file:///etc/passwd")).toEqual([]);
    expect(find("awww.example.com and xhttp://example.com")).toEqual([]);
    expect(find("the www. prefix")).toEqual([]);
  });

  it("returns nothing for empty text", () => {
    expect(find("")).toEqual([]);
  });

  it("handles unusual Unicode around URLs", () => {
    const text =
      "🙂\u200bhttps://example.com/ü?x=😀\u00a0and www.example.org\u3002";
    expect(texts(text)).toEqual([
      "https://example.com/ü?x=😀",
      "www.example.org",
    ]);
  });

  it("scans 200k characters quickly", () => {
    const inputs = [
      "w".repeat(200_000),
      "www.".repeat(50_000),
      `https://example.com/${")".repeat(200_000)}`,
      `https://example.com/${"(".repeat(100_000)}${")".repeat(100_000)}`,
      "http://".repeat(30_000),
      `https://${"a.".repeat(100_000)}com`,
    ];
    for (const input of inputs) {
      const started = performance.now();
      urlRecognizer.find(input, context);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});
