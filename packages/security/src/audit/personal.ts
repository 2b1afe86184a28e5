import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

import type { EncryptedPersonalData, PersonalData } from "./types.js";

/** Length in bytes of subject data keys and of the master key. */
export const DATA_KEY_BYTES = 32;

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts personal data under a subject's data key with AES-256-GCM. The
 * subject id is the additional authenticated data, so a ciphertext copied
 * to an entry about another subject fails to decrypt.
 */
export function encryptPersonal(
  personal: PersonalData,
  key: Uint8Array,
  subject: string,
): EncryptedPersonalData {
  const sealed = seal(
    Buffer.from(JSON.stringify(personal), "utf8"),
    key,
    `personal:${subject}`,
  );
  return { alg: "AES-256-GCM", ...sealed };
}

/**
 * Decrypts personal data. Throws when the key is wrong or the ciphertext,
 * tag or subject was changed.
 */
export function decryptPersonal(
  encrypted: EncryptedPersonalData,
  key: Uint8Array,
  subject: string,
): PersonalData {
  const plaintext = open(encrypted, key, `personal:${subject}`);
  return JSON.parse(plaintext.toString("utf8")) as PersonalData;
}

/** Encrypts a subject's data key under the master key, as base64 parts. */
export function wrapKey(
  dataKey: Uint8Array,
  masterKey: Uint8Array,
  subject: string,
): string {
  const { iv, tag, ciphertext } = seal(dataKey, masterKey, `key:${subject}`);
  return [iv, tag, ciphertext].join(".");
}

/** Decrypts a key made by {@link wrapKey}. Throws if it does not verify. */
export function unwrapKey(
  wrapped: string,
  masterKey: Uint8Array,
  subject: string,
): Buffer {
  const [iv = "", tag = "", ciphertext = ""] = wrapped.split(".");
  return open({ iv, tag, ciphertext }, masterKey, `key:${subject}`);
}

/** Returns a new random data key. */
export function createDataKey(): Buffer {
  return randomBytes(DATA_KEY_BYTES);
}

interface Sealed {
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

function seal(plaintext: Uint8Array, key: Uint8Array, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    ciphertext: ciphertext.toString("base64"),
  };
}

function open(sealed: Sealed, key: Uint8Array, aad: string): Buffer {
  const tag = Buffer.from(sealed.tag, "base64");
  if (tag.length !== TAG_BYTES) {
    // GCM accepts shorter tags, which would weaken the check.
    throw new Error(`The authentication tag has ${tag.length} bytes, not 16.`);
  }
  const decipher = createDecipheriv(
    "aes-256-gcm",
    key,
    Buffer.from(sealed.iv, "base64"),
    { authTagLength: TAG_BYTES },
  );
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(tag);
  return Buffer.concat([
    decipher.update(Buffer.from(sealed.ciphertext, "base64")),
    decipher.final(),
  ]);
}
