/**
 * Groups of prompt-injection cues; each has one reason sentence, and the
 * `addressed`, `manipulation`, `exfiltration` and `document` groups mark
 * an indirect injection.
 */
export type CueFamily =
  | "override"
  | "document"
  | "persona"
  | "mode"
  | "jailbreak"
  | "reveal"
  | "secret"
  | "user-data"
  | "addressed"
  | "manipulation"
  | "exfiltration";

/** A cue as written in a lexicon, before compilation. */
export interface CueDefinition {
  readonly family: CueFamily;
  /** Score from 0 to 1 of a sentence with only this cue. */
  readonly score: number;
  /** Template in the syntax of {@link compileTemplate}. */
  readonly template: string;
  /**
   * Whether the match must start and end at a word boundary. Languages
   * written without spaces, such as Chinese, set it to false.
   * @default true
   */
  readonly bounded?: boolean;
}

/** A compiled cue. */
export interface Cue {
  readonly family: CueFamily;
  readonly score: number;
  /**
   * The template as a global, multi-line pattern. It has no leading
   * word-boundary test, which is slow on long batches; the scan checks
   * the boundary before a match when `bounded` is true.
   */
  readonly pattern: RegExp;
  readonly bounded: boolean;
  /**
   * Characters of a template in a non-Latin script, of which every match
   * contains at least one. A batch of text without any of them skips the
   * cue. Undefined for templates in Latin script.
   */
  readonly gate: RegExp | undefined;
}

/** Families whose match means the text addresses an AI inside a document. */
export const INDIRECT_FAMILIES: ReadonlySet<CueFamily> = new Set([
  "document",
  "addressed",
  "manipulation",
  "exfiltration",
]);

/** The reason sentence of each family. */
export const FAMILY_REASONS: Readonly<Record<CueFamily, string>> = {
  override:
    "The sentence tells the model to ignore or forget its earlier instructions.",
  document:
    "The sentence tells the model to ignore the document it is processing and output something else.",
  persona:
    "The sentence gives the model a new identity or role meant to replace its instructions.",
  mode: "The sentence claims a privileged mode, such as developer, system or god mode.",
  jailbreak:
    "The sentence uses jailbreak wording that asks the model to drop its rules, filters or ethics.",
  reveal:
    "The sentence asks the model to reveal its system prompt or hidden instructions.",
  secret: "The sentence asks the model for a password, key or other secret.",
  "user-data": "The sentence asks the model for another user's personal data.",
  addressed:
    "The sentence addresses an AI that processes this document, which a document's author should not do.",
  manipulation:
    "The sentence tells an AI reader how to rate, rank or recommend, to manipulate its output.",
  exfiltration:
    "The sentence tells an AI reader to send data, links or messages to someone.",
};

/** Separator between words in a template: up to three non-letters, or none. */
const SEPARATOR = String.raw`[^\p{L}\p{M}\p{N}]{0,3}`;

/**
 * Compiles a cue template into a regular expression for the prose view.
 * A template is a regular expression with two changes. A space stands for
 * a word separator that may also be empty, so words joined from spaced
 * letters still match. Each `i` or `l` outside a character class matches
 * either letter, because the prose view reads leetspeak "1" as "i". A
 * bounded pattern that ends in a letter must not be followed by one, and
 * the caller checks that one starting with a letter starts a word.
 */
export function compileTemplate(template: string, bounded = true): RegExp {
  let source = "";
  let index = 0;
  while (index < template.length) {
    const character = template.charAt(index);
    if (character === "\\") {
      const braced = /^\\[pP]\{[^}]+\}/u.exec(template.slice(index));
      const escape = braced?.[0] ?? template.slice(index, index + 2);
      source += escape;
      index += escape.length;
    } else if (character === "[") {
      const close = template.indexOf("]", index + 1);
      source += template.slice(index, close + 1);
      index = close + 1;
    } else if (character === " ") {
      source += SEPARATOR;
      index++;
    } else {
      source += character === "i" || character === "l" ? "[il]" : character;
      index++;
    }
  }
  // A match that ends in a letter must end a word. One that ends in a
  // sign, such as the ">" of "<|im_start|>", may touch the next word.
  const end = String.raw`(?:(?<![\p{L}\p{M}\p{N}])|(?![\p{L}\p{M}\p{N}]))`;
  return new RegExp(bounded ? `(?:${source})${end}` : source, "gmu");
}

/** Characters outside Latin script in a template, as a class, if any. */
function scriptGate(template: string): RegExp | undefined {
  const letters = new Set(
    Array.from(template).filter(
      (character) => (character.codePointAt(0) ?? 0) > 0x24f,
    ),
  );
  if (letters.size === 0) {
    return undefined;
  }
  const escaped = [...letters].map(
    (character) => `\\u{${(character.codePointAt(0) ?? 0).toString(16)}}`,
  );
  return new RegExp(`[${escaped.join("")}]`, "u");
}

/** Compiles a lexicon. */
export function compileCues(definitions: readonly CueDefinition[]): Cue[] {
  return definitions.map((definition) => ({
    family: definition.family,
    score: definition.score,
    pattern: compileTemplate(definition.template, definition.bounded ?? true),
    bounded: definition.bounded ?? true,
    gate: scriptGate(definition.template),
  }));
}
