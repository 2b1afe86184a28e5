import { createPublicKey, KeyObject } from "node:crypto";

import {
  describeValue,
  SecurityError,
  SecurityErrorCode,
  type SecurityIssue,
} from "../errors.js";
import { checkKnownNames } from "../keys/validation.js";
import { DATA_KEY_BYTES } from "./personal.js";
import { toPrivateKey, toPublicKey, type Ed25519Key } from "./signing.js";
import type { AuditStoreOptions } from "./store.js";
import { checkStoreOptions } from "./store-options.js";
import type { AuditEntry, AuditStore } from "./types.js";

/** Options of {@link openAuditLog}. */
export interface AuditLogOptions {
  /**
   * The store, or options to open one: `{ jsonl: "audit.jsonl" }`,
   * `{ sqlite: "audit.db" }` or `{ postgres: "postgres://..." }`. The log
   * closes a store only if it opened it.
   */
  readonly store: AuditStore | AuditStoreOptions;
  /**
   * Ed25519 private key (KeyObject or PEM) that signs checkpoints.
   * @default none, so the log writes no checkpoints
   */
  readonly signingKey?: Ed25519Key;
  /**
   * Ed25519 public key that `verify()` checks checkpoints with. It must
   * match `signingKey` when both are given.
   * @default derived from `signingKey`
   */
  readonly publicKey?: Ed25519Key;
  /**
   * Number of entries between automatic checkpoints. With 0, checkpoints
   * are written only when `checkpoint()` is called. Needs `signingKey`
   * unless 0.
   * @default 1000 with a signing key, else 0
   */
  readonly checkpointEvery?: number;
  /**
   * 32-byte key that encrypts (wraps) each subject's data key at rest with
   * AES-256-GCM.
   * @default none, so subject keys are stored unwrapped
   */
  readonly masterKey?: Uint8Array;
  /** Clock for entry and checkpoint times. @default () => new Date() */
  readonly now?: () => Date;
  /**
   * Called when an automatic checkpoint fails. The append that triggered
   * it still succeeds, and the next append tries the checkpoint again.
   * @default ignores the error
   */
  readonly onCheckpointError?: (error: unknown, entry: AuditEntry) => void;
}

/** Options after checking, with keys parsed and defaults applied. */
export interface ResolvedAuditLogOptions {
  readonly store: AuditStore | AuditStoreOptions;
  readonly signingKey: KeyObject | undefined;
  readonly publicKey: KeyObject | undefined;
  readonly checkpointEvery: number;
  readonly masterKey: Buffer | undefined;
  readonly now: () => Date;
  readonly onCheckpointError: (error: unknown, entry: AuditEntry) => void;
}

const DEFAULT_CHECKPOINT_EVERY = 1000;

const OPTION_NAMES: readonly (keyof AuditLogOptions)[] = [
  "store",
  "signingKey",
  "publicKey",
  "checkpointEvery",
  "masterKey",
  "now",
  "onCheckpointError",
];

/**
 * Checks audit log options and applies defaults. Throws one
 * INVALID_OPTIONS error that lists every invalid option.
 */
export function resolveAuditLogOptions(
  options: AuditLogOptions,
): ResolvedAuditLogOptions {
  const issues: SecurityIssue[] = [];
  const received: unknown = options;
  if (typeof received !== "object" || received === null) {
    throw invalidOptions([
      {
        path: "",
        value: received,
        message: "Pass an options object with a store.",
      },
    ]);
  }

  checkKnownNames(received as Record<string, unknown>, OPTION_NAMES, issues);
  checkStoreOptions(options.store, issues);
  const signingKey = parseKey(
    options.signingKey,
    "signingKey",
    toPrivateKey,
    issues,
  );
  const publicKey = resolvePublicKey(options.publicKey, signingKey, issues);
  const checkpointEvery = checkCheckpointEvery(
    options.checkpointEvery,
    signingKey,
    issues,
  );
  const masterKey = checkMasterKey(options.masterKey, issues);
  for (const name of ["now", "onCheckpointError"] as const) {
    const value: unknown = options[name];
    if (value !== undefined && typeof value !== "function") {
      issues.push({
        path: name,
        value,
        message: `${name} must be a function.`,
      });
    }
  }

  if (issues.length > 0) {
    throw invalidOptions(issues);
  }
  return {
    store: options.store,
    signingKey,
    publicKey,
    checkpointEvery,
    masterKey,
    now: options.now ?? (() => new Date()),
    onCheckpointError: options.onCheckpointError ?? (() => undefined),
  };
}

