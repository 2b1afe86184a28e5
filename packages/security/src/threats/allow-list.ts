import type { TextSpan } from "./normalize/mapped-text.js";
import type { ThreatFinding } from "./types.js";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, "\\$&");
}

function asGlobal(entry: string | RegExp): RegExp {
  if (typeof entry === "string") {
    return new RegExp(escapeRegExp(entry), "giu");
  }
  return entry.global
    ? new RegExp(entry.source, entry.flags)
    : new RegExp(entry.source, `${entry.flags}g`);
}

/**
 * Returns every occurrence in `text` of the allowed phrases. A RegExp
 * keeps its own flags, with `g` added; empty matches are skipped.
 */
export function allowedSpans(
  text: string,
  allow: readonly (string | RegExp)[],
): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const entry of allow) {
    for (const match of text.matchAll(asGlobal(entry))) {
      if (match[0].length > 0) {
        spans.push({ start: match.index, end: match.index + match[0].length });
      }
    }
  }
  return spans;
}

/**
 * Drops the findings whose triggering `match` lies wholly inside an
 * allowed span.
 */
export function dropAllowed(
  findings: readonly ThreatFinding[],
  spans: readonly TextSpan[],
): ThreatFinding[] {
  if (spans.length === 0) {
    return [...findings];
  }
  return findings.filter(
    (finding) =>
      !spans.some(
        (span) =>
          span.start <= finding.match.start && finding.match.end <= span.end,
      ),
  );
}
