import type { Corpus } from "./segment/index.js";
import { isDenseScriptCode } from "./segment/window.js";
import type { Span } from "./types.js";

/** Settings of {@link assemble}. */
export interface AssembleSettings {
  /** Literal gap marker, or undefined for the automatic marker. */
  readonly separator: string | undefined;
  readonly documentSeparator: string;
}

/** The compressed text of one document. */
export interface AssembledDocument {
  readonly document: number;
  readonly text: string;
  readonly spans: readonly Span[];
}

/** The output of {@link assemble}. */
export interface Assembled {
  readonly text: string;
  readonly spans: readonly Span[];
  readonly documents: readonly AssembledDocument[];
}

const NO_SHORTENED_UNITS: ReadonlyMap<number, number> = new Map();

// Text between two kept units that is only white space or quote markers
// belongs to neither unit, yet keeping it loses nothing, so the two units
// form one span.
const JOINABLE_GAP = /^[\s>]*$/u;

/** The gap marker used when the caller sets none: an ellipsis spaced to fit. */
export function automaticSeparator(
  text: string,
  gapStart: number,
  gapEnd: number,
): string {
  const gap = text.slice(gapStart, gapEnd);
  if (/\n[ \t\r]*\n/.test(gap)) {
    return "\n\n…\n\n";
  }
  if (gap.includes("\n")) {
    return "\n…\n";
  }
  const before = text.charCodeAt(gapStart - 1);
  const after = text.charCodeAt(gapEnd);
  if (isDenseScriptCode(before) || isDenseScriptCode(after)) {
    return "…";
  }
  return " … ";
}

/**
 * Builds the compressed text from the selected units: kept units in source
 * order, consecutive ones merged into one span with the source text between
 * them, a gap marker where text was left out, and the document separator
 * between documents. A unit listed in `shortened` ends at the offset given
 * there. Every span's text is a slice of its document.
 */
export function assemble(
  corpus: Corpus,
  selected: Uint8Array,
  settings: AssembleSettings,
  shortened: ReadonlyMap<number, number> = NO_SHORTENED_UNITS,
): Assembled {
  const documents: AssembledDocument[] = [];
  for (let index = 0; index < corpus.documents.length; index++) {
    const assembled = assembleDocument(
      corpus,
      index,
      selected,
      settings,
      shortened,
    );
    if (assembled.spans.length > 0) {
      documents.push(assembled);
    }
  }
  return {
    text: documents
      .map((document) => document.text)
      .join(settings.documentSeparator),
    spans: documents.flatMap((document) => document.spans),
    documents,
  };
}

function assembleDocument(
  corpus: Corpus,
  documentIndex: number,
  selected: Uint8Array,
  settings: AssembleSettings,
  shortened: ReadonlyMap<number, number>,
): AssembledDocument {
  const document = corpus.documents[documentIndex];
  if (document === undefined) {
    return { document: documentIndex, text: "", spans: [] };
  }
  const { text, id } = document;
  const spans: Span[] = [];
  let runStart = -1;
  let runEnd = -1;
  const closeRun = (): void => {
    if (runStart >= 0) {
      spans.push({
        documentId: id,
        start: runStart,
        end: runEnd,
        text: text.slice(runStart, runEnd),
      });
    }
  };
  for (let unit = document.firstUnit; unit < document.endUnit; unit++) {
    if (selected[unit] !== 1) {
      continue;
    }
    const entry = corpus.units[unit];
    if (entry === undefined) {
      continue;
    }
    const end = shortened.get(unit) ?? entry.end;
    if (
      runStart >= 0 &&
      selected[unit - 1] === 1 &&
      JOINABLE_GAP.test(text.slice(runEnd, entry.start))
    ) {
      runEnd = end;
      continue;
    }
    closeRun();
    runStart = entry.start;
    runEnd = end;
  }
  closeRun();
  const parts: string[] = [];
  spans.forEach((span, index) => {
    if (index > 0) {
      const previous = spans[index - 1] as Span;
      parts.push(
        settings.separator ??
          automaticSeparator(text, previous.end, span.start),
      );
    }
    parts.push(span.text);
  });
  return { document: documentIndex, text: parts.join(""), spans };
}
