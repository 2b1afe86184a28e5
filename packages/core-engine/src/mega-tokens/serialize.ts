import { CoreEngineError, CoreEngineErrorCode } from "../errors.js";
import { toBase64 } from "./base64.js";
import { registerSource } from "./registry.js";
import { MEGA_TOKEN_LEVELS } from "./types.js";
import type { MegaToken, MegaTokenSet, SourceSpan } from "./types.js";

/** First four bytes of a serialized mega-token set. */
export const MEGA_TOKENS_MAGIC = "RFMT";
/** Newest serialization format this version reads and writes. */
export const MEGA_TOKENS_FORMAT_VERSION = 1;

// Layout: "RFMT", u32 format version, u32 header length, UTF-8 JSON header
// padded with spaces to a multiple of 4 bytes, then every token's vector
// as little-endian float32, tokens in order.
const PREFIX_BYTES = 12;

interface Header {
  readonly formatVersion: number;
  readonly encoder: { readonly id: string; readonly dimension: number };
  readonly tokenizer: string;
  readonly documents: readonly { readonly id: string; readonly text: string }[];
  /** Columns, one entry per token. */
  readonly level: readonly number[];
  readonly document: readonly number[];
  /** Flattened `[start, end, start, end, …]` per token. */
  readonly spans: readonly (readonly number[])[];
  readonly tokens: readonly number[];
  readonly confidence: readonly number[];
  readonly salience: readonly number[];
  readonly parent: readonly number[];
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function invalid(message: string, cause?: unknown): CoreEngineError {
  return new CoreEngineError(
    CoreEngineErrorCode.INVALID_MEGA_TOKENS,
    message,
    cause === undefined ? {} : { cause },
  );
}

/**
 * Serializes a mega-token set into a compact, versioned binary form that
 * includes the document texts, so it can be routed and expanded on its own.
 * Vectors are stored as float32 and read back bit for bit.
 */
export function serializeMegaTokens(set: MegaTokenSet): Uint8Array {
  const documentIndex = new Map(
    set.documents.map((document, index) => [document.id, index]),
  );
  const header: Header = {
    formatVersion: MEGA_TOKENS_FORMAT_VERSION,
    encoder: set.encoder,
    tokenizer: set.tokenizer,
    documents: set.documents.map((document) => ({
      id: document.id,
      text: document.text,
    })),
    level: set.tokens.map((token) => MEGA_TOKEN_LEVELS.indexOf(token.level)),
    document: set.tokens.map(
      (token) => documentIndex.get(token.documentId) ?? -1,
    ),
    spans: set.tokens.map((token) =>
      token.spans.flatMap((span) => [span.start, span.end]),
    ),
    tokens: set.tokens.map((token) => token.tokens),
    confidence: set.tokens.map((token) => token.confidence),
    salience: set.tokens.map((token) => token.salience),
    parent: set.tokens.map((token) => token.parent),
  };
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padding = (4 - (json.length % 4)) % 4;
  if (padding > 0) {
    const padded = new Uint8Array(json.length + padding).fill(0x20);
    padded.set(json);
    json = padded;
  }
  const dimension = set.encoder.dimension;
  const vectorBytes = set.tokens.length * dimension * 4;
  const bytes = new Uint8Array(PREFIX_BYTES + json.length + vectorBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MEGA_TOKENS_MAGIC), 0);
  view.setUint32(4, MEGA_TOKENS_FORMAT_VERSION, true);
  view.setUint32(8, json.length, true);
  bytes.set(json, PREFIX_BYTES);
  const vectorsAt = PREFIX_BYTES + json.length;
  set.tokens.forEach((token, row) => {
    if (token.vector.length !== dimension) {
      throw invalid(
        `Mega-token ${row} has a vector of length ${token.vector.length}; the set's dimension is ${dimension}.`,
      );
    }
    writeFloats(bytes, view, vectorsAt + row * dimension * 4, token.vector);
  });
  return bytes;
}

function writeFloats(
  bytes: Uint8Array,
  view: DataView,
  at: number,
  vector: Float32Array,
): void {
  if (LITTLE_ENDIAN) {
    bytes.set(
      new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength),
      at,
    );
    return;
  }
  vector.forEach((value, index) =>
    view.setFloat32(at + index * 4, value, true),
  );
}

