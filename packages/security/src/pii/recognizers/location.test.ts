import { describe, expect, it } from "vitest";

import { findChecked } from "../test-support/findings.js";
import type { PiiFinding, RecognizerContext } from "../types.js";
import { locationRecognizer } from "./location.js";

const context: RecognizerContext = { defaultRegion: undefined };

function find(text: string): PiiFinding[] {
  const findings = findChecked(
    locationRecognizer,
    { type: "LOCATION", name: "location" },
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

describe("locationRecognizer", () => {
  it("finds country from lexicon with offsets", () => {
    const text = "He was injured in Austria last year.";
    const [finding] = find(text);
    expect(finding?.text).toBe("Austria");
    expect(finding?.start).toBe(18);
    expect(finding?.end).toBe(25);
    expect(finding?.validation["rule"]).toBe("lexicon");
    expect(finding?.validation["kind"]).toBe("country");
  });

  it("finds multi-word places", () => {
    expect(texts("Flights to Democratic Republic of the Congo")).toEqual([
      "Democratic Republic of the Congo",
    ]);
    expect(texts("She left New York City for Rio de Janeiro.")).toEqual([
      "New York City",
      "Rio de Janeiro",
    ]);
  });

  it("finds short forms in capitals only", () => {
    expect(texts("Shipping to the USA and the UK")).toEqual(["USA", "UK"]);
    expect(texts("Tell us more about it")).toEqual([]);
  });

  it("matches lexicon in lower-case text", () => {
    expect(
      texts("the royal arrived at bauru this morning from bahrain."),
    ).toEqual(["bahrain"]);
  });

  it("ignores lower-case place word in mixed text", () => {
    expect(texts("Turkey is served. We ate turkey and china plates.")).toEqual(
      [],
    );
  });

  it("finds unknown place after cue", () => {
    const [finding] = find("My friend lives in Qaanaaq now.");
    expect(finding?.text).toBe("Qaanaaq");
    expect(finding?.validation["rule"]).toBe("cue");
    expect(finding?.validation["cue"]).toBe("lives in");
    expect(texts("We moved to Torroella de Montgrí.")).toEqual([
      "Torroella de Montgrí",
    ]);
    expect(texts("I am in PORSGRUNN for a trip")).toEqual(["PORSGRUNN"]);
  });

  it("scores weak cue lower", () => {
    const [strong] = find("She was born in Oamaru.");
    const [weak] = find("The show in Oamaru was long.");
    expect(strong?.score).toBeGreaterThan(weak?.score ?? 1);
  });

  it("finds place before country", () => {
    const text = "Write to Coalville, South Africa please";
    expect(texts(text)).toEqual(["Coalville", "South Africa"]);
    const [before] = find(text);
    expect(before?.validation["rule"]).toBe("before-country");
  });

  it("needs cue for ambiguous names", () => {
    expect(texts("Jordan called me.")).toEqual([]);
    expect(texts("She moved to Jordan.")).toEqual(["Jordan"]);
  });

  it("skips months, weekdays and organisations", () => {
    expect(texts("We met in March and in May.")).toEqual([]);
    expect(texts("Open in Monday mode")).toEqual([]);
    expect(texts("She studied in Oxford University.")).toEqual([]);
    expect(texts("He works at Bank of Georgia.")).toEqual([]);
    expect(texts("He wrote it in English.")).toEqual([]);
  });

  it("skips surname that names a city", () => {
    expect(texts("Please ask Laura Lima.")).toEqual([]);
  });

  it("skips weak cue before person", () => {
    expect(texts("It was in Mr Smith's car.")).toEqual([]);
    expect(texts("Anna is from Acme.")).toEqual([]);
  });

  it("lowers score inside postal address", () => {
    const [finding] = find("12 Main Street\nApt. 5\nGeleen\nTogo 42785");
    expect(finding?.text).toBe("Togo");
    expect(finding?.validation["postalAddress"]).toBe(true);
    expect(finding?.score).toBeLessThan(0.5);
  });

  it("keeps e-mail and URL parts out", () => {
    expect(
      texts("Write to paris@example.com or see canada.example.org"),
    ).toEqual([]);
    expect(texts("Contact anna@example.com in Berlin")).toEqual(["Berlin"]);
  });

  it("returns nothing for empty text", () => {
    expect(find("")).toEqual([]);
  });

  it("handles unusual Unicode", () => {
    expect(texts("Wir fahren nach München, Germany")).toEqual([
      "München",
      "Germany",
    ]);
    const text = "🌍 born in Zürich 🌍 and São Paulo";
    const [first, second] = find(text);
    expect(first?.text).toBe("Zürich");
    expect(first?.start).toBe(text.indexOf("Zürich"));
    expect(second?.text).toBe("São Paulo");
    expect(texts("住在东京")).toEqual([]);
  });

  it("scans 200k characters quickly", () => {
    const text = "lives in ".repeat(12_000) + "Aa-Bb ".repeat(18_000);
    expect(text.length).toBeGreaterThan(200_000);
    const started = performance.now();
    find(text);
    find("in New ".repeat(30_000));
    find("a".repeat(200_000));
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
