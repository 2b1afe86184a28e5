import { MappedTextBuilder } from "./mapped-text.js";
import type { MappedText } from "./mapped-text.js";

/**
 * Named HTML character references that payloads use to hide markup and
 * URL schemes. Only `amp`, `lt`, `gt`, `quot` and `nbsp` may omit the
 * semicolon, as browsers accept them without one.
 * NOTE: the full HTML table has over 2,000 names; a name missing here is
 * left as written.
 */
const NAMED_REFERENCES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  nbsp: " ",
  apos: "'",
  colon: ":",
  tab: "\t",
  newline: "\n",
  sol: "/",
  bsol: "\\",
  lpar: "(",
  rpar: ")",
  semi: ";",
  comma: ",",
  period: ".",
  excl: "!",
  equals: "=",
  plus: "+",
  num: "#",
  percnt: "%",
  grave: "`",
  lsqb: "[",
  rsqb: "]",
  lbrack: "[",
  rbrack: "]",
  lcub: "{",
  rcub: "}",
  lbrace: "{",
  rbrace: "}",
  verbar: "|",
  vert: "|",
  ast: "*",
  dollar: "$",
  quest: "?",
  commat: "@",
  lowbar: "_",
  hyphen: "-",
};

const SEMICOLON_OPTIONAL = new Set(["amp", "lt", "gt", "quot", "nbsp"]);

/** Escape notations that {@link decodeEscapes} reads. */
export interface EscapeKinds {
  /** `%3C`, `%u003C` and UTF-8 byte runs such as `%E2%80%A8`. */
  readonly percent?: boolean;
  /** `&lt;`, `&#60;` and `&#x3C;`, with or without the semicolon. */
  readonly entities?: boolean;
  /** JavaScript `\x3C`, `\u003C`, `\u{3C}` and the line feed `\n`. */
  readonly javascript?: boolean;
  /** UTF-7 shifted runs such as `+ADw-`. */
  readonly utf7?: boolean;
}

/**
 * Every escape notation, in a fixed group order; {@link decodeMatch} skips
 * the kinds that a call did not choose.
 * NOTE: a UTF-7 run is read up to 128 base64 characters (48 encoded
 * characters). A longer run is left as written, because `+` starts a new
 * attempt inside a run and an unbounded run would be rescanned from each.
 */
const ESCAPE = new RegExp(
  [
    "%u([0-9a-f]{4})",
    "%([0-9a-f]{2})",
    "&#x([0-9a-f]{1,8});?",
    "&#(\\d{1,9});?",
    "&([a-z]{2,8})(;?)",
    "\\\\u\\{([0-9a-f]{1,6})\\}",
    "\\\\u([0-9a-f]{4})",
    "\\\\x([0-9a-f]{2})",
    "\\+([a-z0-9+/]{3,128})-",
    "\\\\(n)",
  ].join("|"),
  "giu",
);

function fromCodePoint(value: number): string {
  if (!Number.isFinite(value) || value > 0x10ffff) {
    return "\uFFFD";
  }
  return value === 0 ? "\uFFFD" : String.fromCodePoint(value);
}

function decodeUtf7(base64: string): string | undefined {
  const bytes = Buffer.from(base64, "base64");
  if (bytes.length < 2) {
    return undefined;
  }
  let decoded = "";
  for (let index = 0; index + 1 < bytes.length; index += 2) {
    decoded += String.fromCharCode(
      ((bytes[index] ?? 0) << 8) | (bytes[index + 1] ?? 0),
    );
  }
  // Plain text such as "+abc-" decodes to unprintable units; keep it.
  return /^[\u0020-\u007E\u00A0-\u024F]+$/u.test(decoded) ? decoded : undefined;
}

/**
 * Returns the text that one escape stands for, a byte value for a
 * percent-encoded byte of 0x80 or more, or undefined to keep it as
 * written.
 */
function decodeMatch(
  match: RegExpExecArray,
  kinds: EscapeKinds,
): string | number | undefined {
  const [, percentU, percent, hexRef, decimalRef, name, semicolon] = match;
  const [jsBraced, jsU, jsX, utf7, jsNewline] = match.slice(7);
  if (percentU !== undefined || percent !== undefined) {
    return kinds.percent === true
      ? decodePercent(percentU, percent)
      : undefined;
  }
  if (hexRef !== undefined || decimalRef !== undefined || name !== undefined) {
    return kinds.entities === true
      ? decodeReference(hexRef, decimalRef, name, semicolon)
      : undefined;
  }
  if (jsBraced !== undefined || jsU !== undefined || jsX !== undefined) {
    return kinds.javascript === true
      ? decodeJavaScript(jsBraced, jsU, jsX)
      : undefined;
  }
  if (jsNewline !== undefined) {
    return kinds.javascript === true ? "\n" : undefined;
  }
  return utf7 !== undefined && kinds.utf7 === true
    ? decodeUtf7(utf7)
    : undefined;
}

