import { readFile } from "node:fs/promises";
import { join } from "node:path";

import {
  HashingEncoder,
  OnnxEncoder,
  parseOnnxEncoderConfig,
  segmentDocuments,
} from "@retrieval-free/core-engine";
import type { Encoder } from "@retrieval-free/core-engine";
import {
  BUILT_IN_MODEL_FOLDER,
  loadBuiltInEncoder,
} from "@retrieval-free/core-engine/node";

import { renderTable } from "./markdown.js";
import { median } from "./stats.js";

/** Units encoded per round. */
const UNITS = 10_000;
/** Timed rounds per encoder, after one warm-up. */
const ROUNDS = 3;

/** Encoding speed of one encoder and runtime. */
export interface EncoderThroughput {
  readonly encoder: string;
  readonly units: number;
  readonly medianMs: number;
  readonly unitsPerSecond: number;
}

/**
 * Loads the built-in model on onnxruntime-web's WebAssembly backend, as a
 * browser runs it, with one thread.
 */
async function builtInOnWasm(): Promise<Encoder> {
  const web = await import("onnxruntime-web");
  web.env.wasm.numThreads = 1;
  const read = (name: string) => readFile(join(BUILT_IN_MODEL_FOLDER, name));
  const [model, tokenizer, config] = await Promise.all([
    read("model.onnx"),
    read("tokenizer.json"),
    read("encoder.json"),
  ]);
  return OnnxEncoder.create({
    runtime: web,
    model: new Uint8Array(model.buffer, model.byteOffset, model.byteLength),
    tokenizer: JSON.parse(tokenizer.toString("utf8")) as unknown,
    config: parseOnnxEncoderConfig(
      JSON.parse(config.toString("utf8")) as unknown,
      "encoder.json",
      "built-in",
    ),
    sources: {
      model: "model.onnx",
      tokenizer: "tokenizer.json",
      config: "encoder.json",
    },
    batchSize: 64,
  });
}

/**
 * Times each encoder on the first 10,000 units (sentences) of a text:
 * the hashing encoder, and the built-in model on ONNX Runtime's native
 * CPU backend and on its WebAssembly backend, both with one thread.
 */
export async function measureEncoderThroughput(
  path: string,
): Promise<EncoderThroughput[]> {
  const text = await readFile(path, "utf8");
  const units = segmentDocuments([{ id: "text", text, format: "text" }])
    .units.slice(0, UNITS)
    .map((unit) => text.slice(unit.start, unit.end));
  const encoders: [string, Encoder][] = [
    ["hashing encoder", new HashingEncoder()],
    [
      "built-in model, ONNX Runtime native",
      await loadBuiltInEncoder({ batchSize: 64 }),
    ],
    ["built-in model, ONNX Runtime WebAssembly", await builtInOnWasm()],
  ];
  const results: EncoderThroughput[] = [];
  for (const [name, encoder] of encoders) {
    await encoder.encode(units.slice(0, 1000));
    const times: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now();
      await encoder.encode(units);
      times.push(performance.now() - started);
    }
    const medianMs = median(times);
    results.push({
      encoder: name,
      units: units.length,
      medianMs,
      unitsPerSecond: (units.length / medianMs) * 1000,
    });
  }
  return results;
}

/** Renders the encoder throughput table. */
export function renderThroughputTable(
  results: readonly EncoderThroughput[],
): string {
  return renderTable(
    ["encoder", "units", "median ms", "units/s"],
    results.map((result) => [
      result.encoder,
      result.units.toLocaleString("en-US"),
      result.medianMs.toFixed(0),
      Math.round(result.unitsPerSecond).toLocaleString("en-US"),
    ]),
  );
}
