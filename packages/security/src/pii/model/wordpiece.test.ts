import { wordPieceTokenizerJson } from "@retrieval-free/onnx-graph";
import { describe, expect, it } from "vitest";

import { readWordPieceSettings } from "./tokenizer-json.js";
import { WordPieceTokenizer } from "./wordpiece.js";

const VOCABULARY = [
  "[PAD]",
  "[UNK]",
  "[CLS]",
  "[SEP]",
  "ada",
  "ok",
  "##on",
  "##kwo",
  "sao",
  "paris",
  "Ada",
  "São",
  ",",
  "(",
  ")",
  "!",
  "[",
  "]",
];

function tokenizerOf(
  normalizer: Record<string, unknown> = {},
  maxCharactersPerWord?: number,
): WordPieceTokenizer {
  const json = wordPieceTokenizerJson({
    vocabulary: VOCABULARY,
    unknownToken: "[UNK]",
    specialTokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]"],
    stripAccents: null,
    template: { cls: "[CLS]", sep: "[SEP]" },
  });
  Object.assign(json.normalizer as object, normalizer);
  if (maxCharactersPerWord !== undefined) {
    (json.model as Record<string, unknown>).max_input_chars_per_word =
      maxCharactersPerWord;
  }
  return new WordPieceTokenizer(readWordPieceSettings(json, "tokenizer.json"));
}

/** Returns each piece as its token and its slice of the text. */
function piecesOf(
  tokenizer: WordPieceTokenizer,
  text: string,
): [string, string][] {
  return tokenizer
    .tokenize(text)
    .pieces.map((piece) => [
      VOCABULARY[piece.id] as string,
      text.slice(piece.start, piece.end),
    ]);
}

function wordsOf(tokenizer: WordPieceTokenizer, text: string): string[] {
  return tokenizer
    .tokenize(text)
    .words.map((word) => text.slice(word.start, word.end));
}

describe("WordPieceTokenizer", () => {
  it("splits a word into pieces with their offsets", () => {
    const tokenized = tokenizerOf().tokenize("Then Okonkwo");
    expect(tokenized.pieces.slice(1)).toEqual([
      { id: 5, start: 5, end: 7, word: 1 },
      { id: 6, start: 7, end: 9, word: 1 },
      { id: 7, start: 9, end: 12, word: 1 },
    ]);
    expect(tokenized.words[1]).toEqual({
      start: 5,
      end: 12,
      firstPiece: 1,
      pieceCount: 3,
    });
  });

  it("splits punctuation into words of its own", () => {
    expect(wordsOf(tokenizerOf(), "Ada, (Paris)!")).toEqual([
      "Ada",
      ",",
      "(",
      "Paris",
      ")",
      "!",
    ]);
  });

  it("splits words at any whitespace", () => {
    expect(wordsOf(tokenizerOf(), "ada\tparis\nada\u00a0paris")).toEqual([
      "ada",
      "paris",
      "ada",
      "paris",
    ]);
  });

  it("maps an unmatched word to unknown", () => {
    expect(piecesOf(tokenizerOf(), "Ada Zzyzx")).toEqual([
      ["ada", "Ada"],
      ["[UNK]", "Zzyzx"],
    ]);
  });

  it("maps an overlong word to unknown", () => {
    expect(piecesOf(tokenizerOf({}, 5), "okon okonkwo")).toEqual([
      ["ok", "ok"],
      ["##on", "on"],
      ["[UNK]", "okonkwo"],
    ]);
  });

  it("strips accents and keeps the original offsets", () => {
    const tokenizer = tokenizerOf();
    expect(piecesOf(tokenizer, "São Paris")).toEqual([
      ["sao", "São"],
      ["paris", "Paris"],
    ]);
    expect(piecesOf(tokenizer, "Sa\u0303o")).toEqual([["sao", "Sa\u0303o"]]);
  });

  it("keeps case and accents in a cased tokenizer", () => {
    const tokenizer = tokenizerOf({ lowercase: false, strip_accents: null });
    expect(piecesOf(tokenizer, "Ada ADA São")).toEqual([
      ["Ada", "Ada"],
      ["[UNK]", "ADA"],
      ["São", "São"],
    ]);
  });

  it("strips accents in a cased tokenizer", () => {
    const tokenizer = tokenizerOf({ lowercase: false, strip_accents: true });
    expect(piecesOf(tokenizer, "Ada Sao São")).toEqual([
      ["Ada", "Ada"],
      ["[UNK]", "Sao"],
      ["[UNK]", "São"],
    ]);
  });

  it("removes control characters inside words", () => {
    expect(piecesOf(tokenizerOf(), "A\u00adda\u0000 ok")).toEqual([
      ["ada", "A\u00adda\u0000"],
      ["ok", "ok"],
    ]);
  });

  it("makes each CJK ideograph a word", () => {
    expect(wordsOf(tokenizerOf(), "東京ada")).toEqual(["東", "京", "ada"]);
    expect(wordsOf(tokenizerOf(), "𠀀ada")).toEqual(["𠀀", "ada"]);
  });

  it("counts offsets in UTF-16 code units", () => {
    const text = "😀 Ada";
    const [piece] = tokenizerOf().tokenize(text).pieces.slice(-1);
    expect(piece?.start).toBe(3);
    expect(piece?.end).toBe(6);
  });

  it("reads special tokens as plain words", () => {
    const ids = tokenizerOf()
      .tokenize("[SEP] ada [CLS]")
      .pieces.map((piece) => VOCABULARY[piece.id]);
    expect(ids).toEqual(["[", "[UNK]", "]", "ada", "[", "[UNK]", "]"]);
  });

  it("returns no pieces for blank text", () => {
    expect(tokenizerOf().tokenize(" \n\t ")).toEqual({ pieces: [], words: [] });
  });
});
