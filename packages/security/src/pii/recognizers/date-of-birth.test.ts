import { describe, expect, it } from "vitest";

import { findChecked } from "../test-support/findings.js";
import type { PiiFinding, RecognizerContext } from "../types.js";
import { dateOfBirthRecognizer } from "./date-of-birth.js";

const context: RecognizerContext = { defaultRegion: undefined };
const usContext: RecognizerContext = { defaultRegion: "US" };

function find(text: string, settings = context): PiiFinding[] {
  const findings = findChecked(
    dateOfBirthRecognizer,
    { type: "DATE_OF_BIRTH", name: "date-of-birth" },
    text,
    settings,
  );
  return findings;
}

function texts(text: string, settings = context): string[] {
  return find(text, settings).map((finding) => finding.text);
}

describe("dateOfBirthRecognizer", () => {
  it("finds ISO date after born", () => {
    const text = "She was born 1985-03-12 in Lyon.";
    const [finding] = find(text);
    expect(finding?.text).toBe("1985-03-12");
    expect(finding?.start).toBe(13);
    expect(finding?.end).toBe(23);
    expect(finding?.validation["format"]).toBe("Y-M-D");
    expect(finding?.validation["year"]).toBe(1985);
    expect(finding?.validation["month"]).toBe(3);
    expect(finding?.validation["day"]).toBe(12);
    expect(finding?.validation["contextWord"]).toBe("born");
  });

  it("reads day first by default", () => {
    const [finding] = find("DOB: 12/03/1985");
    expect(finding?.text).toBe("12/03/1985");
    expect(finding?.validation["format"]).toBe("D/M/Y");
    expect(finding?.validation["month"]).toBe(3);
    expect(finding?.validation["day"]).toBe(12);
    expect(finding?.validation["ambiguous"]).toBe(true);
    expect(finding?.score).toBe(0.75);
  });

  it("reads month first for US", () => {
    const [finding] = find("DOB: 12/03/1985", usContext);
    expect(finding?.validation["format"]).toBe("M/D/Y");
    expect(finding?.validation["month"]).toBe(12);
    expect(finding?.validation["day"]).toBe(3);
  });

  it("settles order from day over 12", () => {
    const dayFirst = find("Date of birth: 25.12.1990", usContext)[0];
    expect(dayFirst?.validation["format"]).toBe("D/M/Y");
    expect(dayFirst?.validation["ambiguous"]).toBe(false);
    expect(dayFirst?.score).toBe(0.85);

    const monthFirst = find("Date of birth: 12-25-1990")[0];
    expect(monthFirst?.validation["format"]).toBe("M/D/Y");
    expect(monthFirst?.validation["month"]).toBe(12);
  });

  it("finds day then month name", () => {
    expect(texts("He was born on 12 March 1985.")).toEqual(["12 March 1985"]);
    expect(texts("Birthday: 1st of Jan. 2000")).toEqual(["1st of Jan. 2000"]);
    expect(texts("born 3 Sept 1970")).toEqual(["3 Sept 1970"]);
    const [finding] = find("born 3 September 1970");
    expect(finding?.validation["month"]).toBe(9);
  });

  it("finds month name then day", () => {
    const [finding] = find("Date of birth: March 12, 1985");
    expect(finding?.text).toBe("March 12, 1985");
    expect(finding?.validation["format"]).toBe("MONTH D, Y");
    expect(finding?.validation["month"]).toBe(3);
    expect(texts("birthdate dec 31st 1999")).toEqual(["dec 31st 1999"]);
  });

  it("finds hyphenated day month year", () => {
    const [finding] = find("DOB: 12-Mar-1985");
    expect(finding?.text).toBe("12-Mar-1985");
    expect(finding?.start).toBe(5);
    expect(finding?.validation["format"]).toBe("D-MON-Y");
    expect(finding?.validation["day"]).toBe(12);
    expect(finding?.validation["month"]).toBe(3);
    expect(finding?.validation["year"]).toBe(1985);
    expect(texts("born 01/Sep/1970")).toEqual(["01/Sep/1970"]);
    expect(texts("born 3-sept-1970.")).toEqual(["3-sept-1970"]);
  });

  it("rejects malformed hyphenated dates", () => {
    expect(find("DOB: 31-Feb-1985")).toEqual([]);
    expect(find("DOB: 12-Mar/1985")).toEqual([]);
    expect(find("DOB: 12-Mar-19851")).toEqual([]);
    expect(find("DOB: 112-Mar-1985")).toEqual([]);
    expect(find("DOB: 12-Mar-1985-01")).toEqual([]);
  });

  it("accepts leap day only in leap years", () => {
    expect(texts("born 2000-02-29")).toEqual(["2000-02-29"]);
    expect(texts("born 29 February 1996")).toEqual(["29 February 1996"]);
    expect(find("born 1900-02-29")).toEqual([]);
    expect(find("born 2001-02-29")).toEqual([]);
  });

  it("rejects impossible dates", () => {
    expect(find("born 1985-13-01")).toEqual([]);
    expect(find("born 1985-04-31")).toEqual([]);
    expect(find("born 31 June 1985")).toEqual([]);
    expect(find("born 00/01/1985")).toEqual([]);
    expect(find("born 32/01/1985")).toEqual([]);
    expect(find("born 13/13/1985")).toEqual([]);
  });

  it("rejects years out of range", () => {
    const nextYear = new Date().getFullYear() + 1;
    expect(find("born 1899-12-31")).toEqual([]);
    expect(texts("born 1900-01-01")).toEqual(["1900-01-01"]);
    expect(find(`born ${nextYear}-01-01`)).toEqual([]);
  });

  it("requires birth context", () => {
    expect(find("The meeting is on 1985-03-12.")).toEqual([]);
    expect(find("Invoice dated 12 March 1985")).toEqual([]);
    expect(find("March 12, 1985")).toEqual([]);
  });

  it("ignores context from earlier sentence", () => {
    expect(find("He was born in Paris. The office opened 1985-03-12.")).toEqual(
      [],
    );
  });

  it("ignores context too many words back", () => {
    const text = "born somewhere and then much later we all met on 1985-03-12";
    expect(find(text)).toEqual([]);
  });

  it("accepts dotted DOB abbreviation", () => {
    expect(texts("D.O.B. 04.07.1976")).toEqual(["04.07.1976"]);
  });

  it("ignores dates inside longer numbers", () => {
    expect(find("born 1985-03-12-7")).toEqual([]);
    expect(find("born 112/03/1985")).toEqual([]);
    expect(find("born 12/03/19851")).toEqual([]);
    expect(find("born 1.12.03.1985")).toEqual([]);
  });

  it("rejects mixed separators", () => {
    expect(find("born 1985-03/12")).toEqual([]);
    expect(find("born 12/03-1985")).toEqual([]);
  });

  it("returns nothing for empty text", () => {
    expect(find("")).toEqual([]);
  });

  it("handles unusual Unicode around dates", () => {
    const text =
      "🎂 Birthday\u00a0—\u200b12 March 1985 🎉 née, born 1990-01-02";
    expect(texts(text)).toEqual(["12 March 1985", "1990-01-02"]);
  });

  it("scans 200k characters quickly", () => {
    const inputs = [
      "1".repeat(200_000),
      "1/".repeat(100_000),
      `born ${"1 ".repeat(100_000)}`,
      `born 1${" ".repeat(200_000)}March`,
      "born 12 March 1985 ".repeat(10_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      dateOfBirthRecognizer.find(input, context);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
  });
});

describe("dates near the word birth in another sense", () => {
  it("are not dates of birth", () => {
    expect(
      dateOfBirthRecognizer.find("The birth rate report of 2021-03-05.", {
        defaultRegion: undefined,
      }),
    ).toEqual([]);
  });
});