function decodePercent(
  percentU: string | undefined,
  percent: string | undefined,
): string | number {
  if (percentU !== undefined) {
    return String.fromCharCode(parseInt(percentU, 16));
  }
  const value = parseInt(percent ?? "", 16);
  return value < 0x80 ? String.fromCharCode(value) : value;
}

function decodeReference(
  hexRef: string | undefined,
  decimalRef: string | undefined,
  name: string | undefined,
  semicolon: string | undefined,
): string | undefined {
  if (hexRef !== undefined) {
    return fromCodePoint(parseInt(hexRef, 16));
  }
  if (decimalRef !== undefined) {
    return fromCodePoint(Number(decimalRef));
  }
  const key = (name ?? "").toLowerCase();
  const value = NAMED_REFERENCES[key];
  return value !== undefined &&
    (semicolon === ";" || SEMICOLON_OPTIONAL.has(key))
    ? value
    : undefined;
}

function decodeJavaScript(
  jsBraced: string | undefined,
  jsU: string | undefined,
  jsX: string | undefined,
): string {
  if (jsBraced !== undefined) {
    return fromCodePoint(parseInt(jsBraced, 16));
  }
  return String.fromCharCode(parseInt(jsU ?? jsX ?? "", 16));
}

/** Percent-encoded bytes of 0x80 or more waiting to be read as UTF-8. */
interface PendingBytes {
  bytes: number[];
  from: number;
  to: number;
}

function flushBytes(
  builder: MappedTextBuilder,
  input: MappedText,
  pending: PendingBytes,
): void {
  if (pending.bytes.length > 0) {
    const decoded = new TextDecoder().decode(Uint8Array.from(pending.bytes));
    builder.replace(input, pending.from, pending.to, decoded);
    pending.bytes = [];
  }
}

/**
 * Decodes one pass of the chosen escape notations. Each decoded character
 * maps to the whole escape it came from.
 */
function decodeOnce(input: MappedText, kinds: EscapeKinds): MappedText {
  if (!/[%&\\+]/u.test(input.text)) {
    return input;
  }
  const builder = new MappedTextBuilder();
  const pending: PendingBytes = { bytes: [], from: 0, to: 0 };
  let copied = 0;
  for (const match of input.text.matchAll(ESCAPE)) {
    const decoded = decodeMatch(match, kinds);
    if (decoded === undefined) {
      continue;
    }
    const end = match.index + match[0].length;
    if (pending.bytes.length > 0 && pending.to !== match.index) {
      flushBytes(builder, input, pending);
    }
    if (pending.bytes.length === 0) {
      builder.copy(input, copied, match.index);
    }
    if (typeof decoded === "number") {
      if (pending.bytes.length === 0) {
        pending.from = match.index;
      }
      pending.bytes.push(decoded);
      pending.to = end;
    } else {
      flushBytes(builder, input, pending);
      builder.replace(input, match.index, end, decoded);
    }
    copied = end;
  }
  flushBytes(builder, input, pending);
  builder.copy(input, copied, input.text.length);
  return builder.build();
}

/** Most passes of {@link decodeEscapes}: triple encoding is read whole. */
const MAX_DECODE_PASSES = 3;

/**
 * Decodes the chosen escape notations, again while a pass changed the
 * text and escapes remain, up to {@link MAX_DECODE_PASSES} passes, so
 * double and triple encoding such as `%25253C` is read as `<`.
 */
export function decodeEscapes(
  input: MappedText,
  kinds: EscapeKinds,
): MappedText {
  let view = input;
  for (let pass = 0; pass < MAX_DECODE_PASSES; pass++) {
    const next = decodeOnce(view, kinds);
    if (next.text === view.text) {
      return next;
    }
    view = next;
    if (!/[%&\\+]/u.test(view.text)) {
      break;
    }
  }
  return view;
}

/** Tells whether a text contains any escape that {@link decodeEscapes} reads. */
export function hasEscapes(text: string, kinds: EscapeKinds): boolean {
  for (const match of text.matchAll(ESCAPE)) {
    if (decodeMatch(match, kinds) !== undefined) {
      return true;
    }
  }
  return false;
}
