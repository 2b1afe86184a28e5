import { describe, expect, it } from "vitest";

import { findChecked } from "../test-support/findings.js";
import type { PiiFinding, RecognizerContext } from "../types.js";
import { personRecognizer } from "./person.js";

const context: RecognizerContext = { defaultRegion: undefined };

function find(text: string): PiiFinding[] {
  const findings = findChecked(
    personRecognizer,
    { type: "PERSON", name: "person" },
    text,
    context,
  );
  for (const finding of findings) {
    expect(typeof finding.validation["rule"]).toBe("string");
  }
  return findings;
}

function texts(text: string): string[] {
  return find(text).map((finding) => finding.text);
}

describe("personRecognizer", () => {
  it("finds name after honorific with offsets", () => {
    const text = "Please call Dr. Ryan Ricci today.";
    const [finding] = find(text);
    expect(finding?.text).toBe("Ryan Ricci");
    expect(finding?.start).toBe(16);
    expect(finding?.end).toBe(26);
    expect(finding?.validation["rule"]).toBe("honorific");
    expect(finding?.validation["cue"]).toBe("dr");
  });

  it("finds names after honorifics without dot", () => {
    expect(texts("Ask Mrs Lennox first.")).toEqual(["Lennox"]);
    expect(texts("Ask Mx Taylor first.")).toEqual(["Taylor"]);
    expect(texts("Ask Prof. Ada Lovelace.")).toEqual(["Ada Lovelace"]);
  });

  it("ignores lower-case miss as a verb", () => {
    expect(texts("I miss Paris.")).toEqual([]);
  });

  it("finds names after cue phrases", () => {
    expect(texts("Hello, my name is Benedykta")).toEqual(["Benedykta"]);
    expect(texts("Name:    Stephanie Talon")).toEqual(["Stephanie Talon"]);
    expect(texts("She named him Devin")).toEqual(["Devin"]);
    expect(texts("I'm Kenneth and I need help")).toEqual(["Kenneth"]);
    expect(texts("It's under my partner's name Donald van der Voet")).toEqual([
      "Donald van der Voet",
    ]);
    expect(texts("The memo was signed by Anna Berg.")).toEqual(["Anna Berg"]);
    expect(texts("Dear Sophie,")).toEqual(["Sophie"]);
  });

  it("reports cue of phrase", () => {
    const [finding] = find("My wife Ingrid is away");
    expect(finding?.text).toBe("Ingrid");
    expect(finding?.validation["rule"]).toBe("cue-before");
    expect(finding?.validation["cue"]).toBe("wife");
  });

  it("finds name before verb of speech", () => {
    const [finding] = find("Later Izumi said no.");
    expect(finding?.text).toBe("Izumi");
    expect(finding?.validation["rule"]).toBe("cue-after");
    expect(texts('"Fine," says Izumi.')).toEqual(["Izumi"]);
  });

  it("finds name after sign-off line", () => {
    expect(texts("Thanks again.\nKind regards,\nJane Doe")).toEqual([
      "Jane Doe",
    ]);
  });

  it("keeps initials, apostrophes and hyphens", () => {
    expect(texts("Contact Faina D. Yefremova now")).toEqual([
      "Faina D. Yefremova",
    ]);
    expect(texts("Mr O'Brien agreed")).toEqual(["O'Brien"]);
    expect(texts("Mrs Jean-Luc Picard agreed")).toEqual(["Jean-Luc Picard"]);
  });

  it("drops possessive suffix", () => {
    expect(texts("We met Mr. Baker's son")).toEqual(["Baker"]);
  });

  it("stops at four name words", () => {
    expect(texts("Mr Anna Bea Cara Dora Eve")).toEqual(["Anna Bea Cara Dora"]);
  });

  it("scores mid-sentence run lower", () => {
    const [finding] = find("Yesterday we saw Melissa Walker downtown.");
    expect(finding?.text).toBe("Melissa Walker");
    expect(finding?.validation["rule"]).toBe("capitalized-sequence");
    expect(finding?.score).toBeLessThan(0.5);
  });

  it("skips calendar, organisation and place words", () => {
    expect(texts("We met on Monday March 3.")).toEqual([]);
    expect(texts("She works at Acme Widgets Inc today.")).toEqual([]);
    expect(texts("He banks with First National Bank.")).toEqual([]);
    expect(texts("We flew over New Zealand yesterday.")).toEqual([]);
    expect(texts("Meet at 12 Baker Street tonight.")).toEqual([]);
  });

  it("skips sentence-initial common words", () => {
    expect(texts("The End. Thank You.")).toEqual([]);
    expect(texts("Hello there.")).toEqual([]);
  });

  it("excludes cue word from span", () => {
    for (const finding of find("Dear Mr. Smith, regards")) {
      expect(finding.text).not.toMatch(/Mr|Dear/u);
    }
  });

  it("keeps e-mail address out of name", () => {
    const text = "Contact John Smith john.smith@example.com please";
    expect(texts(text)).toEqual(["John Smith"]);
    expect(texts("Mail MatthiasHimmel@armyspy.com today")).toEqual([]);
    expect(texts("My name is Anna@example.com")).toEqual([]);
  });

  it("keeps digits out of name", () => {
    expect(texts("My name is R2D2")).toEqual([]);
    for (const finding of find("Mr Smith 42 and Mrs Jones7")) {
      expect(finding.text).not.toMatch(/\d/u);
    }
  });

  it("returns nothing for empty text", () => {
    expect(find("")).toEqual([]);
  });

  it("handles unusual Unicode", () => {
    expect(texts("My name is Šárka Ottová")).toEqual(["Šárka Ottová"]);
    expect(texts("Dr. Ǆemal Ǉubić called")).toEqual(["Ǆemal Ǉubić"]);
    const text = "😀😀 Mr Çelik 😀 says hi";
    const [finding] = find(text);
    expect(finding?.text).toBe("Çelik");
    expect(finding?.start).toBe(text.indexOf("Çelik"));
  });

  it("ignores text without capital letters", () => {
    expect(texts("my name is anna smith")).toEqual([]);
    expect(texts("我的名字是王伟")).toEqual([]);
  });

  it("scans 200k characters quickly", () => {
    const text = "Mr ".repeat(40_000) + "Aa Bb-".repeat(13_000) + "x";
    expect(text.length).toBeGreaterThan(190_000);
    const started = performance.now();
    find(text);
    find("A".repeat(200_000));
    find("Ab'".repeat(70_000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