function readVectors(
  bytes: Uint8Array,
  at: number,
  count: number,
  dimension: number,
): Float32Array {
  const values = new Float32Array(count * dimension);
  if (LITTLE_ENDIAN) {
    new Uint8Array(values.buffer).set(
      bytes.subarray(at, at + values.byteLength),
    );
    return values;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let index = 0; index < values.length; index++) {
    values[index] = view.getFloat32(at + index * 4, true);
  }
  return values;
}

function parseHeader(bytes: Uint8Array): { header: Header; vectorsAt: number } {
  if (
    bytes.length < PREFIX_BYTES ||
    new TextDecoder().decode(bytes.subarray(0, 4)) !== MEGA_TOKENS_MAGIC
  ) {
    throw invalid(
      `The data is not a serialized mega-token set: it does not start with "${MEGA_TOKENS_MAGIC}".`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version === 0) {
    throw invalid(
      "The mega-token set has format version 0, which no version of this package writes; the data is damaged.",
    );
  }
  if (version > MEGA_TOKENS_FORMAT_VERSION) {
    throw new CoreEngineError(
      CoreEngineErrorCode.UNSUPPORTED_MEGA_TOKENS_VERSION,
      `The mega-token set uses format version ${version}; this version reads format ${MEGA_TOKENS_FORMAT_VERSION}. Upgrade @retrieval-free/core-engine or rebuild the set.`,
    );
  }
  const headerLength = view.getUint32(8, true);
  if (PREFIX_BYTES + headerLength > bytes.length) {
    throw invalid(
      `The mega-token set is truncated: its header needs ${headerLength} bytes but ${bytes.length - PREFIX_BYTES} remain.`,
    );
  }
  let header: Header;
  try {
    header = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(
        bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerLength),
      ),
    ) as Header;
  } catch (error) {
    throw invalid(
      "The header of the mega-token set is not valid UTF-8 JSON.",
      error,
    );
  }
  return { header, vectorsAt: PREFIX_BYTES + headerLength };
}

function checkHeader(header: Header, vectorBytes: number): void {
  if (
    typeof header !== "object" ||
    (header as unknown) === null ||
    Array.isArray(header)
  ) {
    throw invalid("The header of the mega-token set is not a JSON object.");
  }
  const encoder = header.encoder as Header["encoder"] | undefined;
  const count = Array.isArray(header.level) ? header.level.length : -1;
  const columns = [
    header.document,
    header.spans,
    header.tokens,
    header.confidence,
    header.salience,
    header.parent,
  ];
  if (
    count < 0 ||
    typeof encoder?.id !== "string" ||
    !Number.isInteger(encoder.dimension) ||
    encoder.dimension < 1 ||
    !Array.isArray(header.documents) ||
    !header.documents.every(isDocumentEntry) ||
    columns.some((column) => !Array.isArray(column) || column.length !== count)
  ) {
    throw invalid(
      "The header of the mega-token set is missing fields or has columns of different lengths.",
    );
  }
  checkReferences(header, count);
  const expected = count * header.encoder.dimension * 4;
  if (vectorBytes !== expected) {
    throw invalid(
      `The mega-token set contains ${vectorBytes} bytes of vectors; ${count} tokens of ${header.encoder.dimension} dimensions need ${expected}.`,
    );
  }
}

function isDocumentEntry(value: unknown): boolean {
  const entry = value as { id?: unknown; text?: unknown } | null;
  return (
    typeof entry === "object" &&
    entry !== null &&
    typeof entry.id === "string" &&
    typeof entry.text === "string"
  );
}

/**
 * Checks that spans lie inside their documents and that every parent is an
 * earlier token, as tokens are stored coarsest first; this also rules out
 * cycles.
 */
