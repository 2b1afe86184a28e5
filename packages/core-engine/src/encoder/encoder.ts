/** Options passed to {@link Encoder.encode}. */
export interface EncodeOptions {
  /** Stops the work early; the encoder rejects with an abort error. */
  readonly signal?: AbortSignal;
  /**
   * Kind of text: `query` for a question to route or focus on,
   * `document` (the default) for source text. Models trained with
   * different prefixes for the two, such as E5, use it.
   */
  readonly purpose?: "document" | "query";
}

/**
 * Turns texts into dense vectors. The engine uses one vector per unit for
 * scoring and pools them into mega-tokens; routing encodes the query with
 * the same encoder.
 */
export interface Encoder {
  /**
   * Identifier of the model and its settings. It is stored with mega-tokens
   * so that routing can tell whether a query encoder is compatible.
   */
  readonly id: string;
  /** Length of every vector. */
  readonly dimension: number;
  /** Model name shown in results, such as `hashing` or an ONNX model's name. */
  readonly name?: string;
  /** Model version shown in results, when the model has one. */
  readonly version?: string;
  /**
   * Encodes texts in order. Vectors need not be normalized; the engine
   * normalizes them to unit length.
   */
  encode(
    texts: readonly string[],
    options?: EncodeOptions,
  ): Promise<Float32Array[]>;
}
