import type { DestinationStream } from "pino";

/** A pino destination that keeps every line in memory. */
export interface MemoryDestination extends DestinationStream {
  /** Every record written so far, parsed from JSON. */
  records(): Record<string, unknown>[];
}

/** Creates a {@link MemoryDestination}. */
export function createMemoryDestination(): MemoryDestination {
  const lines: string[] = [];
  return {
    write(chunk: string) {
      lines.push(...chunk.split("\n").filter((line) => line !== ""));
    },
    records: () =>
      lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
