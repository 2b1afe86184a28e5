import { describe, expect, it } from "vitest";

import { expectSlicesMatch } from "../test-support/findings.js";
import type { RecognizerContext } from "../types.js";
import { phoneRecognizer } from "./phone.js";

const FRANCE: RecognizerContext = { defaultRegion: "FR" };
const UNITED_STATES: RecognizerContext = { defaultRegion: "US" };
const NO_REGION: RecognizerContext = { defaultRegion: undefined };

describe("phoneRecognizer", () => {
  it("finds French national number with FR region", () => {
    const text = "Appelez-moi au 06 12 34 56 78 demain.";
    const findings = phoneRecognizer.find(text, FRANCE);

    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding?.text).toBe("06 12 34 56 78");
    expect(finding?.start).toBe(15);
    expect(finding?.end).toBe(29);
    expect(finding?.type).toBe("PHONE");
    expect(finding?.recognizer).toBe("phone");
    expect(finding?.validation.region).toBe("FR");
    expect(finding?.validation.valid).toBe(true);
    expect(finding?.validation.numberType).toBe("MOBILE");
    expect(finding?.validation.international).toBe(false);
    expectSlicesMatch(text, findings);
  });

  it("ignores national number without region", () => {
    const text = "Appelez-moi au 06 12 34 56 78 demain.";

    expect(phoneRecognizer.find(text, NO_REGION)).toEqual([]);
  });

  it("ignores French national number with US region", () => {
    const text = "Appelez-moi au 06 12 34 56 78 demain.";

    expect(phoneRecognizer.find(text, UNITED_STATES)).toEqual([]);
  });

  it("accepts lower-case default region", () => {
    const findings = phoneRecognizer.find("06 12 34 56 78", {
      defaultRegion: "fr",
    });

    expect(findings).toHaveLength(1);
    expect(findings[0]?.validation.region).toBe("FR");
  });

  it("ignores unsupported default region", () => {
    const findings = phoneRecognizer.find("06 12 34 56 78", {
      defaultRegion: "ZZ",
    });

    expect(findings).toEqual([]);
  });

  it("finds international French number without region", () => {
    const text = "Bureau : +33 1 23 45 67 89.";
    const findings = phoneRecognizer.find(text, NO_REGION);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("+33 1 23 45 67 89");
    expect(findings[0]?.validation.region).toBe("FR");
    expect(findings[0]?.validation.countryCallingCode).toBe("33");
    expect(findings[0]?.validation.international).toBe(true);
    expectSlicesMatch(text, findings);
  });

  it("finds international number with other default region", () => {
    const text = "Bureau : +33 1 23 45 67 89.";
    const findings = phoneRecognizer.find(text, UNITED_STATES);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.validation.region).toBe("FR");
  });

  it("infers GB region from country code", () => {
    const text = "London office: +44 20 7946 0958, ask for Sam.";
    const findings = phoneRecognizer.find(text, FRANCE);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("+44 20 7946 0958");
    expect(findings[0]?.start).toBe(15);
    expect(findings[0]?.validation.region).toBe("GB");
    expect(findings[0]?.validation.countryCallingCode).toBe("44");
    expectSlicesMatch(text, findings);
  });

  it("includes extension in span", () => {
    const text = "Call 212-555-0142 ext. 317 before noon.";
    const findings = phoneRecognizer.find(text, UNITED_STATES);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("212-555-0142 ext. 317");
    expect(findings[0]?.start).toBe(5);
    expect(findings[0]?.end).toBe(26);
    expect(findings[0]?.validation.extension).toBe(true);
    expect(findings[0]?.validation.region).toBe("US");
    expectSlicesMatch(text, findings);
  });

  it("finds several numbers in one text", () => {
    const text =
      "Paris +33 1 23 45 67 89 or London +44 20 7946 0958 or 06 12 34 56 78";
    const findings = phoneRecognizer.find(text, FRANCE);

    expect(findings.map((finding) => finding.text)).toEqual([
      "+33 1 23 45 67 89",
      "+44 20 7946 0958",
      "06 12 34 56 78",
    ]);
    expect(findings.map((finding) => finding.validation.region)).toEqual([
      "FR",
      "GB",
      "FR",
    ]);
    expectSlicesMatch(text, findings);
  });

  it("rejects literal pattern with letters", () => {
    const text = "The pattern ddd-343-\\dddd matches nothing here.";

    expect(phoneRecognizer.find(text, UNITED_STATES)).toEqual([]);
    expect(phoneRecognizer.find(text, FRANCE)).toEqual([]);
  });

  it("rejects ISO date and year", () => {
    const text = "Released on 2024-05-06, first drafted in 1999.";

    expect(phoneRecognizer.find(text, UNITED_STATES)).toEqual([]);
    expect(phoneRecognizer.find(text, FRANCE)).toEqual([]);
    expect(phoneRecognizer.find(text, NO_REGION)).toEqual([]);
  });

  it("rejects invalid number in valid shape", () => {
    // The North American Numbering Plan assigns no area code that starts
    // with 0.
    const text = "Dial 000-555-0100 now.";

    expect(phoneRecognizer.find(text, UNITED_STATES)).toEqual([]);
  });

  it("scores context and country code higher", () => {
    const plain = phoneRecognizer.find("06 12 34 56 78", FRANCE);
    const withWord = phoneRecognizer.find("Téléphone : 06 12 34 56 78", FRANCE);
    const withCode = phoneRecognizer.find("+33 6 12 34 56 78", FRANCE);

    expect(plain[0]?.score).toBeCloseTo(0.7);
    expect(withWord[0]?.score).toBeCloseTo(0.8);
    expect(withCode[0]?.score).toBeCloseTo(0.85);
    for (const finding of [...plain, ...withWord, ...withCode]) {
      expect(finding.score).toBeGreaterThanOrEqual(0);
      expect(finding.score).toBeLessThanOrEqual(1);
    }
  });

  it("computes scores exact to two decimals", () => {
    const findings = [
      ...phoneRecognizer.find("06 12 34 56 78", FRANCE),
      ...phoneRecognizer.find("Téléphone : 06 12 34 56 78", FRANCE),
      ...phoneRecognizer.find("Téléphone : +33 6 12 34 56 78", FRANCE),
      ...phoneRecognizer.find("Call +1 123-456-7890 today.", UNITED_STATES),
    ];

    expect(findings.map((finding) => finding.score)).toEqual([
      0.7, 0.8, 0.95, 0.7,
    ]);
  });

  it("returns nothing for empty text", () => {
    expect(phoneRecognizer.find("", FRANCE)).toEqual([]);
  });

  it("handles unusual Unicode around number", () => {
    const text = "😀👍🏽 \u200b+44 20 7946 0958\u200b 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \ud800 ﷽";
    const findings = phoneRecognizer.find(text, FRANCE);

    expect(findings).toHaveLength(1);
    expect(findings[0]?.text).toBe("+44 20 7946 0958");
    expectSlicesMatch(text, findings);
  });

  it("scans 200k characters quickly", () => {
    const filler = "lorem ipsum 2024-05-06 dolor 1999 sit amet ";
    const chunk = `${filler}+44 20 7946 0958 `;
    const text = chunk.repeat(Math.ceil(200_000 / chunk.length));
    const started = performance.now();
    const findings = phoneRecognizer.find(text, FRANCE);
    const elapsedMs = performance.now() - started;

    expect(text.length).toBeGreaterThanOrEqual(200_000);
    expect(findings).toHaveLength(Math.ceil(200_000 / chunk.length));
    expect(elapsedMs).toBeLessThan(10_000);
    expectSlicesMatch(text, findings);
  });
});

