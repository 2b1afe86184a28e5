import type { MappedText } from "../../normalize/mapped-text.js";
import type { Cue, CueFamily } from "./cue.js";

/** One cue match inside one view, with its span in that view. */
export interface CueHit {
  readonly family: CueFamily;
  readonly score: number;
  readonly from: number;
  readonly to: number;
}

/** Families that a preceding negation ("do not ignore ...") turns around. */
const NEGATABLE: ReadonlySet<CueFamily> = new Set([
  "override",
  "document",
  "reveal",
  "secret",
  "persona",
]);

const NEGATION =
  /(?:^|[^\p{L}])(?:not|never|don't|dont|do not|shouldn't|should not|mustn't|must not|won't|cannot|can't|without|avoid|no need to)(?: \p{L}+){0,2} ?$/u;

/** Score factor of a cue that follows a negation or a reported subject. */
const NEGATED_FACTOR = 0.3;

/**
 * A subject other than the reader and a modal verb, as in "the patient
 * should ignore" or "tenants must disregard": a statement about someone
 * else's instructions, not an instruction to the model. Words that name
 * the reader (you, the AI, the model, this) do not count.
 */
const REPORTED_SUBJECT =
  /(?:^|[^\p{L}])(?!(?:you|your|ai|assistant|model|models|chatbot|bot|gpt|llm|agent|reader|readers|this|it|that|we|i|everyone|anyone|all)[^\p{L}])\p{L}{2,} (?:should|must|shall|may|will|would|could|might|needs? to|has to|have to|had to|is to|are to)(?: (?:always|also|now|just|simply|then|still))? ?$/u;

/**
 * Text put between the views of one batch. It is longer than the widest
 * word separator of a template and contains the stops that the "rest of
 * the sentence" classes of templates exclude, so no match spans two views.
 */
const BATCH_SEPARATOR = "\n.!?.\n";

/** Maximum length of a batch of views scanned with one call per cue. */
const BATCH_LENGTH = 65536;

const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u;

/** Views joined into one text, with the start of each view in it. */
interface Batch {
  readonly text: string;
  readonly starts: readonly number[];
  /** Index of the first view of the batch. */
  readonly first: number;
}

function batchesOf(views: readonly MappedText[]): Batch[] {
  const batches: Batch[] = [];
  let parts: string[] = [];
  let starts: number[] = [];
  let length = 0;
  let first = 0;
  views.forEach((view, index) => {
    if (parts.length > 0 && length + view.text.length > BATCH_LENGTH) {
      batches.push({ text: parts.join(BATCH_SEPARATOR), starts, first });
      parts = [];
      starts = [];
      length = 0;
      first = index;
    }
    starts.push(length);
    parts.push(view.text);
    length += view.text.length + BATCH_SEPARATOR.length;
  });
  if (parts.length > 0) {
    batches.push({ text: parts.join(BATCH_SEPARATOR), starts, first });
  }
  return batches;
}

/** Index, within the batch, of the view that contains `offset`. */
function viewAt(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((starts[middle] ?? 0) <= offset) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return low;
}

function scoreOf(
  cue: Cue,
  batch: string,
  index: number,
  viewStart: number,
): number {
  if (!NEGATABLE.has(cue.family)) {
    return cue.score;
  }
  const before = batch.slice(Math.max(viewStart, index - 30), index);
  return NEGATION.test(before) || REPORTED_SUBJECT.test(before)
    ? cue.score * NEGATED_FACTOR
    : cue.score;
}

/**
 * Runs one cue over a batch and adds its first match in each view to
 * `hits`. A bounded cue's match that starts with a letter must start a
 * word; a match that does not is retried one character later.
 */
function scanCue(cue: Cue, batch: Batch, hits: CueHit[][]): void {
  const seen = new Set<number>();
  const pattern = cue.pattern;
  pattern.lastIndex = 0;
  let found = pattern.exec(batch.text);
  while (found !== null) {
    const index = found.index;
    const inWord =
      WORD_CHARACTER.test(batch.text.charAt(index - 1)) &&
      WORD_CHARACTER.test(batch.text.charAt(index));
    if (cue.bounded && inWord) {
      pattern.lastIndex = index + 1;
    } else {
      const view = viewAt(batch.starts, index);
      const start = batch.starts[view] ?? 0;
      const next =
        batch.starts[view + 1] ?? batch.text.length + BATCH_SEPARATOR.length;
      const inSeparator = index >= next - BATCH_SEPARATOR.length;
      if (!seen.has(view) && !inSeparator && found[0].length > 0) {
        seen.add(view);
        hits[batch.first + view]?.push({
          family: cue.family,
          score: scoreOf(cue, batch.text, index, start),
          from: index - start,
          to: index - start + found[0].length,
        });
      }
      pattern.lastIndex = Math.max(index + 1, index + found[0].length);
    }
    found = pattern.exec(batch.text);
  }
}

/**
 * Finds the cues in each view, scanning views in batches so each cue runs
 * once per batch rather than once per sentence. Returns, per view, its
 * hits sorted from the highest score.
 */
export function findCueHits(
  views: readonly MappedText[],
  cues: readonly Cue[],
): CueHit[][] {
  const hits: CueHit[][] = views.map(() => []);
  for (const batch of batchesOf(views)) {
    for (const cue of cues) {
      if (cue.gate === undefined || cue.gate.test(batch.text)) {
        scanCue(cue, batch, hits);
      }
    }
  }
  for (const list of hits) {
    list.sort((left, right) => right.score - left.score);
  }
  return hits;
}
