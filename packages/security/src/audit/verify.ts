import type { KeyObject } from "node:crypto";

import type { SecurityIssue } from "../errors.js";
import { storeFailure } from "../storage/sql.js";
import { ChainWalk, classifyBreak, type ChainBreak } from "./chain.js";
import { invalidOptions } from "./options.js";
import { publicKeyId, verifyCheckpointSignature } from "./signing.js";
import { openAuditStore, type AuditStoreOptions } from "./store.js";
import { checkStoreOptions } from "./store-options.js";
import type {
  AuditCheckpoint,
  AuditEntry,
  AuditProblem,
  AuditStore,
  AuditVerifyResult,
  StoredCheckpointRecord,
} from "./types.js";
import {
  checkVerifyOptions,
  publicKeyRequired,
  type CheckedVerifyOptions,
  type VerifyAuditLogOptions,
} from "./verify-options.js";

export type { VerifyAuditLogOptions } from "./verify-options.js";

/**
 * Verifies a stored audit log: walks the hash chain in log order and
 * checks every checkpoint's signature and hash. Returns, sorted by index,
 * every checkpoint problem, the first break in the chain, and up to 100
 * later records that are not valid entries or do not match their own
 * hash. A change that keeps each entry's own hash, such as a deletion or
 * a rehashed edit, is reported only when it is the first break. It throws
 * only when the store or the options are invalid (INVALID_OPTIONS) or the
 * store fails (STORE_FAILED).
 *
 * `store` is an opened store, or options such as `{ jsonl: "audit.jsonl" }`
 * that name one. A store opened from options is opened for reading only
 * and closed before this returns. A SQLite file must exist, but a JSON
 * Lines path that does not exist reads as an empty log, which verifies.
 */
export async function verifyAuditLog(
  store: AuditStore | AuditStoreOptions,
  options: VerifyAuditLogOptions = {},
): Promise<AuditVerifyResult> {
  const checked = checkVerifyOptions(options);
  if (canRead(store)) {
    return verifyStore(store, checked);
  }
  const issues: SecurityIssue[] = [];
  checkStoreOptions(store, issues);
  if (issues.length > 0) {
    throw invalidOptions(issues);
  }
  let opened: AuditStore;
  try {
    opened = await openAuditStore(store, { readOnly: true });
  } catch (error) {
    throw storeFailure("open the audit store to verify it", error);
  }
  try {
    return await verifyStore(opened, checked);
  } finally {
    await opened.close();
  }
}

/** Tells whether a value is a store with the methods that verifying reads. */
function canRead(value: unknown): value is AuditStore {
  const store = value as Partial<AuditStore> | null;
  return (
    typeof store?.readCheckpoints === "function" &&
    typeof store.scanEntries === "function"
  );
}

async function verifyStore(
  store: AuditStore,
  { publicKey, anchors }: CheckedVerifyOptions,
): Promise<AuditVerifyResult> {
  const checkpoints: StoredCheckpointRecord[] = [
    ...(await store.readCheckpoints()),
    ...anchors.map((checkpoint) => ({ checkpoint, location: "anchor" })),
  ];
  if (publicKey === undefined && checkpoints.length > 0) {
    throw publicKeyRequired(checkpoints.length);
  }

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

  const problems = await chainProblems(store, walk);
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

/** Describes the first break and the later records that fail on their own. */
async function chainProblems(
  store: AuditStore,
  walk: ChainWalk,
): Promise<AuditProblem[]> {
  const problems: AuditProblem[] = [];
  if (walk.break !== undefined) {
    problems.push(await describeBreak(store, walk.break));
  }
  for (const laterBreak of walk.laterBreaks) {
    problems.push(
      classifyBreak(laterBreak, { predecessors: [], successors: [] }),
    );
  }
  return problems;
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
      const placement =
        record.index === undefined
          ? " It has no readable index, so it is listed after the last entry."
          : "";
      problems.push({
        index: record.index ?? walk.maxIndex + 1,
        kind: "forged-checkpoint",
        message: `A checkpoint record${where} is not valid: ${record.malformed}.${placement}`,
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
      message: `${describeEnd(walk)}, but a signed checkpoint covers the entries up to index ${covered}.`,
    });
  }
  return problems;
}

function describeEnd(walk: ChainWalk): string {
  if (walk.records === 0) {
    return "The log is empty";
  }
  return walk.maxIndex === -1
    ? "The log has no valid entry"
    : `The log ends at index ${walk.maxIndex}`;
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
    const counted =
      checkpoint.count === 1 ? "1 entry" : `${checkpoint.count} entries`;
    return {
      index,
      kind: "forged-checkpoint",
      message: `The checkpoint at index ${index}${where} is signed but counts ${counted} instead of ${index + 1}.`,
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
