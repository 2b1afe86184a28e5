const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/**
 * Computes MurmurHash3 x86 32-bit of a byte array, as an unsigned 32-bit
 * integer. Uses only `Math.imul` and 32-bit operators, so every
 * JavaScript engine returns the same value.
 */
export function murmur3(bytes: Uint8Array, seed = 0): number {
  let hash = seed >>> 0;
  const blocks = bytes.length - (bytes.length % 4);
  for (let index = 0; index < blocks; index += 4) {
    let k =
      (bytes[index] ?? 0) |
      ((bytes[index + 1] ?? 0) << 8) |
      ((bytes[index + 2] ?? 0) << 16) |
      ((bytes[index + 3] ?? 0) << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    hash ^= k;
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
  }
  hash ^= mixTail(bytes, blocks);
  hash ^= bytes.length;
  return finalize(hash);
}

function mixTail(bytes: Uint8Array, start: number): number {
  const remaining = bytes.length - start;
  if (remaining === 0) {
    return 0;
  }
  let k = 0;
  if (remaining === 3) {
    k ^= (bytes[start + 2] ?? 0) << 16;
  }
  if (remaining >= 2) {
    k ^= (bytes[start + 1] ?? 0) << 8;
  }
  k ^= bytes[start] ?? 0;
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function finalize(input: number): number {
  let hash = input;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

const encoder = new TextEncoder();

/** Number of buckets that a percentage rollout divides keys into. */
export const BUCKET_COUNT = 10_000;

/**
 * Places a targeting key in one of 10,000 buckets: MurmurHash3 x86 32-bit
 * (seed 0) over the UTF-8 bytes of `${seed}:${flagKey}:${targetingKey}`,
 * modulo 10,000. The same inputs give the same bucket on every platform.
 */
export function bucketOf(
  seed: string,
  flagKey: string,
  targetingKey: string,
): number {
  const bytes = encoder.encode(`${seed}:${flagKey}:${targetingKey}`);
  return murmur3(bytes) % BUCKET_COUNT;
}
