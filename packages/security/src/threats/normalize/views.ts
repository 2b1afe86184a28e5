import { decodeEscapes } from "./decode.js";
import {
  decodeLeetspeak,
  joinSpacedLetters,
  mapHomoglyphs,
} from "./disguise.js";
import { unwrapVersionedComments } from "./code-syntax.js";
import { MappedText } from "./mapped-text.js";
import { foldText, stripInvisible } from "./unicode.js";

/**
 * Builds the view that prose rules read. Invisible characters are removed,
 * and HTML character references and percent-encoding are decoded. The
 * text is then NFKC-folded and lower-cased. Accents of Latin, Greek,
 * Arabic and Hebrew letters are dropped, look-alike letters in
 * mixed-script words are mapped to Latin, leetspeak is read as letters,
 * and letters spelled out with separators are joined. `offset` is the
 * position of `text` in the scanned input.
 */
export function proseView(text: string, offset = 0): MappedText {
  let view = stripInvisible(MappedText.fromOriginal(text, offset));
  view = decodeEscapes(view, { entities: true, percent: true });
  view = foldText(view, "prose");
  view = mapHomoglyphs(view);
  view = decodeLeetspeak(view);
  return joinSpacedLetters(view);
}

/**
 * Builds the view that code rules read: invisible and control characters
 * removed, percent-encoding, HTML character references and JavaScript
 * escapes decoded (up to three times, for double and triple encoding),
 * MySQL versioned comments unwrapped, NFKC-folded and lower-cased.
 * Look-alike letters and leetspeak are kept, because an interpreter would
 * not read them as the ASCII keyword either.
 */
export function codeView(text: string, offset = 0): MappedText {
  let view = stripInvisible(MappedText.fromOriginal(text, offset));
  view = decodeEscapes(view, {
    percent: true,
    entities: true,
    javascript: true,
  });
  return foldText(unwrapVersionedComments(view), "code");
}
