import type { KeyObject } from "node:crypto";

import {
  describeValue,
  SecurityError,
  SecurityErrorCode,
  type SecurityIssue,
} from "../errors.js";
import { checkKnownNames } from "../keys/validation.js";
import { invalidOptions } from "./options.js";
import { parseCheckpoint } from "./records.js";
import { toPublicKey, type Ed25519Key } from "./signing.js";
import type { AuditCheckpoint } from "./types.js";

/** Options of `verifyAuditLog`. */
export interface VerifyAuditLogOptions {
  /**
   * Ed25519 public key (KeyObject or PEM) that checkpoints must verify
   * with. Required when the store or `anchors` contain checkpoints.
   */
  readonly publicKey?: Ed25519Key;
  /**
   * Checkpoints kept outside the store, such as copies sent to another
   * system, checked like stored ones. They reveal a cut that also removed
   * the stored checkpoints, which stored checkpoints alone cannot.
   * @default []
   */
  readonly anchors?: readonly AuditCheckpoint[];
}

/** Verification options after checking. */
export interface CheckedVerifyOptions {
  readonly publicKey: KeyObject | undefined;
  readonly anchors: readonly AuditCheckpoint[];
}

/**
 * Checks the options of `verifyAuditLog`. Throws one INVALID_OPTIONS
 * error that lists every invalid option.
 */
export function checkVerifyOptions(options: unknown): CheckedVerifyOptions {
  if (typeof options !== "object" || options === null) {
    throw invalidOptions([
      {
        path: "",
        value: describeValue(options),
        message: "Pass an options object, such as { publicKey }, or nothing.",
      },
    ]);
  }
  const record = options as Record<string, unknown>;
  const { publicKey, anchors } = record;
  const issues: SecurityIssue[] = [];
  checkKnownNames(record, ["publicKey", "anchors"], issues);
  const checked = {
    publicKey: checkPublicKey(publicKey, issues),
    anchors: checkAnchors(anchors, issues),
  };
  if (issues.length > 0) {
    throw invalidOptions(issues);
  }
  return checked;
}

/** Builds the INVALID_OPTIONS error for a log with checkpoints but no key. */
export function publicKeyRequired(checkpointCount: number): SecurityError {
  const checkpoints =
    checkpointCount === 1 ? "1 checkpoint" : `${checkpointCount} checkpoints`;
  const message =
    `The log has ${checkpoints}, so publicKey is required. ` +
    "Pass the Ed25519 public key (PEM) that matches the signing key.";
  return new SecurityError(SecurityErrorCode.INVALID_OPTIONS, message, {
    issues: [{ path: "publicKey", value: undefined, message }],
  });
}

function checkPublicKey(
  key: unknown,
  issues: SecurityIssue[],
): KeyObject | undefined {
  if (key === undefined) {
    return undefined;
  }
  const publicKey = toPublicKey(key);
  if (typeof publicKey === "string") {
    issues.push({
      path: "publicKey",
      value:
        typeof key === "string"
          ? `a string of ${key.length} characters`
          : describeValue(key),
      message: `The publicKey ${publicKey}. Pass an Ed25519 public key as PEM or a KeyObject.`,
    });
    return undefined;
  }
  return publicKey;
}

function checkAnchors(
  anchors: unknown,
  issues: SecurityIssue[],
): readonly AuditCheckpoint[] {
  if (anchors === undefined) {
    return [];
  }
  if (!Array.isArray(anchors)) {
    issues.push({
      path: "anchors",
      value: describeValue(anchors),
      message:
        "anchors must be an array of checkpoints, as checkpoint() returns them.",
    });
    return [];
  }
  const checked: AuditCheckpoint[] = [];
  for (const [position, anchor] of anchors.entries()) {
    const checkpoint = parseCheckpoint(anchor);
    if (typeof checkpoint === "string") {
      issues.push({
        path: `anchors[${position}]`,
        value: describeValue(anchor),
        message: `anchors[${position}] is not a checkpoint: ${checkpoint}. Pass checkpoints as checkpoint() returns them.`,
      });
    } else {
      checked.push(checkpoint);
    }
  }
  return checked;
}
