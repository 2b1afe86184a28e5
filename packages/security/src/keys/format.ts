import { randomBytes } from "node:crypto";
import { crc32 } from "node:zlib";

import { SecurityError, SecurityErrorCode } from "../errors.js";

/**
 * The first part of every API key, so scanners and people can tell an
 * API key of this project from other secrets.
 */
export const API_KEY_PREFIX = "rfcc";

/**
 * Crockford's base32 alphabet in lowercase. It leaves out i, l, o and u,
 * so a key read aloud or retyped cannot mix up 1/l/i or 0/o.
 */
export const API_KEY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** Random bytes in a key: 240 bits, 48 base32 characters. */
const RANDOM_BYTES = 30;
/** Characters of the random part. */
export const API_KEY_RANDOM_LENGTH = 48;
/**
 * Characters at the start of the random part that form the public key
 * id (80 bits). The 32 characters after it (160 bits) are the secret.
 */
export const API_KEY_ID_LENGTH = 16;
/** Characters of the checksum: a CRC-32 (32 bits) in 7 base32 digits. */
export const API_KEY_CHECKSUM_LENGTH = 7;

/** Pattern of an environment name such as `live` or `test`. */
export const API_KEY_ENV_PATTERN = /^[a-z][a-z0-9]{0,15}$/u;

const CHARACTER = `[${API_KEY_ALPHABET}]`;
const KEY_PATTERN = new RegExp(
  `^${API_KEY_PREFIX}_([a-z][a-z0-9]{0,15})_(${CHARACTER}{${API_KEY_RANDOM_LENGTH}})_(${CHARACTER}{${API_KEY_CHECKSUM_LENGTH}})$`,
  "u",
);
/** Longer input is rejected before any pattern runs on it. */
const MAX_KEY_LENGTH = 128;

/** The public parts of a well-formed API key; the secret is left out. */
export interface ParsedApiKey {
  /** Environment name written in the key, such as `live`. */
  readonly env: string;
  /** Public id of the key, which the store looks the key up by. */
  readonly id: string;
}

/** A newly generated API key and its public id. */
export interface GeneratedApiKey {
  /** The whole key; show it to its owner once and never store it. */
  readonly key: string;
  readonly id: string;
}

/** Encodes bytes as base32, 5 bits a character; the length must be a multiple of 5. */
function encodeBase32(bytes: Uint8Array): string {
  let output = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      output += API_KEY_ALPHABET.charAt((buffer >> bits) & 31);
    }
  }
  return output;
}

/** Computes the checksum of `body`, which is the key up to its last `_`. */
function checksumOf(body: string): string {
  const value = crc32(body);
  let output = "";
  for (let digit = API_KEY_CHECKSUM_LENGTH - 1; digit >= 0; digit -= 1) {
    output += API_KEY_ALPHABET.charAt(Math.floor(value / 32 ** digit) % 32);
  }
  return output;
}

/**
 * Generates a new API key `rfcc_<env>_<random>_<checksum>` from
 * `crypto.randomBytes`. The caller checks `env` against
 * {@link API_KEY_ENV_PATTERN}.
 */
export function generateApiKey(env: string): GeneratedApiKey {
  const random = encodeBase32(randomBytes(RANDOM_BYTES));
  return {
    key: formatApiKey(env, random),
    id: random.slice(0, API_KEY_ID_LENGTH),
  };
}

/**
 * Joins an environment name and a random part into a key and appends
 * its checksum. The caller checks both parts.
 */
export function formatApiKey(env: string, random: string): string {
  const body = `${API_KEY_PREFIX}_${env}_${random}`;
  return `${body}_${checksumOf(body)}`;
}

/**
 * Parses an API key offline: checks its shape and its CRC-32 checksum
 * without a store lookup. A CRC-32 detects every change of one or two
 * adjacent characters, so a typo fails here.
 *
 * @throws SecurityError API_KEY_INVALID when the key is malformed or its
 * checksum does not match. The message never contains the key.
 */
export function parseApiKey(key: unknown): ParsedApiKey {
  if (typeof key !== "string" || key.length > MAX_KEY_LENGTH) {
    throw malformed();
  }
  const match = KEY_PATTERN.exec(key);
  if (match === null) {
    throw malformed();
  }
  const [, env = "", random = "", checksum = ""] = match;
  const body = key.slice(0, key.length - API_KEY_CHECKSUM_LENGTH - 1);
  if (checksumOf(body) !== checksum) {
    throw new SecurityError(
      SecurityErrorCode.API_KEY_INVALID,
      "The API key is invalid: its checksum does not match, so it was " +
        "mistyped or cut short. Copy the whole key again.",
    );
  }
  return { env, id: random.slice(0, API_KEY_ID_LENGTH) };
}

/** Tells whether a value has the shape and checksum of an API key. */
export function isWellFormedApiKey(key: unknown): key is string {
  try {
    parseApiKey(key);
    return true;
  } catch {
    return false;
  }
}

function malformed(): SecurityError {
  return new SecurityError(
    SecurityErrorCode.API_KEY_INVALID,
    `The API key is malformed: expected ${API_KEY_PREFIX}_<env>_<` +
      `${API_KEY_RANDOM_LENGTH} characters>_<${API_KEY_CHECKSUM_LENGTH} ` +
      "characters> in lowercase base32. Copy the whole key again.",
  );
}