describe("phone numbers that fail the digit patterns", () => {
  it("are reported at a lower score only next to a phone word", () => {
    // No North American area code starts with 1, so the number has a
    // possible length but is not valid.
    const withWord = phoneRecognizer.find("Call me on 123-456-7890 today.", {
      defaultRegion: "US",
    });
    const without = phoneRecognizer.find("Ticket 123-456-7890 was closed.", {
      defaultRegion: "US",
    });

    expect(withWord).toHaveLength(1);
    expect(withWord[0]?.text).toBe("123-456-7890");
    expect(withWord[0]?.validation.valid).toBe(false);
    expect(withWord[0]?.score).toBeLessThan(0.7);
    expect(without).toEqual([]);
  });
});

describe("phone-shaped digits next to a phone word", () => {
  it("finds another region's national number after a phone word", () => {
    const text = "Mobile: 0688 843 79 56\nDesk: (898) 666-0142";
    const findings = phoneRecognizer.find(text, UNITED_STATES);

    const cued = findings.find((finding) => finding.text === "0688 843 79 56");
    expect(cued?.score).toBe(0.4);
    expect(cued?.validation.cued).toBe(true);
    expectSlicesMatch(text, findings);
  });

  it("finds a number that a word such as office follows", () => {
    const text = "PSC 3294, Box 9168\n416 60 039 office";
    const findings = phoneRecognizer.find(text, UNITED_STATES);

    expect(findings.map((finding) => finding.text)).toEqual(["416 60 039"]);
  });

  it("ignores the same digits without a phone word", () => {
    const text = "Order 0688 843 79 56 shipped on 2003-08-28.";

    expect(phoneRecognizer.find(text, UNITED_STATES)).toEqual([]);
  });

  it("ignores dates and too few digits after a phone word", () => {
    const text = "Call on 2003-08-28 or 12.10.2024, room 12 34.";

    expect(phoneRecognizer.find(text, UNITED_STATES)).toEqual([]);
  });
});

