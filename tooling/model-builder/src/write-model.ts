import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

import {
  encodeModel,
  int,
  ints,
  wordPieceTokenizerJson,
} from "@retrieval-free/onnx-graph";

import type { CorpusSource } from "./corpus.js";
import type { TokenEntry } from "./vocabulary.js";
import { PAD_TOKEN, UNKNOWN_TOKEN } from "./vocabulary.js";

/** Identity and provenance of the model, written to its manifest. */
export interface ModelIdentity {
  readonly name: string;
  readonly version: string;
  /** Where the model comes from, checked against allow-lists on load. */
  readonly source: string;
  readonly description: string;
  readonly license: string;
  readonly command: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly sources: readonly CorpusSource[];
}

/** Rows of 8-bit integers with one float scale per row. */
interface QuantizedTable {
  readonly values: Int8Array;
  readonly scales: Float32Array;
}

/**
 * Quantizes each token's scaled vector to 8-bit integers with a per-row
 * scale: the row's largest magnitude maps to 127.
 */
function quantize(
  entries: readonly TokenEntry[],
  dimension: number,
): QuantizedTable {
  const values = new Int8Array(entries.length * dimension);
  const scales = new Float32Array(entries.length);
  entries.forEach((entry, row) => {
    const direction = entry.direction;
    if (direction === undefined || entry.weight === 0) {
      return;
    }
    let largest = 0;
    for (let k = 0; k < dimension; k++) {
      largest = Math.max(
        largest,
        Math.abs((direction[k] as number) * entry.weight),
      );
    }
    if (largest === 0) {
      return;
    }
    const scale = largest / 127;
    scales[row] = scale;
    for (let k = 0; k < dimension; k++) {
      values[row * dimension + k] = Math.round(
        ((direction[k] as number) * entry.weight) / scale,
      );
    }
  });
  return { values, scales };
}

/**
 * Writes the ONNX graph: the token rows are gathered as 8-bit integers,
 * converted and multiplied by their gathered scales (dequantizing after
 * the gather keeps the work proportional to the tokens), summed and
 * scaled to unit length. Padding uses the [PAD] token, whose row is zero,
 * so the sum needs no attention mask; the graph still takes one, as
 * sentence encoders do.
 */
function modelBytes(
  table: QuantizedTable,
  rows: number,
  dimension: number,
  identity: ModelIdentity,
): Uint8Array {
  return encodeModel({
    name: identity.name,
    producer: "retrieval-free model-builder",
    metadata: { version: identity.version, license: identity.license },
    inputs: [
      { name: "input_ids", type: "int64", shape: ["batch", "tokens"] },
      { name: "attention_mask", type: "int64", shape: ["batch", "tokens"] },
    ],
    outputs: [
      {
        name: "sentence_embedding",
        type: "float32",
        shape: ["batch", dimension],
      },
    ],
    initializers: [
      {
        name: "embeddings",
        type: "int8",
        dims: [rows, dimension],
        data: table.values,
      },
      { name: "scales", type: "float32", dims: [rows, 1], data: table.scales },
      {
        name: "axis_1",
        type: "int64",
        dims: [1],
        data: BigInt64Array.from([1n]),
      },
      {
        name: "axis_2",
        type: "int64",
        dims: [1],
        data: BigInt64Array.from([2n]),
      },
      {
        name: "epsilon",
        type: "float32",
        dims: [1],
        data: Float32Array.from([1e-12]),
      },
    ],
    nodes: [
      { op: "Gather", inputs: ["embeddings", "input_ids"], outputs: ["rows"] },
      {
        op: "Cast",
        inputs: ["rows"],
        outputs: ["rows_float"],
        attributes: { to: int(1) },
      },
      {
        op: "Gather",
        inputs: ["scales", "input_ids"],
        outputs: ["row_scales"],
      },
      { op: "Mul", inputs: ["rows_float", "row_scales"], outputs: ["tokens"] },
      {
        op: "ReduceSum",
        inputs: ["tokens", "axis_1"],
        outputs: ["summed"],
        attributes: { keepdims: int(0) },
      },
      {
        op: "ReduceL2",
        inputs: ["summed"],
        outputs: ["length"],
        attributes: { axes: ints([1]), keepdims: int(1) },
      },
      { op: "Max", inputs: ["length", "epsilon"], outputs: ["safe_length"] },
      {
        op: "Div",
        inputs: ["summed", "safe_length"],
        outputs: ["sentence_embedding"],
      },
    ],
  });
}

/** Returns the tokenizer.json of the model: BERT normalization and WordPiece. */
function tokenizerJson(entries: readonly TokenEntry[]): string {
  return JSON.stringify(
    wordPieceTokenizerJson({
      vocabulary: entries.map((entry) => entry.token),
      unknownToken: UNKNOWN_TOKEN,
      specialTokens: [PAD_TOKEN, UNKNOWN_TOKEN],
      stripAccents: true,
      padToken: PAD_TOKEN,
    }),
  );
}

function sha256(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Writes the model folder: model.onnx, tokenizer.json, encoder.json,
 * word-information.tsv, a LICENSE and manifest.json with the SHA-256 and size of every other
 * file, the sources and their licenses, the settings and the command.
 * Nothing in it depends on the time or machine of the build.
 */
export async function writeModelFolder(
  folder: string,
  entries: readonly TokenEntry[],
  dimension: number,
  identity: ModelIdentity,
  wordInformation: string,
): Promise<Record<string, string>> {
  await mkdir(folder, { recursive: true });
  const table = quantize(entries, dimension);
  const files: Record<string, Uint8Array | string> = {
    "model.onnx": modelBytes(table, entries.length, dimension, identity),
    "tokenizer.json": `${tokenizerJson(entries)}\n`,
    "encoder.json": `${JSON.stringify(
      {
        name: identity.name,
        version: identity.version,
        pooling: "output",
        normalize: true,
        maxLength: 512,
      },
      null,
      2,
    )}\n`,
    "word-information.tsv": wordInformation,
    LICENSE: `${identity.license}\n\nSources:\n${identity.sources
      .map((source) => `- ${source.name}: ${source.license}`)
      .join("\n")}\n`,
  };
  const checksums: Record<string, string> = {};
  for (const [name, content] of Object.entries(files)) {
    await writeFile(join(folder, name), content);
    checksums[name] = sha256(content);
  }
  const manifest = {
    name: identity.name,
    version: identity.version,
    source: identity.source,
    description: identity.description,
    license: identity.license,
    dimension,
    vocabulary: entries.length,
    files: Object.entries(files).map(([name, content]) => ({
      path: name,
      bytes:
        typeof content === "string"
          ? Buffer.byteLength(content)
          : content.length,
      sha256: checksums[name],
    })),
    sources: identity.sources,
    command: identity.command,
    settings: identity.settings,
  };
  await writeFile(
    join(folder, "manifest.json"),
    `${JSON.stringify(manifest, null, 2)}\n`,
  );
  return checksums;
}