function checkReferences(header: Header, count: number): void {
  for (let index = 0; index < count; index++) {
    const parent = header.parent[index];
    if (
      !Number.isInteger(parent) ||
      (parent as number) < -1 ||
      (parent as number) >= index
    ) {
      throw invalid(
        `Mega-token ${index} has parent ${String(parent)}, which is not a token of the set.`,
      );
    }
    const document = header.documents[header.document[index] ?? -1];
    const flat = header.spans[index];
    if (
      document === undefined ||
      !Array.isArray(flat) ||
      flat.length % 2 !== 0
    ) {
      throw invalid(
        `Mega-token ${index} names an unknown document or has malformed spans.`,
      );
    }
    for (let at = 0; at < flat.length; at += 2) {
      const start = flat[at] as number;
      const end = flat[at + 1] as number;
      if (
        !Number.isInteger(start) ||
        !Number.isInteger(end) ||
        start < 0 ||
        end < start ||
        end > document.text.length
      ) {
        throw invalid(
          `Mega-token ${index} has the span [${String(start)}, ${String(end)}), which lies outside its document of ${document.text.length} characters.`,
        );
      }
    }
  }
}

/** Reads a set written by {@link serializeMegaTokens}. */
export function deserializeMegaTokens(bytes: Uint8Array): MegaTokenSet {
  if (!(bytes instanceof Uint8Array)) {
    throw invalid(
      "deserializeMegaTokens expects a Uint8Array, such as the contents of a .rfmt file.",
    );
  }
  const { header, vectorsAt } = parseHeader(bytes);
  checkHeader(header, bytes.length - vectorsAt);
  const dimension = header.encoder.dimension;
  const count = header.level.length;
  const vectors = readVectors(bytes, vectorsAt, count, dimension);
  const notFinite = vectors.findIndex((value) => !Number.isFinite(value));
  if (notFinite >= 0) {
    throw invalid(
      `Mega-token ${Math.floor(notFinite / dimension)} has a vector value that is not a finite number.`,
    );
  }
  const children: number[][] = Array.from({ length: count }, () => []);
  header.parent.forEach((parent, index) => {
    if (parent >= 0 && parent < count) {
      children[parent]?.push(index);
    }
  });
  const tokens: MegaToken[] = [];
  for (let index = 0; index < count; index++) {
    const document = header.documents[header.document[index] ?? -1];
    const level = MEGA_TOKEN_LEVELS[header.level[index] ?? -1];
    if (document === undefined || level === undefined) {
      throw invalid(`Mega-token ${index} names an unknown document or level.`);
    }
    const flat = header.spans[index] ?? [];
    const spans: SourceSpan[] = [];
    for (let at = 0; at + 1 < flat.length; at += 2) {
      spans.push({ start: flat[at] as number, end: flat[at + 1] as number });
    }
    const token: MegaToken = {
      index,
      level,
      documentId: document.id,
      spans,
      vector: vectors.subarray(index * dimension, (index + 1) * dimension),
      tokens: header.tokens[index] as number,
      confidence: header.confidence[index] as number,
      salience: header.salience[index] as number,
      parent: header.parent[index] as number,
      children: children[index] ?? [],
    };
    registerSource(token, document.text);
    tokens.push(token);
  }
  return {
    formatVersion: 1,
    encoder: { id: header.encoder.id, dimension },
    tokenizer: header.tokenizer,
    documents: header.documents.map((document) => ({
      id: document.id,
      text: document.text,
    })),
    tokens,
  };
}

/** Options of {@link megaTokensToJSON}. */
export interface MegaTokensJSONOptions {
  /**
   * Whether to include each vector as base64 of its little-endian float32 bytes.
   * @default true
   */
  readonly vectors?: boolean;
}

/**
 * Converts a set into plain JSON data: vectors as base64 (or left out) and
 * document texts left out, since spans index into the caller's input.
 */
export function megaTokensToJSON(
  set: MegaTokenSet,
  options: MegaTokensJSONOptions = {},
): Record<string, unknown> {
  const withVectors = options.vectors ?? true;
  return {
    formatVersion: set.formatVersion,
    encoder: set.encoder,
    tokenizer: set.tokenizer,
    documents: set.documents.map((document) => ({ id: document.id })),
    tokens: set.tokens.map((token) => ({
      index: token.index,
      level: token.level,
      documentId: token.documentId,
      spans: token.spans,
      tokens: token.tokens,
      confidence: token.confidence,
      salience: token.salience,
      parent: token.parent,
      children: token.children,
      ...(withVectors
        ? { vector: toBase64(littleEndianBytes(token.vector)) }
        : {}),
    })),
  };
}

function littleEndianBytes(vector: Float32Array): Uint8Array {
  if (LITTLE_ENDIAN) {
    return new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
  }
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return bytes;
}
