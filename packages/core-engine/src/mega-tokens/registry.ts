import type { MegaToken } from "./types.js";

// Each token remembers its document's text without carrying it as a field,
// so tokens stay small when logged or serialized, and `expand(token)`
// still works on its own.
const sourceTexts = new WeakMap<MegaToken, string>();

/** Records the document text that a token's spans index into. */
export function registerSource(token: MegaToken, text: string): void {
  sourceTexts.set(token, text);
}

/** Returns the document text of a token built or loaded in this process. */
export function sourceOf(token: MegaToken): string | undefined {
  return sourceTexts.get(token);
}
