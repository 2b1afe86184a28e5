/** A half-open range `[start, end)` of UTF-16 code units. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * A text derived from an original string, such as a decoded or case-folded
 * copy, that keeps for each of its code units the span of the original it
 * came from. A match found in the derived text is located in the original
 * with {@link MappedText.toOriginal}.
 */
export class MappedText {
  readonly text: string;
  /** Original start of each code unit; read-only by contract. */
  readonly starts: Int32Array;
  /** Original end of each code unit; read-only by contract. */
  readonly ends: Int32Array;

  constructor(text: string, starts: Int32Array, ends: Int32Array) {
    if (starts.length !== text.length || ends.length !== text.length) {
      throw new RangeError("A mapped text needs one span per code unit.");
    }
    this.text = text;
    this.starts = starts;
    this.ends = ends;
  }

  /**
   * Wraps an original text unchanged. `offset` is added to every span, so
   * a slice of a longer text maps to offsets in that longer text.
   */
  static fromOriginal(text: string, offset = 0): MappedText {
    const starts = new Int32Array(text.length);
    const ends = new Int32Array(text.length);
    for (let index = 0; index < text.length; index++) {
      starts[index] = offset + index;
      ends[index] = offset + index + 1;
    }
    return new MappedText(text, starts, ends);
  }

  /** Original offset where code unit `index` starts. */
  startOf(index: number): number {
    return this.starts[index] ?? 0;
  }

  /** Original offset where code unit `index` ends. */
  endOf(index: number): number {
    return this.ends[index] ?? 0;
  }

  /**
   * Returns the original span that covers code units `[from, to)` of this
   * text. An empty range maps to an empty span where unit `from` starts.
   */
  toOriginal(from: number, to: number): TextSpan {
    if (this.text.length === 0) {
      return { start: 0, end: 0 };
    }
    const first = Math.min(Math.max(from, 0), this.text.length - 1);
    if (to <= from) {
      const start = this.startOf(first);
      return { start, end: start };
    }
    const last = Math.min(to, this.text.length) - 1;
    return { start: this.startOf(first), end: this.endOf(last) };
  }
}

/**
 * Builds a {@link MappedText} chunk by chunk, each chunk tied to the
 * original span it replaces.
 */
export class MappedTextBuilder {
  readonly #parts: string[] = [];
  #starts = new Int32Array(64);
  #ends = new Int32Array(64);
  #length = 0;

  #reserve(extra: number): void {
    const needed = this.#length + extra;
    if (needed <= this.#starts.length) {
      return;
    }
    let capacity = this.#starts.length * 2;
    while (capacity < needed) {
      capacity *= 2;
    }
    const starts = new Int32Array(capacity);
    const ends = new Int32Array(capacity);
    starts.set(this.#starts.subarray(0, this.#length));
    ends.set(this.#ends.subarray(0, this.#length));
    this.#starts = starts;
    this.#ends = ends;
  }

  /** Appends `chunk`; each of its code units maps to `[start, end)`. */
  append(chunk: string, start: number, end: number): void {
    this.#reserve(chunk.length);
    this.#parts.push(chunk);
    this.#starts.fill(start, this.#length, this.#length + chunk.length);
    this.#ends.fill(end, this.#length, this.#length + chunk.length);
    this.#length += chunk.length;
  }

  /**
   * Appends code units `[from, to)` of `source` unchanged, each keeping its
   * own original span.
   */
  copy(source: MappedText, from: number, to: number): void {
    if (to <= from) {
      return;
    }
    this.#reserve(to - from);
    this.#parts.push(source.text.slice(from, to));
    this.#starts.set(source.starts.subarray(from, to), this.#length);
    this.#ends.set(source.ends.subarray(from, to), this.#length);
    this.#length += to - from;
  }

  /**
   * Appends `text`, which has the length of code units `[from, to)` of
   * `source`, with the spans of those units: a same-length rewrite such as
   * lower-casing ASCII.
   */
  copyAs(source: MappedText, from: number, to: number, text: string): void {
    if (text.length !== to - from) {
      throw new RangeError("copyAs needs text of the copied length.");
    }
    this.#reserve(to - from);
    this.#parts.push(text);
    this.#starts.set(source.starts.subarray(from, to), this.#length);
    this.#ends.set(source.ends.subarray(from, to), this.#length);
    this.#length += to - from;
  }

  /**
   * Appends `chunk` in place of code units `[from, to)` of `source`, so the
   * whole chunk maps to the original span of those units.
   */
  replace(source: MappedText, from: number, to: number, chunk: string): void {
    const span = source.toOriginal(from, to);
    this.append(chunk, span.start, span.end);
  }

  build(): MappedText {
    return new MappedText(
      this.#parts.join(""),
      this.#starts.slice(0, this.#length),
      this.#ends.slice(0, this.#length),
    );
  }
}
