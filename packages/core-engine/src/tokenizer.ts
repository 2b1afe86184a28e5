import { CoreEngineError, CoreEngineErrorCode } from "./errors.js";

/** Names of the tokenizers that ship with the engine. */
export type BuiltInTokenizerName = "o200k_base" | "cl100k_base";

/** The tokenizers that ship with the engine, in order of preference. */
export const BUILT_IN_TOKENIZERS: readonly BuiltInTokenizerName[] = [
  "o200k_base",
  "cl100k_base",
];

/**
 * Counts tokens the way the target LLM does. Budgets, ratios and every
 * reported count use it.
 */
export interface TokenCounter {
  /** Name reported in results, such as `o200k_base`. */
  readonly name: string;
  /** Returns the number of tokens in `text`; 0 for the empty string. */
  count(text: string): number;
}

/** Largest count a token counter may return: counts are stored as 32-bit integers. */
export const MAX_TOKEN_COUNT = 2_147_483_647;

/** A token counter given by the caller: an object or a bare function. */
export type CustomTokenCounter = TokenCounter | ((text: string) => number);

/**
 * A BPE token counter that exposes its pre-tokenization: the pattern that
 * splits text into chunks, each encoded on its own. Summing the counts of
 * the chunks of a text gives the count of the text, so one pass over a
 * document yields exact counts for all its pieces.
 */
export interface ChunkingTokenCounter extends TokenCounter {
  /** The pre-tokenization pattern, with the global and Unicode flags. */
  readonly splitPattern: RegExp;
  /** Returns the number of tokens of one chunk of the split pattern. */
  countChunk(chunk: string): number;
}

interface GptTokenizerModule {
  countTokens(
    text: string,
    options?: { disallowedSpecial?: Set<string> },
  ): number;
  clearMergeCache(): void;
}

// Special-token strings such as "<|endoftext|>" inside a document are
// ordinary text to the engine, so they are counted as text, not rejected.
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

// Pieces longer than this skip the cache: they rarely repeat.
const MAX_CACHED_CHUNK_LENGTH = 64;
const MAX_CACHE_ENTRIES = 50_000;

/**
 * Chunks longer than this are counted in pieces of half this length.
 * gpt-tokenizer merges the byte pairs of one chunk in time quadratic in its
 * length (a minute for 200,000 equal letters), and such chunks only occur
 * in inputs like long runs of one character or base64 without line
 * breaks. NOTE: a piecewise count can differ from the exact count by a few
 * tokens per piece, usually upward, because merges across a piece
 * boundary are not made.
 */
const MAX_EXACT_CHUNK_LENGTH = 1024;
/**
 * Tells whether `text` contains a run of at least `length` characters that
 * are all white space or all not, the only runs that can form a chunk
 * that long. A plain scan: a regular expression takes far longer here.
 */
function hasLongRun(text: string, length: number): boolean {
  let run = 0;
  let previousSpace = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const space = code === 32 || (code >= 9 && code <= 13);
    run = space === previousSpace ? run + 1 : 1;
    previousSpace = space;
    if (run >= length) {
      return true;
    }
  }
  return false;
}

/** Cuts a long chunk into pieces of at most `length`, never inside a surrogate pair. */
function piecesOf(chunk: string, length: number): string[] {
  const pieces: string[] = [];
  for (let from = 0; from < chunk.length;) {
    let to = Math.min(chunk.length, from + length);
    const last = chunk.charCodeAt(to - 1);
    if (to < chunk.length && last >= 0xd800 && last <= 0xdbff) {
      to++;
    }
    pieces.push(chunk.slice(from, to));
    from = to;
  }
  return pieces;
}

class BpeTokenCounter implements ChunkingTokenCounter {
  readonly name: string;
  private readonly module: GptTokenizerModule;
  readonly splitPattern: RegExp;
  private readonly cache = new Map<string, number>();

  constructor(name: string, module: GptTokenizerModule, splitPattern: RegExp) {
    this.name = name;
    this.module = module;
    this.splitPattern = new RegExp(splitPattern.source, "gu");
  }

  count(text: string): number {
    if (text.length === 0) {
      return 0;
    }
    if (
      text.length < MAX_EXACT_CHUNK_LENGTH ||
      !hasLongRun(text, MAX_EXACT_CHUNK_LENGTH)
    ) {
      return this.module.countTokens(text, AS_PLAIN_TEXT);
    }
    const pattern = new RegExp(this.splitPattern.source, "gu");
    let total = 0;
    for (const match of text.matchAll(pattern)) {
      total += this.countChunk(match[0]);
    }
    return total;
  }

