/** Characters of text on each side of a match that context rules read. */
export const CONTEXT_WINDOW = 40;

/** Returns the lower-case text within `window` characters before `start`. */
export function textBefore(
  text: string,
  start: number,
  window = CONTEXT_WINDOW,
): string {
  return text.slice(Math.max(0, start - window), start).toLowerCase();
}

/** Returns the lower-case text within `window` characters after `end`. */
export function textAfter(
  text: string,
  end: number,
  window = CONTEXT_WINDOW,
): string {
  return text.slice(end, end + window).toLowerCase();
}

/**
 * Tells whether the character before `start` and the one at `end` are not
 * letters or digits, so a match is not part of a longer word or number.
 */
export function isDelimited(text: string, start: number, end: number): boolean {
  const word = /[\p{L}\p{N}_]/u;
  return !word.test(text.charAt(start - 1)) && !word.test(text.charAt(end));
}
