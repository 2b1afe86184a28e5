import { megaTokensToJSON } from "@retrieval-free/core-engine";
import type { CompressResult } from "@retrieval-free/core-engine";

/** Options of {@link toJsonResult}. */
export interface JsonResultOptions {
  /** Whether mega-token vectors are included as base64 float32 bytes. */
  readonly vectors: boolean;
}

/**
 * Converts a compression result into JSON data. Fields that the engine
 * leaves undefined are `null`, so every key is always present. An infinite
 * ratio (nothing kept) is `null` as well.
 */
export function toJsonResult(
  result: CompressResult,
  options: JsonResultOptions,
): Record<string, unknown> {
  const { request, megaTokens } = result;
  return {
    text: result.text,
    spans: result.spans,
    droppedDocuments: result.droppedDocuments,
    originalTokens: result.originalTokens,
    compressedTokens: result.compressedTokens,
    ratio: Number.isFinite(result.ratio) ? result.ratio : null,
    request: {
      ratio: request.ratio ?? null,
      targetTokens: request.targetTokens ?? null,
      budgetTokens: request.budgetTokens,
      query: request.query ?? null,
      tokenizer: request.tokenizer,
      granularity: request.granularity,
    },
    budgetMet: result.budgetMet,
    reason: result.reason ?? null,
    documents: result.documents,
    megaTokens:
      megaTokens === undefined
        ? null
        : megaTokensToJSON(megaTokens, { vectors: options.vectors }),
    encoder: {
      id: result.encoder.id,
      name: result.encoder.name,
      version: result.encoder.version ?? null,
      dimension: result.encoder.dimension,
    },
    timings: result.timings,
  };
}

/** Serializes JSON data with 2-space indentation and a final line break. */
export function stringifyJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