  countChunk(chunk: string): number {
    if (chunk.length > MAX_EXACT_CHUNK_LENGTH) {
      return piecesOf(chunk, MAX_EXACT_CHUNK_LENGTH / 2).reduce(
        (sum, piece) => sum + this.module.countTokens(piece, AS_PLAIN_TEXT),
        0,
      );
    }
    if (chunk.length > MAX_CACHED_CHUNK_LENGTH) {
      return this.module.countTokens(chunk, AS_PLAIN_TEXT);
    }
    let tokens = this.cache.get(chunk);
    if (tokens === undefined) {
      tokens = this.module.countTokens(chunk, AS_PLAIN_TEXT);
      if (this.cache.size >= MAX_CACHE_ENTRIES) {
        this.cache.clear();
        // gpt-tokenizer 4.0 evicts from its merge cache (100,000 entries)
        // one key at a time, and counting slows down as evictions pile
        // up: 20,000 new words took 0.9 s at first and 3.5 s after
        // 220,000 (measured on a 2-core machine). Clearing the merge cache
        // with this one keeps it from filling.
        this.module.clearMergeCache();
      }
      this.cache.set(chunk, tokens);
    }
    return tokens;
  }
}

const loaded = new Map<BuiltInTokenizerName, Promise<ChunkingTokenCounter>>();

async function importTokenizer(
  name: BuiltInTokenizerName,
): Promise<ChunkingTokenCounter> {
  const patterns = await import("gpt-tokenizer/encodingParams/constants");
  if (name === "o200k_base") {
    const module = await import("gpt-tokenizer/encoding/o200k_base");
    return new BpeTokenCounter(name, module, patterns.O200K_TOKEN_SPLIT_REGEX);
  }
  const module = await import("gpt-tokenizer/encoding/cl100k_base");
  return new BpeTokenCounter(name, module, patterns.CL100K_TOKEN_SPLIT_REGEX);
}

/**
 * Loads a built-in tokenizer. Its rank table loads on first use and is
 * shared by every later call.
 */
export function loadTokenizer(
  name: BuiltInTokenizerName,
): Promise<ChunkingTokenCounter> {
  let pending = loaded.get(name);
  if (pending === undefined) {
    pending = importTokenizer(name);
    loaded.set(name, pending);
  }
  return pending;
}

/** Tells whether a counter is the engine's own copy of a built-in tokenizer. */
export function isBuiltInTokenizer(
  counter: TokenCounter,
  name: BuiltInTokenizerName,
): counter is ChunkingTokenCounter {
  return counter instanceof BpeTokenCounter && counter.name === name;
}

/** Tells whether a token counter exposes its pre-tokenization chunks. */
export function isChunkingTokenCounter(
  counter: TokenCounter,
): counter is ChunkingTokenCounter {
  return (
    typeof (counter as Partial<ChunkingTokenCounter>).countChunk === "function"
  );
}

/**
 * Wraps a caller's counter so that a failure or a value that is not a
 * non-negative integer surfaces as `TOKENIZER_FAILED` instead of a wrong
 * budget.
 */
export function toCheckedTokenCounter(
  custom: CustomTokenCounter,
): TokenCounter {
  const name =
    typeof custom === "function"
      ? custom.name || "custom"
      : custom.name || "custom";
  const countFunction =
    typeof custom === "function"
      ? custom
      : (text: string) => custom.count(text);
  return {
    name,
    count(text: string): number {
      let value: unknown;
      try {
        value = countFunction(text);
      } catch (error) {
        throw new CoreEngineError(
          CoreEngineErrorCode.TOKENIZER_FAILED,
          `The custom token counter "${name}" threw while counting a text of ${text.length} characters.`,
          { cause: error },
        );
      }
      if (
        typeof value !== "number" ||
        !Number.isInteger(value) ||
        value < 0 ||
        value > MAX_TOKEN_COUNT
      ) {
        throw new CoreEngineError(
          CoreEngineErrorCode.TOKENIZER_FAILED,
          `The custom token counter "${name}" returned ${String(value)} for a text of ${text.length} characters; it must return a whole number from 0 to ${MAX_TOKEN_COUNT}.`,
        );
      }
      return value;
    },
  };
}