describe("phone words next to numbers of other kinds", () => {
  it("ignores dates, times, amounts, versions and codes after a phone word", () => {
    const cases = [
      ["Office: 2024-03-15 10:30", UNITED_STATES],
      ["Office: 2024-03-15 10:30", NO_REGION],
      ["Registered at 90210-1234", UNITED_STATES],
      ["Registered office 94105-1234 San Francisco", NO_REGION],
      ["Messages 1 234 567 received", NO_REGION],
      ["office 3.14159 265358", NO_REGION],
      ["Handy 1.000.000 Euro", NO_REGION],
      ["Office: 1,234,567", NO_REGION],
      ["Call 2024 03 15", NO_REGION],
      ["Mobile: 0688 843 79 56 %", NO_REGION],
      ["Desk € 1 299 000", NO_REGION],
    ] as const;

    for (const [text, context] of cases) {
      expect(phoneRecognizer.find(text, context), text).toEqual([]);
    }
  });

  it("ignores a phone word after a number that another word labels", () => {
    const texts = [
      "Price 1 299 000 office",
      "Version 4.12.0.221 desk",
      "Invoice 2023-11-0042 mobile",
      "Ticket 1234-5678 home",
      "Between 1990 2000 work",
      "Q3 sales by office 1200 1350 1410 and home 880 920",
      "Office 1200 1350",
    ];

    for (const text of texts) {
      expect(phoneRecognizer.find(text, NO_REGION), text).toEqual([]);
    }
  });

  it("ignores a phone word that starts a new phrase", () => {
    const text = "Room 0688 843 79 56 office hours are 9 to 5.";

    expect(phoneRecognizer.find(text, NO_REGION)).toEqual([]);
  });

  it("keeps national numbers that a phone word labels", () => {
    const cases = [
      ["Call 555 0142", "555 0142"],
      ["Mobile: 06 12 34 56 78", "06 12 34 56 78"],
      ["call me on 0171 234 5678", "0171 234 5678"],
      ["Office 0044 20 7946 0958", "0044 20 7946 0958"],
      ["They're not answering at 699 956 915", "699 956 915"],
      ["9885 1152-Office, 555 0100-Fax", "9885 1152"],
      ["Reach us at 06.12.34.56.78 today", "06.12.34.56.78"],
      ["781 1704 office\n(579) 888-3058 fax", "781 1704"],
      ["416 60 039 home or 555 0199 work", "416 60 039"],
    ] as const;

    for (const [text, number] of cases) {
      const findings = phoneRecognizer.find(text, NO_REGION);
      expect(
        findings.map((finding) => finding.text),
        text,
      ).toContain(number);
      expectSlicesMatch(text, findings);
    }
  });
});

describe("phone numbers among digits written one at a time", () => {
  it("finds nothing in digits separated one by one", () => {
    const text = `Build ${"1.".repeat(5000)}1 and 6.1.2.3.4.5.6.7.8`;

    expect(phoneRecognizer.find(text, FRANCE)).toEqual([]);
  });

  it("finds a number right after a long run of single digits", () => {
    const text = `${"1.".repeat(5000)}1, call +44 20 7946 0958 ext. 7`;
    const findings = phoneRecognizer.find(text, FRANCE);

    expect(findings.map((finding) => finding.text)).toEqual([
      "+44 20 7946 0958 ext. 7",
    ]);
    expectSlicesMatch(text, findings);
  });
});