function parseKey(
  key: unknown,
  path: string,
  parse: (key: unknown) => KeyObject | string,
  issues: SecurityIssue[],
): KeyObject | undefined {
  if (key === undefined) {
    return undefined;
  }
  const parsed = parse(key);
  if (typeof parsed === "string") {
    issues.push({
      path,
      value: describeKey(key),
      message: `${path} ${parsed}. Pass an Ed25519 key as PEM or a KeyObject, e.g. from generateKeyPairSync("ed25519").`,
    });
    return undefined;
  }
  return parsed;
}

/** Describes a key without its bytes, since a private key is a secret. */
function describeKey(key: unknown): string {
  if (typeof key === "string") {
    return `a string of ${key.length} characters`;
  }
  return key instanceof KeyObject
    ? `a ${key.type} KeyObject`
    : describeValue(key);
}

function resolvePublicKey(
  key: unknown,
  signingKey: KeyObject | undefined,
  issues: SecurityIssue[],
): KeyObject | undefined {
  const publicKey = parseKey(key, "publicKey", toPublicKey, issues);
  const derived =
    signingKey === undefined ? undefined : createPublicKey(signingKey);
  if (
    publicKey !== undefined &&
    derived !== undefined &&
    !publicKey.equals(derived)
  ) {
    issues.push({
      path: "publicKey",
      value: describeKey(key),
      message:
        "publicKey does not match signingKey. Pass the public half of the signing key, or leave publicKey out.",
    });
  }
  return publicKey ?? derived;
}

function checkCheckpointEvery(
  value: unknown,
  signingKey: KeyObject | undefined,
  issues: SecurityIssue[],
): number {
  if (value === undefined) {
    return signingKey === undefined ? 0 : DEFAULT_CHECKPOINT_EVERY;
  }
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    issues.push({
      path: "checkpointEvery",
      value,
      message: `checkpointEvery must be a whole number of entries, 0 or more; got ${describeValue(value)}.`,
    });
    return 0;
  }
  if (value > 0 && signingKey === undefined) {
    issues.push({
      path: "checkpointEvery",
      value,
      message:
        "checkpointEvery needs signingKey, because checkpoints are signed. Pass an Ed25519 private key or set checkpointEvery to 0.",
    });
  }
  return value;
}

function checkMasterKey(
  value: unknown,
  issues: SecurityIssue[],
): Buffer | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!(value instanceof Uint8Array) || value.length !== DATA_KEY_BYTES) {
    const size =
      value instanceof Uint8Array
        ? `${value.length} bytes`
        : describeValue(value);
    issues.push({
      path: "masterKey",
      value: size,
      message: `masterKey must be ${DATA_KEY_BYTES} random bytes (a Uint8Array); got ${size}. Create one with crypto.randomBytes(32) and keep it outside the store.`,
    });
    return undefined;
  }
  // Copy so a caller who zeroes their buffer does not change the log's key.
  return Buffer.from(value);
}

/** Builds the INVALID_OPTIONS error for a list of issues. */
export function invalidOptions(
  issues: readonly SecurityIssue[],
): SecurityError {
  const count =
    issues.length === 1
      ? "1 invalid option"
      : `${issues.length} invalid options`;
  return new SecurityError(
    SecurityErrorCode.INVALID_OPTIONS,
    `${count}: ${issues.map((issue) => issue.message).join(" ")}`,
    { issues },
  );
}
