import { scanThreats } from "../scan.js";
import type {
  ThreatDetectorName,
  ThreatFinding,
  ThreatType,
} from "../types.js";

/** Runs one detector and returns its findings of `type`, strongest first. */
export function findingsOf(
  text: string,
  detector: ThreatDetectorName,
  type: ThreatType,
): ThreatFinding[] {
  return scanThreats(text, { detectors: [detector] })
    .findings.filter((finding) => finding.type === type)
    .sort((left, right) => right.score - left.score);
}

/** Returns the original text that a finding's `match` covers. */
export function matchedText(
  text: string,
  finding: ThreatFinding | undefined,
): string {
  return finding === undefined
    ? ""
    : text.slice(finding.match.start, finding.match.end);
}
