import type { DocumentFormat } from "../types.js";
import { CorpusBuilder } from "./corpus.js";
import type { Corpus } from "./corpus.js";
import { segmentMarkdown } from "./markdown.js";
import { segmentPlainText } from "./plain.js";

export type {
  Block,
  BlockKind,
  Corpus,
  CorpusDocument,
  Section,
  Unit,
  UnitKind,
} from "./corpus.js";

/** A document ready for segmentation, its format resolved. */
export interface SegmentableDocument {
  readonly id: string;
  readonly text: string;
  readonly format: DocumentFormat;
}

/**
 * Cuts documents into units (sentences, headings, code blocks, table rows,
 * windows of over-long sentences), blocks and sections. Offsets index the
 * documents' own strings. `onDocument` is called after each document.
 */
export function segmentDocuments(
  documents: readonly SegmentableDocument[],
  onDocument?: (index: number) => void,
): Corpus {
  const builder = new CorpusBuilder();
  documents.forEach((document, index) => {
    builder.beginDocument();
    if (document.format === "markdown") {
      segmentMarkdown(builder, document.text);
    } else {
      segmentPlainText(builder, document.text);
    }
    builder.endDocument(document.id, document.text, document.format);
    onDocument?.(index);
  });
  return builder.build();
}
