import { GENESIS_HASH, hashEntry } from "./canonical.js";
import type { AuditEntry, AuditProblem, StoredEntryRecord } from "./types.js";

/** The first record where the chain breaks, with what was expected there. */
export interface ChainBreak {
  readonly record: StoredEntryRecord;
  readonly expectedIndex: number;
  readonly expectedPrevHash: string;
}

/** Maximum number of problems listed after the first break in the chain. */
export const MAX_LATER_BREAKS = 100;

/**
 * Walks stored records in log order and finds the first one that does not
 * continue the chain. After that break it checks each record on its own
 * and lists one that is not a valid entry or does not match its own hash,
 * because such a change does not follow from the break. Records that are
 * only out of place, as after a deletion, are not listed again. The walk
 * also counts records and collects the hashes stored at checkpoint indexes.
 */
export class ChainWalk {
  /** Number of records read. */
  records = 0;
  /** Highest index among readable entries, or -1. */
  maxIndex = -1;
  /** The first break, once found. */
  break: ChainBreak | undefined;
  /** Records after the first break that fail on their own, in log order. */
  readonly laterBreaks: ChainBreak[] = [];
  /** Stored hash of the first entry read at each index in `watched`. */
  readonly hashesAt = new Map<number, string>();

  private expectedIndex = 0;
  private expectedPrevHash = GENESIS_HASH;
  /** The last readable entry, which locates an invalid record after it. */
  private previous: AuditEntry | undefined;

  constructor(private readonly watched: ReadonlySet<number>) {}

  /** Reads the next record. */
  add(record: StoredEntryRecord): void {
    this.records += 1;
    const entry = record.entry;
    if (entry !== undefined) {
      this.maxIndex = Math.max(this.maxIndex, entry.index);
      if (this.watched.has(entry.index) && !this.hashesAt.has(entry.index)) {
        this.hashesAt.set(entry.index, entry.hash);
      }
    }
    if (this.break !== undefined) {
      this.checkAfterBreak(record);
    } else if (entry !== undefined && this.continuesChain(entry)) {
      this.expectedIndex = entry.index + 1;
      this.expectedPrevHash = entry.hash;
    } else {
      this.break = {
        record,
        expectedIndex: this.expectedIndex,
        expectedPrevHash: this.expectedPrevHash,
      };
    }
    this.previous = entry ?? this.previous;
  }

  private checkAfterBreak(record: StoredEntryRecord): void {
    const entry = record.entry;
    if (entry !== undefined && hashEntry(entry) === entry.hash) {
      return;
    }
    if (this.laterBreaks.length < MAX_LATER_BREAKS) {
      this.laterBreaks.push({
        record,
        expectedIndex: (this.previous?.index ?? -1) + 1,
        expectedPrevHash: this.previous?.hash ?? GENESIS_HASH,
      });
    }
  }

  private continuesChain(entry: AuditEntry): boolean {
    return (
      entry.index === this.expectedIndex &&
      entry.prevHash === this.expectedPrevHash &&
      hashEntry(entry) === entry.hash
    );
  }
}

/** Entries that share a hash link with the entry at a break. */
export interface BreakNeighbors {
  /** Entries whose stored `hash` equals the broken entry's `prevHash`. */
  readonly predecessors: readonly AuditEntry[];
  /** Entries whose `prevHash` equals the broken entry's `hash`. */
  readonly successors: readonly AuditEntry[];
}

/**
 * Tells why the chain breaks. An entry whose content still matches its
 * hash under some index was moved or is preceded by a gap. An entry that
 * matches under no index was edited.
 */
export function classifyBreak(
  chainBreak: ChainBreak,
  neighbors: BreakNeighbors,
): AuditProblem {
  const { record, expectedIndex: index } = chainBreak;
  const where = record.location === undefined ? "" : ` (${record.location})`;
  if (record.entry === undefined) {
    return record.torn
      ? problem(
          index,
          "truncated",
          `The record for index ${index}${where} is incomplete: ${record.malformed}. A write was interrupted or the file was cut.`,
        )
      : problem(
          index,
          "modified",
          `The record for index ${index}${where} is not a valid entry: ${record.malformed}.`,
        );
  }
  return classifyEntry(record.entry, chainBreak, neighbors, where);
}

function classifyEntry(
  entry: AuditEntry,
  { expectedIndex: index, expectedPrevHash }: ChainBreak,
  neighbors: BreakNeighbors,
  where: string,
): AuditProblem {
  const original = originalIndex(entry, neighbors);
  if (original === undefined) {
    return problem(
      index,
      "modified",
      `The entry at index ${index}${where} does not match its hash: a field was changed after it was written.`,
    );
  }
  if (entry.prevHash === expectedPrevHash) {
    return problem(
      index,
      "modified",
      `The entry at index ${index}${where} has its index field changed to ${entry.index}.`,
    );
  }
  if (neighbors.predecessors.length > 0 || original < index) {
    return problem(
      index,
      "reordered",
      `The place of index ${index}${where} contains the entry written as index ${original}, so entries were moved out of order.`,
    );
  }
  if (original > index) {
    const last = original - 1;
    const range =
      last === index ? `entry ${index} is` : `entries ${index} to ${last} are`;
    return problem(
      index,
      "deleted",
      `The ${range} missing: the entry after them points to a hash that no stored entry has.`,
    );
  }
  return problem(
    Math.max(index - 1, 0),
    "modified",
    index === 0
      ? `The entry at index 0${where} does not start the chain: its prevHash is not 64 zeros.`
      : `The entry at index ${index - 1} was rewritten: the entry at index ${index}${where} points to a hash that no stored entry has.`,
  );
}

/**
 * Finds the index under which the entry's content matches its hash,
 * trying its own index and the indexes its chain neighbors imply.
 */
function originalIndex(
  entry: AuditEntry,
  neighbors: BreakNeighbors,
): number | undefined {
  const candidates = [
    entry.index,
    ...neighbors.predecessors.map((predecessor) => predecessor.index + 1),
    ...neighbors.successors.map((successor) => successor.index - 1),
  ];
  return candidates.find(
    (candidate) =>
      candidate >= 0 &&
      hashEntry({ ...entry, index: candidate }) === entry.hash,
  );
}

function problem(
  index: number,
  kind: AuditProblem["kind"],
  message: string,
): AuditProblem {
  return { index, kind, message };
}
