/**
 * A run of text tokens that the model reads in one input row. Windows
 * overlap so every token is read with context on both sides, and each
 * token takes its prediction from the one window that owns it.
 */
export interface TokenWindow {
  /** Index of the window's first text token. */
  readonly start: number;
  /** Index after the window's last text token. */
  readonly end: number;
  /** First token whose prediction comes from this window. */
  readonly ownStart: number;
  /** Token after the last one whose prediction comes from this window. */
  readonly ownEnd: number;
}

/**
 * Returns the index of the first piece of the word that contains piece
 * `index`, or `index` itself when that word starts at or before `floor`.
 */
function wordStartAfter(
  pieceWords: readonly number[],
  index: number,
  floor: number,
): number {
  let start = index;
  while (start > floor + 1 && pieceWords[start - 1] === pieceWords[index]) {
    start--;
  }
  return pieceWords[start - 1] === pieceWords[index] ? index : start;
}

/**
 * Cuts a text's tokens into windows of at most `room` tokens, each
 * sharing about `overlap` tokens with the next. A window ends before a
 * word that would not fit whole, unless that word starts within the
 * window's first `overlap` tokens. Two windows split the tokens they
 * share at the halfway point, so a token's prediction comes from the
 * window where it has the most context.
 * @param pieceWords Word index of each token.
 * @param overlap Less than `room`.
 */
export function planWindows(
  pieceWords: readonly number[],
  room: number,
  overlap: number,
): TokenWindow[] {
  const count = pieceWords.length;
  const ranges: { start: number; end: number }[] = [];
  let start = 0;
  let previousEnd = 0;
  while (start < count) {
    let end = Math.min(count, start + room);
    if (end < count) {
      // Ends keep increasing, so the halfway points between windows do.
      end = wordStartAfter(
        pieceWords,
        end,
        Math.max(start + overlap, previousEnd),
      );
    }
    ranges.push({ start, end });
    if (end >= count) {
      break;
    }
    previousEnd = end;
    const next = end - overlap;
    start = next > start ? wordStartAfter(pieceWords, next, start) : end;
  }
  return ranges.map((range, index) => {
    const previous = ranges[index - 1];
    const following = ranges[index + 1];
    return {
      ...range,
      ownStart:
        previous === undefined
          ? range.start
          : Math.floor((range.start + previous.end) / 2),
      ownEnd:
        following === undefined
          ? range.end
          : Math.floor((following.start + range.end) / 2),
    };
  });
}
