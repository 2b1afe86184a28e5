import {
  createHash,
  createPrivateKey,
  createPublicKey,
  KeyObject,
  sign,
  verify,
} from "node:crypto";

import { canonicalJson } from "./canonical.js";
import { checkpointFields } from "./records.js";
import type { AuditCheckpoint, AuditEntry } from "./types.js";

/** An Ed25519 key as a `KeyObject` or a PEM string. */
export type Ed25519Key = KeyObject | string;

/**
 * Prefix of every signed checkpoint message, so a checkpoint signature
 * cannot be taken for a signature of another kind of message.
 */
const SIGNED_PREFIX = "rf-audit-checkpoint/v1\n";

/**
 * Reads an Ed25519 private key, or returns why it is not one. Returns a
 * string rather than throwing so option checks can collect every issue.
 */
export function toPrivateKey(key: unknown): KeyObject | string {
  let object: KeyObject;
  try {
    object =
      key instanceof KeyObject ? key : createPrivateKey(pemText(key) ?? "");
  } catch {
    return "is not a PEM private key or a KeyObject";
  }
  if (object.type !== "private") {
    return `is a ${object.type} key, not a private key`;
  }
  return object.asymmetricKeyType === "ed25519"
    ? object
    : `is a ${String(object.asymmetricKeyType)} key, not an Ed25519 key`;
}

/** Reads an Ed25519 public key (or derives it from a private one). */
export function toPublicKey(key: unknown): KeyObject | string {
  let object: KeyObject;
  try {
    object =
      key instanceof KeyObject ? key : createPublicKey(pemText(key) ?? "");
  } catch {
    return "is not a PEM public key or a KeyObject";
  }
  if (object.type === "private") {
    object = createPublicKey(object);
  }
  if (object.type !== "public") {
    return "is a secret key, not a public key";
  }
  return object.asymmetricKeyType === "ed25519"
    ? object
    : `is a ${String(object.asymmetricKeyType)} key, not an Ed25519 key`;
}

/** Returns the first 16 hexadecimal digits of the SHA-256 of a public key. */
export function publicKeyId(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}

/** Signs a checkpoint that covers the log up to and including `entry`. */
export function signCheckpoint(
  entry: AuditEntry,
  privateKey: KeyObject,
  time: string,
): AuditCheckpoint {
  const fields = {
    index: entry.index,
    hash: entry.hash,
    count: entry.index + 1,
    time,
    keyId: publicKeyId(createPublicKey(privateKey)),
  };
  const signature = sign(null, signedMessage(fields), privateKey);
  return { ...fields, signature: signature.toString("base64") };
}

/** Tells whether the checkpoint's signature verifies under `publicKey`. */
export function verifyCheckpointSignature(
  checkpoint: AuditCheckpoint,
  publicKey: KeyObject,
): boolean {
  const signature = Buffer.from(checkpoint.signature, "base64");
  const message = signedMessage(checkpointFields(checkpoint));
  try {
    return verify(null, message, publicKey, signature);
  } catch {
    return false;
  }
}

/**
 * Builds the signed message: a fixed prefix, then the canonical JSON of
 * every checkpoint field except `signature`.
 */
function signedMessage(fields: Omit<AuditCheckpoint, "signature">): Buffer {
  return Buffer.from(SIGNED_PREFIX + canonicalJson(fields), "utf8");
}

function pemText(key: unknown): string | undefined {
  if (typeof key === "string") {
    return key;
  }
  return Buffer.isBuffer(key) ? key.toString("utf8") : undefined;
}
