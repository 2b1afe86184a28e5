import { expect } from "vitest";

import type {
  PiiFinding,
  PiiType,
  Recognizer,
  RecognizerContext,
} from "../types.js";

/** Context of a recognizer run without a default region. */
export const NO_REGION: RecognizerContext = { defaultRegion: undefined };

/** Asserts that every finding's text is its slice of `text`. */
export function expectSlicesMatch(
  text: string,
  findings: readonly PiiFinding[],
): void {
  for (const finding of findings) {
    expect(finding.text).toBe(text.slice(finding.start, finding.end));
  }
}

/**
 * Runs a recognizer and asserts what every finding must meet: its text is
 * its slice of `text`, it has the expected kind and recognizer name, and
 * its score is above 0 and at most 1.
 */
export function findChecked(
  recognizer: Recognizer,
  expected: { readonly type: PiiType; readonly name: string },
  text: string,
  context: RecognizerContext = NO_REGION,
): PiiFinding[] {
  const findings = recognizer.find(text, context);
  expectSlicesMatch(text, findings);
  for (const finding of findings) {
    expect(finding.type).toBe(expected.type);
    expect(finding.recognizer).toBe(expected.name);
    expect(finding.score).toBeGreaterThan(0);
    expect(finding.score).toBeLessThanOrEqual(1);
  }
  return findings;
}
