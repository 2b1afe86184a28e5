import { describe, expect, it } from "vitest";

import { codeExecutionDetector } from "./detectors/code.js";
import { commandInjectionDetector } from "./detectors/command.js";
import { ScanContext } from "./detectors/detector.js";
import type { Detector } from "./detectors/detector.js";
import { CUES } from "./detectors/prompt/prompt.js";
import { findCueHits } from "./detectors/prompt/cue-scan.js";
import { SCRIPT_TEXT_RULES } from "./detectors/script/text-rules.js";
import { sqlInjectionDetector } from "./detectors/sql.js";
import { decodeEscapes } from "./normalize/decode.js";
import { findEncodedRuns, looksEncoded } from "./normalize/encoded.js";
import { MappedText } from "./normalize/mapped-text.js";
import { proseView } from "./normalize/views.js";
import { scanThreats } from "./scan.js";

// These inputs made the former patterns backtrack for minutes or longer
// (cubic or exponential work, or quadratic work on slices of 64 KiB and
// more), past the test timeout. Each now takes a fraction of a second, so
// a pattern that regains such backtracking fails by timing out.

/** Runs a detector on `text` as one sentence, past the sentence cap. */
function detectInOneSentence(detector: Detector, text: string): number {
  const context = new ScanContext(text, [{ start: 0, end: text.length }]);
  return detector.detect(context).length;
}

/** Counts the matches of every script text rule over the whole text. */
function scriptRuleMatches(text: string): number {
  let count = 0;
  for (const rule of SCRIPT_TEXT_RULES) {
    for (const match of text.matchAll(rule.pattern)) {
      count += match[0].length > 0 ? 1 : 0;
    }
  }
  return count;
}

describe("scanThreats on adversarial input", () => {
  it("scans a word of capitals then small letters", () => {
    const text = `${"A".repeat(5000)}${"a".repeat(5000)}`;

    expect(scanThreats(text).recommendation).toBe("allow");
  });

  it("scans a jailbreak list that never reaches its noun", () => {
    const text = `You are without ${"moral,".repeat(40)}moral zzz.`;

    expect(scanThreats(text).recommendation).toBe("allow");
  });
});

describe("encoded run detection on adversarial input", () => {
  it("reads a long run of capitals then small letters once", () => {
    const run = `${"A".repeat(50_000)}${"a".repeat(50_000)}`;

    expect(looksEncoded(run)).toBe(false);
    expect(looksEncoded(`${run}A`)).toBe(true);
    expect(findEncodedRuns(run, 0)).toEqual([]);
  });
});

describe("escape decoding on adversarial input", () => {
  it("decodes a long run of UTF-7 shift characters", () => {
    const text = MappedText.fromOriginal("+a".repeat(200_000));

    expect(decodeEscapes(text, { utf7: true }).text).toBe(text.text);
  });
});

describe("pattern rules on one long sentence", () => {
  it.each([
    ["a quote and OR before spaces", `' or${" ".repeat(20_000)}x`, 0],
    ["a quote before plus signs", `admin'${" +".repeat(10_000)}x`, 0],
    ["UNION before spaces", `union${" ".repeat(20_000)}x`, 0],
    ["pg_sleep before spaces", `1 or pg_sleep(${" ".repeat(20_000)}x`, 2],
    ["a run of opening brackets", "(".repeat(200_000), 0],
  ])("reads %s as SQL", (_name, text, findings) => {
    expect(detectInOneSentence(sqlInjectionDetector, text)).toBe(findings);
  });

  it.each([
    ["a function definition before spaces", `() {${" ".repeat(20_000)}x`, 0],
    ["a command line of host names", `ls ${"a.bb.cc ".repeat(3000)}!`, 0],
    ["a backtick command of letters", `x \`nc -l${"nc".repeat(100_000)}`, 0],
    ["a remove option of letters", `rm -${"rf".repeat(150_000)}`, 0],
    ["a netcat option of letters", `nc -${"e".repeat(350_000)}`, 1],
    ["line feeds after an operator", `;net${"\n".repeat(200_000)}x`, 0],
  ])("reads %s as a shell command", (_name, text, findings) => {
    expect(detectInOneSentence(commandInjectionDetector, text)).toBe(findings);
  });

  it.each([
    ["repeated JNDI prefixes", "${jndi:".repeat(60_000)],
    ["a template of one long word", `{{ get_user_${"java".repeat(5000)}`],
    ["a run of opening braces", "{{".repeat(100_000)],
  ])("reads %s as code", (_name, text) => {
    expect(detectInOneSentence(codeExecutionDetector, text)).toBe(0);
  });
});

describe("script text rules on adversarial input", () => {
  it("reads a megabyte of repeated javascript: prefixes", () => {
    expect(scriptRuleMatches("javascript:".repeat(100_000))).toBe(0);
  });

  it("reads a megabyte of repeated handler names", () => {
    expect(scriptRuleMatches("onclick='".repeat(120_000))).toBe(0);
  });

  it("reads a handler before a long run of spaces", () => {
    expect(scriptRuleMatches(`onclick=${" ".repeat(200_000)}x`)).toBe(0);
    expect(scriptRuleMatches(`'${" ".repeat(200_000)}x`)).toBe(0);
  });
});

describe("prompt cues on adversarial input", () => {
  it("reads a long run of spaces after a manipulation lead word", () => {
    const view = proseView(`please${" ".repeat(500_000)}x`);

    expect(findCueHits([view], CUES)).toEqual([[]]);
  });
});
