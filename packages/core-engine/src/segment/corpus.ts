import type { DocumentFormat } from "../types.js";

/** What a selectable unit of text is. */
export type UnitKind =
  "sentence" | "heading" | "code" | "table-header" | "table-row" | "other";

/** What a block (a paragraph-level element) is. */
export type BlockKind =
  "paragraph" | "heading" | "code" | "table" | "list" | "quote" | "other";

/** The smallest piece of text that selection keeps or drops whole. */
export interface Unit {
  readonly document: number;
  readonly start: number;
  readonly end: number;
  readonly kind: UnitKind;
  readonly block: number;
  readonly section: number;
  /** Index of the unit within its block; 0 for the lead unit. */
  readonly positionInBlock: number;
  /** Index of a unit that must be kept with this one, or -1. */
  readonly requires: number;
}

/** A paragraph, heading, code block, table, list item or quote. */
export interface Block {
  readonly document: number;
  readonly kind: BlockKind;
  readonly start: number;
  readonly end: number;
  readonly firstUnit: number;
  readonly endUnit: number;
  readonly section: number;
}

/** The text from one heading to the next, or a document without headings. */
export interface Section {
  readonly document: number;
  /** Heading depth: 1 for a title or book, larger for deeper levels. */
  readonly level: number;
  /** Index of the heading unit, or -1 when the section has none. */
  readonly headingUnit: number;
  readonly firstBlock: number;
  readonly endBlock: number;
  readonly firstUnit: number;
  readonly endUnit: number;
}

/** One input document and the index ranges of its pieces. */
export interface CorpusDocument {
  readonly id: string;
  readonly text: string;
  readonly format: DocumentFormat;
  readonly firstUnit: number;
  readonly endUnit: number;
  readonly firstBlock: number;
  readonly endBlock: number;
  readonly firstSection: number;
  readonly endSection: number;
}

/** Every document cut into units, blocks and sections, indexed globally. */
export interface Corpus {
  readonly documents: readonly CorpusDocument[];
  readonly units: readonly Unit[];
  readonly blocks: readonly Block[];
  readonly sections: readonly Section[];
}

interface MutableBlock {
  document: number;
  kind: BlockKind;
  start: number;
  end: number;
  firstUnit: number;
  endUnit: number;
  section: number;
}

interface MutableSection {
  document: number;
  level: number;
  headingUnit: number;
  firstBlock: number;
  endBlock: number;
  firstUnit: number;
  endUnit: number;
}

/** Collects units, blocks and sections while documents are segmented. */
export class CorpusBuilder {
  private readonly documents: CorpusDocument[] = [];
  private readonly units: Unit[] = [];
  private readonly blocks: MutableBlock[] = [];
  private readonly sections: MutableSection[] = [];
  private document = -1;
  private documentStart = { unit: 0, block: 0, section: 0 };
  private block: MutableBlock | undefined;
  private pendingBlock:
    { kind: BlockKind; start: number; end: number } | undefined;

  /** Starts a document; its first section has no heading. */
  beginDocument(): void {
    this.document = this.documents.length;
    this.documentStart = {
      unit: this.units.length,
      block: this.blocks.length,
      section: this.sections.length,
    };
    this.block = undefined;
    this.pendingBlock = undefined;
    this.openSection(1, -1);
  }

  /** Starts a section at a heading of the given depth. */
  beginSection(level: number): void {
    this.block = undefined;
    this.pendingBlock = undefined;
    this.openSection(level, this.units.length);
  }

  private openSection(level: number, headingUnit: number): void {
    const current = this.sections.at(-1);
    if (
      current !== undefined &&
      current.document === this.document &&
      current.firstUnit === this.units.length &&
      current.headingUnit === -1
    ) {
      current.level = level;
      current.headingUnit = headingUnit;
      return;
    }
    this.sections.push({
      document: this.document,
      level,
      headingUnit,
      firstBlock: this.blocks.length,
      endBlock: this.blocks.length,
      firstUnit: this.units.length,
      endUnit: this.units.length,
    });
  }

  /**
   * Starts a block; units added next belong to it. The block is recorded
   * when its first unit arrives, so elements without text leave no trace.
   */
  beginBlock(kind: BlockKind, start: number, end: number): void {
    this.block = undefined;
    this.pendingBlock = { kind, start, end };
  }

  private openBlock(): MutableBlock {
    const pending = this.pendingBlock;
    if (pending === undefined) {
      throw new Error("A unit was added outside a block.");
    }
    const section = this.sections.length - 1;
    const block: MutableBlock = {
      document: this.document,
      kind: pending.kind,
      start: pending.start,
      end: pending.end,
      firstUnit: this.units.length,
      endUnit: this.units.length,
      section,
    };
    this.blocks.push(block);
    const current = this.sections[section];
    if (current !== undefined) {
      current.endBlock = this.blocks.length;
    }
    this.block = block;
    this.pendingBlock = undefined;
    return block;
  }

  /** Adds a unit to the current block and returns its index. */
  addUnit(kind: UnitKind, start: number, end: number, requires = -1): number {
    const block = this.block ?? this.openBlock();
    const index = this.units.length;
    this.units.push({
      document: this.document,
      start,
      end,
      kind,
      block: this.blocks.length - 1,
      section: block.section,
      positionInBlock: index - block.firstUnit,
      requires,
    });
    block.endUnit = index + 1;
    const section = this.sections[block.section];
    if (section !== undefined) {
      section.endUnit = index + 1;
    }
    return index;
  }

  /** Ends the current document. */
  endDocument(id: string, text: string, format: DocumentFormat): void {
    this.block = undefined;
    this.pendingBlock = undefined;
    this.documents.push({
      id,
      text,
      format,
      firstUnit: this.documentStart.unit,
      endUnit: this.units.length,
      firstBlock: this.documentStart.block,
      endBlock: this.blocks.length,
      firstSection: this.documentStart.section,
      endSection: this.sections.length,
    });
  }

  /** Returns the finished corpus. */
  build(): Corpus {
    return {
      documents: this.documents,
      units: this.units,
      blocks: this.blocks,
      sections: this.sections,
    };
  }
}
