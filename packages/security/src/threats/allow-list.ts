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
 * The occurrences of the allowed phrases in a text, indexed so that a
 * containment test takes a binary search instead of a pass over every
 * occurrence.
 */
export class AllowedSpans {
  /** Occurrences sorted by start. */
  readonly #spans: readonly TextSpan[];
  /** The greatest end among the first `index + 1` occurrences. */
  readonly #reach: readonly number[];

  constructor(spans: readonly TextSpan[]) {
    this.#spans = [...spans].sort((left, right) => left.start - right.start);
    let reach = -1;
    this.#reach = this.#spans.map(
      (span) => (reach = Math.max(reach, span.end)),
    );
  }

  /** Whether no phrase occurs in the text. */
  get empty(): boolean {
    return this.#spans.length === 0;
  }

  /** Tells whether one occurrence covers the whole span. */
  covers(span: TextSpan): boolean {
    let low = 0;
    let high = this.#spans.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.#spans[middle]?.start ?? 0) <= span.start) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    // Every occurrence before `low` starts at or before the span.
    return low > 0 && (this.#reach[low - 1] ?? -1) >= span.end;
  }
}

/**
 * Finds every occurrence in `text` of the allowed phrases. A RegExp keeps
 * its own flags, with `g` added; empty matches are skipped.
 */
export function allowedSpans(
  text: string,
  allow: readonly (string | RegExp)[],
): AllowedSpans {
  const spans: TextSpan[] = [];
  for (const entry of allow) {
    for (const match of text.matchAll(asGlobal(entry))) {
      if (match[0].length > 0) {
        spans.push({ start: match.index, end: match.index + match[0].length });
      }
    }
  }
  return new AllowedSpans(spans);
}

/**
 * Drops the findings whose triggering `match` lies wholly inside an
 * allowed span. Prompt-injection findings were already scored without
 * the cues inside allowed spans, so one that remains has a cue outside.
 */
export function dropAllowed(
  findings: readonly ThreatFinding[],
  allowed: AllowedSpans,
): ThreatFinding[] {
  if (allowed.empty) {
    return [...findings];
  }
  return findings.filter((finding) => !allowed.covers(finding.match));
}
