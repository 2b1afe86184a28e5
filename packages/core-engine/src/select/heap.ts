/** A binary max-heap of unit indices keyed by priority. */
export class MaxHeap {
  private readonly keys: number[] = [];
  private readonly values: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Priority of the top entry, or -Infinity when empty. */
  peekKey(): number {
    return this.keys[0] ?? Number.NEGATIVE_INFINITY;
  }

  push(key: number, value: number): void {
    const keys = this.keys;
    const values = this.values;
    let index = keys.length;
    keys.push(key);
    values.push(value);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((keys[parent] as number) >= key) {
        break;
      }
      keys[index] = keys[parent] as number;
      values[index] = values[parent] as number;
      index = parent;
    }
    keys[index] = key;
    values[index] = value;
  }

  /** Removes the top entry and returns its value; undefined when empty. */
  pop(): number | undefined {
    const keys = this.keys;
    const values = this.values;
    if (keys.length === 0) {
      return undefined;
    }
    const top = values[0];
    const lastKey = keys.pop() as number;
    const lastValue = values.pop() as number;
    const size = keys.length;
    if (size > 0) {
      let index = 0;
      for (;;) {
        const left = 2 * index + 1;
        if (left >= size) {
          break;
        }
        const right = left + 1;
        const child =
          right < size && (keys[right] as number) > (keys[left] as number)
            ? right
            : left;
        if ((keys[child] as number) <= lastKey) {
          break;
        }
        keys[index] = keys[child] as number;
        values[index] = values[child] as number;
        index = child;
      }
      keys[index] = lastKey;
      values[index] = lastValue;
    }
    return top;
  }
}
