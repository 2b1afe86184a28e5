import type { MappedText, TextSpan } from "../../normalize/mapped-text.js";
import { findEncodedRuns } from "../../normalize/encoded.js";
import { proseView } from "../../normalize/views.js";
import { boundedSlices, sentenceAt } from "../../segment.js";
import type { ThreatFinding } from "../../types.js";
import { toFinding } from "../detector.js";
import type { Detector, ScanContext } from "../detector.js";
import { compileCues, FAMILY_REASONS, INDIRECT_FAMILIES } from "./cue.js";
import type { Cue, CueFamily } from "./cue.js";
import { findCueHits } from "./cue-scan.js";
import type { CueHit } from "./cue-scan.js";
import { ENGLISH_CUES } from "./lexicon-en.js";
import { LATIN_SCRIPT_CUES } from "./lexicon-latin-script.js";
import { OTHER_SCRIPT_CUES } from "./lexicon-other-scripts.js";

/** The compiled cues of every lexicon. */
export const CUES: readonly Cue[] = compileCues([
  ...ENGLISH_CUES,
  ...LATIN_SCRIPT_CUES,
  ...OTHER_SCRIPT_CUES,
]);

/** Lowest sentence score, before context damping, that becomes a finding. */
const MIN_SENTENCE_SCORE = 0.25;

/**
 * Reaches, in code units between two sentences, within which a neighbour
 * lends support. A close neighbour weighs more than one further away, and
 * a sentence beyond the wide reach lends none.
 */
const CLOSE_REACH = 300;
const WIDE_REACH = 2000;

/** How many of the strongest neighbours lend support. */
const NEIGHBOUR_COUNT = 3;

/** Weight of a neighbour's score by its distance, 0 beyond reach. */
function neighbourWeight(self: TextSpan, other: TextSpan): number {
  const gap = Math.max(other.start - self.end, self.start - other.end, 0);
  if (gap <= CLOSE_REACH) {
    return 0.6;
  }
  return gap <= WIDE_REACH ? 0.45 : 0;
}

/** The cues that matched one sentence or decoded run. */
interface CueMatches {
  /** Combined score of the cues; see {@link combineCues}. */
  readonly score: number;
  /** The family of the strongest cue. */
  readonly family: CueFamily;
  /** The original span of the strongest cue's match. */
  readonly match: TextSpan;
  readonly families: ReadonlySet<CueFamily>;
}

/** Weight of each cue after the strongest of its family. */
const SAME_FAMILY_WEIGHT = 0.5;

/**
 * Combines cue hits into one score with a noisy-OR, `1 - Π (1 - s)`. The
 * strongest hit of each family counts in full, and each further hit of the
 * family that does not overlap a counted one counts at half weight.
 */
function combineCues(hits: readonly CueHit[]): number {
  const counted = new Map<CueFamily, CueHit[]>();
  let remaining = 1;
  for (const hit of hits) {
    const family = counted.get(hit.family) ?? [];
    if (family.some((other) => hit.from < other.to && other.from < hit.to)) {
      continue;
    }
    remaining *= 1 - hit.score * (family.length === 0 ? 1 : SAME_FAMILY_WEIGHT);
    family.push(hit);
    counted.set(hit.family, family);
  }
  return 1 - remaining;
}

function matchCues(
  view: MappedText,
  hits: readonly CueHit[],
): CueMatches | undefined {
  const strongest = hits[0];
  if (strongest === undefined) {
    return undefined;
  }
  return {
    score: combineCues(hits),
    family: strongest.family,
    match: view.toOriginal(strongest.from, strongest.to),
    families: new Set(hits.map((hit) => hit.family)),
  };
}

/** One sentence with its cues, before neighbour support and damping. */
interface ScoredSentence {
  readonly index: number;
  readonly span: TextSpan;
  readonly cues: CueMatches;
  readonly encoding?: string;
}

/**
 * Scores the instructions hidden in base64, hex or binary runs. Runs are
 * found in bounded slices of the whole text, not per sentence, because a
 * wrapped base64 block spans several lines. Each is scored at the
 * sentence where it starts, with a span that covers the whole run.
 */
function scoreEncodedRuns(context: ScanContext): ScoredSentence[] {
  const scored: ScoredSentence[] = [];
  for (const slice of boundedSlices(context.text)) {
    const raw = context.text.slice(slice.start, slice.end);
    for (const run of findEncodedRuns(raw, slice.start)) {
      const decoded = proseView(run.decoded);
      const hidden = matchCues(decoded, findCueHits([decoded], CUES)[0] ?? []);
      const index = sentenceAt(context.sentences, run.start);
      const sentence = context.sentences[index];
      const allowed = context.allowed.covers(run);
      if (hidden !== undefined && sentence !== undefined && !allowed) {
        scored.push({
          index,
          span: {
            start: Math.min(sentence.start, run.start),
            end: Math.max(sentence.end, run.end),
          },
          cues: { ...hidden, match: { start: run.start, end: run.end } },
          encoding: run.encoding,
        });
      }
    }
  }
  return scored;
}

