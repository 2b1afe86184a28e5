import type { KeyObject } from "node:crypto";

import { SecurityError, SecurityErrorCode } from "../errors.js";
import { ChainWalk, classifyBreak, type ChainBreak } from "./chain.js";
import {
  publicKeyId,
  toPublicKey,
  verifyCheckpointSignature,
  type Ed25519Key,
} from "./signing.js";
import type {
  AuditCheckpoint,
  AuditEntry,
  AuditProblem,
  AuditStore,
  AuditVerifyResult,
  StoredCheckpointRecord,
} from "./types.js";

/** Options of {@link verifyAuditLog}. */
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

/**
 * Verifies a stored audit log: walks the hash chain in log order and
 * checks every checkpoint's signature and hash. Returns every checkpoint
 * problem and the first chain problem, sorted by index. It throws only when
 * the options are invalid or the store fails (STORE_FAILED).
 */
export async function verifyAuditLog(
  store: AuditStore,
  options: VerifyAuditLogOptions = {},
): Promise<AuditVerifyResult> {
  const checkpoints: StoredCheckpointRecord[] = [
    ...(await store.readCheckpoints()),
    ...(options.anchors ?? []).map((checkpoint) => ({
      checkpoint,
      location: "anchor",
    })),
  ];
  const publicKey = verificationKey(options.publicKey, checkpoints.length);

  const watched = new Set<number>();
  for (const record of checkpoints) {
    if (record.checkpoint !== undefined) {
      watched.add(record.checkpoint.index);
    }
  }
  const walk = new ChainWalk(watched);
  for await (const record of store.scanEntries()) {
    walk.add(record);
  }

  const problems: AuditProblem[] = [];
  if (walk.break !== undefined) {
    problems.push(await describeBreak(store, walk.break));
  }
  if (publicKey !== undefined) {
    problems.push(...checkCheckpoints(checkpoints, publicKey, walk));
  }
  return {
    ok: problems.length === 0,
    entries: walk.records,
    checkpoints: checkpoints.length,
    problems: sortProblems(problems),
  };
}

function verificationKey(
  key: Ed25519Key | undefined,
  checkpointCount: number,
): KeyObject | undefined {
  if (key === undefined) {
    if (checkpointCount === 0) {
      return undefined;
    }
    throw invalidKey(
      undefined,
      `The log has ${checkpointCount} checkpoints, so publicKey is required. ` +
        "Pass the Ed25519 public key (PEM) that matches the signing key.",
    );
  }
  const publicKey = toPublicKey(key);
  if (typeof publicKey === "string") {
    throw invalidKey(
      key,
      `The publicKey ${publicKey}. Pass an Ed25519 public key as PEM or a KeyObject.`,
    );
  }
  return publicKey;
}

function invalidKey(value: unknown, message: string): SecurityError {
  return new SecurityError(SecurityErrorCode.INVALID_OPTIONS, message, {
    issues: [{ path: "publicKey", value, message }],
  });
}

/** Reads the log a second time to find the break's chain neighbors. */
async function describeBreak(
  store: AuditStore,
  chainBreak: ChainBreak,
): Promise<AuditProblem> {
  const broken = chainBreak.record.entry;
  const predecessors: AuditEntry[] = [];
  const successors: AuditEntry[] = [];
  if (broken !== undefined) {
    for await (const { entry } of store.scanEntries()) {
      if (entry === undefined || entry === broken) {
        continue;
      }
      if (entry.hash === broken.prevHash) {
        predecessors.push(entry);
      }
      if (entry.prevHash === broken.hash) {
        successors.push(entry);
      }
    }
  }
  return classifyBreak(chainBreak, { predecessors, successors });
}

/**
 * Checks each checkpoint's signature and compares its hash with the entry
 * stored at its index. A log that ends before the highest checkpoint is
 * reported once, at the first missing index.
 */
function checkCheckpoints(
  records: readonly StoredCheckpointRecord[],
  publicKey: KeyObject,
  walk: ChainWalk,
): AuditProblem[] {
  const problems: AuditProblem[] = [];
  const expectedKeyId = publicKeyId(publicKey);
  let covered = -1;
  for (const record of records) {
    const where = record.location === undefined ? "" : ` (${record.location})`;
    if (record.checkpoint === undefined) {
      problems.push({
        index: record.index ?? walk.maxIndex + 1,
        kind: "forged-checkpoint",
        message: `A checkpoint record${where} is not valid: ${record.malformed}.`,
      });
      continue;
    }
    const problem = checkCheckpoint(record.checkpoint, where, publicKey, {
      expectedKeyId,
      storedHash: walk.hashesAt.get(record.checkpoint.index),
    });
    if (problem === undefined || problem.kind === "truncated") {
      covered = Math.max(covered, record.checkpoint.index);
    }
    if (problem !== undefined) {
      problems.push(problem);
    }
  }
  if (covered > walk.maxIndex) {
    problems.push({
      index: walk.maxIndex + 1,
      kind: "truncated",
      message:
        `The log ends at index ${walk.maxIndex}, but a signed checkpoint ` +
        `covers the entries up to index ${covered}.`,
    });
  }
  return problems;
}

function checkCheckpoint(
  checkpoint: AuditCheckpoint,
  where: string,
  publicKey: KeyObject,
  context: { expectedKeyId: string; storedHash: string | undefined },
): AuditProblem | undefined {
  const { index } = checkpoint;
  if (!verifyCheckpointSignature(checkpoint, publicKey)) {
    const otherKey =
      checkpoint.keyId === context.expectedKeyId
        ? ""
        : ` It names key ${checkpoint.keyId}; the given key is ${context.expectedKeyId}.`;
    return {
      index,
      kind: "forged-checkpoint",
      message: `The signature of the checkpoint at index ${index}${where} does not verify with the given public key.${otherKey}`,
    };
  }
  if (checkpoint.count !== index + 1) {
    return {
      index,
      kind: "forged-checkpoint",
      message: `The checkpoint at index ${index}${where} is signed but counts ${checkpoint.count} entries instead of ${index + 1}.`,
    };
  }
  if (
    context.storedHash !== undefined &&
    context.storedHash !== checkpoint.hash
  ) {
    return {
      index,
      kind: "truncated",
      message: `The entry at index ${index} has a different hash from the one the checkpoint signed, so the log was cut and written again from here.`,
    };
  }
  return undefined;
}

/** Sorts by index, keeps the first of equal problems, and keeps chain problems first among equal indexes. */
function sortProblems(problems: readonly AuditProblem[]): AuditProblem[] {
  const seen = new Set<string>();
  const unique = problems.filter((problem) => {
    const key = `${problem.index}:${problem.kind}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
  return unique.sort((a, b) => a.index - b.index);
}
