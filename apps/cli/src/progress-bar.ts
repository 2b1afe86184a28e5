import type { ProgressEvent } from "@retrieval-free/core-engine";

/** The part of a terminal stream that {@link ProgressBar} draws on. */
export interface ProgressStream {
  write(text: string): unknown;
}

const BAR_WIDTH = 24;
// Wide enough for the longest stage name, "mega-tokens".
const LABEL_WIDTH = 11;
const CLEAR_LINE = "\r\u001b[K";

/** Renders one progress line, such as `encode      [======    ]  25%`. */
export function renderProgress(event: ProgressEvent): string {
  const fraction =
    event.total > 0
      ? Math.min(1, Math.max(0, event.completed / event.total))
      : 1;
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = "=".repeat(filled) + " ".repeat(BAR_WIDTH - filled);
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `rfcc: ${event.stage.padEnd(LABEL_WIDTH)} [${bar}] ${percent}`;
}

/**
 * A one-line progress display for a terminal: each update redraws the line
 * in place with a carriage return, and {@link ProgressBar.clear} erases it.
 */
export class ProgressBar {
  private readonly stream: ProgressStream;
  private shown: string | undefined;

  constructor(stream: ProgressStream) {
    this.stream = stream;
  }

  /** Redraws the line for `event`, unless it would look the same. */
  update(event: ProgressEvent): void {
    const line = renderProgress(event);
    if (line !== this.shown) {
      this.stream.write(`${CLEAR_LINE}${line}`);
      this.shown = line;
    }
  }

  /** Erases the line, if one is shown, and leaves the cursor at its start. */
  clear(): void {
    if (this.shown !== undefined) {
      this.stream.write(CLEAR_LINE);
      this.shown = undefined;
    }
  }
}