/**
 * Leaves out the cue hits that an allowed phrase covers, so an allowed
 * phrase removes its own cue and the sentence is scored on the others.
 */
function outsideAllowed(
  context: ScanContext,
  view: MappedText,
  hits: readonly CueHit[],
): CueHit[] {
  if (context.allowed.empty) {
    return [...hits];
  }
  return hits.filter(
    (hit) => !context.allowed.covers(view.toOriginal(hit.from, hit.to)),
  );
}

/** Scores every sentence and encoded run, in text order. */
function scoreSentences(context: ScanContext): ScoredSentence[] {
  const views = context.sentences.map((_, index) => context.prose(index));
  const hits = findCueHits(views, CUES);
  const scored: ScoredSentence[] = [];
  context.sentences.forEach((span, index) => {
    const view = views[index];
    const cues =
      view === undefined
        ? undefined
        : matchCues(view, outsideAllowed(context, view, hits[index] ?? []));
    if (cues !== undefined) {
      scored.push({ index, span, cues });
    }
  });
  for (const run of scoreEncodedRuns(context)) {
    scored.push(run);
  }
  // Stable, so a sentence's own cues stay before its encoded runs.
  return scored.sort((left, right) => left.index - right.index);
}

/**
 * Computes the support that the strongest few scored sentences nearby lend
 * to a sentence. A long jailbreak prompt whose sentences each carry a weak
 * cue is thus scored as a whole, while one weak cue in a long benign
 * document stays weak.
 */
function supportOf(
  scored: readonly ScoredSentence[],
  position: number,
): number {
  const self = scored[position];
  if (self === undefined) {
    return 0;
  }
  // Scored sentences are in text order, so the walk stops at the reach.
  const weighted: number[] = [];
  for (const step of [-1, 1]) {
    for (let at = position + step; at >= 0 && at < scored.length; at += step) {
      const other = scored[at];
      if (other === undefined) {
        break;
      }
      const weight = neighbourWeight(self.span, other.span);
      if (weight === 0) {
        break;
      }
      // Overlapping windows of one long sentence can hold the same cue.
      const sameCue =
        other.cues.match.start < self.cues.match.end &&
        self.cues.match.start < other.cues.match.end;
      if (other.index !== self.index && !sameCue) {
        weighted.push(other.cues.score * weight);
      }
    }
  }
  const strongest = weighted
    .sort((left, right) => right - left)
    .slice(0, NEIGHBOUR_COUNT);
  let remaining = 1;
  for (const support of strongest) {
    remaining *= 1 - support;
  }
  return 1 - remaining;
}

function reasonOf(sentence: ScoredSentence, support: number): string {
  const parts = [FAMILY_REASONS[sentence.cues.family]];
  if (sentence.encoding !== undefined) {
    parts.push(`The instruction is hidden as ${sentence.encoding} text.`);
  }
  const others = sentence.cues.families.size - 1;
  if (others > 0) {
    parts.push(
      `It also matches ${others} other injection signal${others === 1 ? "" : "s"}.`,
    );
  }
  if (support >= 0.2) {
    parts.push("Nearby sentences carry further injection signals.");
  }
  return parts.join(" ");
}

/**
 * Finds prompt injection sentence by sentence, in English and 17 other
 * languages, on the prose view that undoes disguises (zero-width
 * characters, look-alike letters, leetspeak, spaced letters), and in
 * base64, hex or binary runs that decode to text. A finding covers the
 * whole sentence; its `match` is the strongest cue.
 */
export const promptInjectionDetector: Detector = {
  name: "prompt-injection",
  detect(context) {
    const scored = scoreSentences(context);
    const found: ThreatFinding[] = [];
    scored.forEach((sentence, position) => {
      if (sentence.cues.score < MIN_SENTENCE_SCORE) {
        return;
      }
      const support = supportOf(scored, position);
      const score = 1 - (1 - sentence.cues.score) * (1 - support);
      const indirect = [...sentence.cues.families].some((family) =>
        INDIRECT_FAMILIES.has(family),
      );
      found.push(
        toFinding(context, {
          type: "PROMPT_INJECTION",
          subtype: indirect ? "indirect" : "direct",
          detector: "prompt-injection",
          span: sentence.span,
          match: sentence.cues.match,
          readQuotes: true,
          score,
          reason: reasonOf(sentence, support),
        }),
      );
    });
    return found;
  },
};
