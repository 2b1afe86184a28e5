import { SecurityError, SecurityErrorCode } from "../errors.js";
import { GENESIS_HASH, hashEntry } from "./canonical.js";
import {
  checkEntryInput,
  checkErasureReason,
  checkQuery,
  type CheckedEntryInput,
} from "./entry-input.js";
import {
  resolveAuditLogOptions,
  type AuditLogOptions,
  type ResolvedAuditLogOptions,
} from "./options.js";
import { encryptPersonal } from "./personal.js";
import { readPersonal, type AuditRecord } from "./read.js";
import { SerialQueue } from "./queue.js";
import { signCheckpoint } from "./signing.js";
import { isAuditStore, openAuditStore } from "./store.js";
import { erased, SubjectKeyring } from "./subject-keys.js";
import type {
  AuditCheckpoint,
  AuditEntry,
  AuditEntryInput,
  AuditQuery,
  AuditStore,
  AuditVerifyResult,
  EncryptedPersonalData,
  PersonalData,
} from "./types.js";
import { verifyAuditLog } from "./verify.js";

/** Options of {@link AuditLog.eraseSubject}. */
export interface EraseSubjectOptions {
  /** Reason for the erasure, such as `"erasure request 2024-118"`. */
  readonly reason: string;
  /** Actor recorded in the tombstone. @default "system" */
  readonly actor?: string;
  readonly requestId?: string;
  readonly tenant?: string;
}

/** The action of the entry that records an erasure. */
export const SUBJECT_ERASED_ACTION = "subject.erased";

/**
 * Opens an audit log: a hash chain of append-only entries with signed
 * checkpoints and per-subject encryption of personal data. Throws
 * INVALID_OPTIONS listing every invalid option.
 */
export async function openAuditLog(
  options: AuditLogOptions,
): Promise<AuditLog> {
  const resolved = resolveAuditLogOptions(options);
  const owned = !isAuditStore(resolved.store);
  const store = isAuditStore(resolved.store)
    ? resolved.store
    : await openAuditStore(resolved.store);
  return new AuditLog(store, resolved, owned);
}

/**
 * A tamper-evident audit log. Appends in one process run one at a time,
 * and SQL stores also keep writers in several processes on one chain.
 */
export class AuditLog {
  private readonly queue = new SerialQueue();
  private readonly keyring: SubjectKeyring;
  private closed = false;
  /** True when an automatic checkpoint failed and is still owed. */
  private checkpointOwed = false;

  /** Use {@link openAuditLog}, which checks the options. */
  constructor(
    /** The store the log writes to. */
    readonly store: AuditStore,
    private readonly options: ResolvedAuditLogOptions,
    private readonly ownsStore: boolean,
  ) {
    this.keyring = new SubjectKeyring(
      store.subjectKeys,
      options.masterKey,
      options.now,
    );
  }

  /**
   * Appends an entry and returns it as stored. `personal` is encrypted
   * under the subject's key first. Throws INVALID_INPUT for invalid fields
   * and SUBJECT_ERASED for personal data about an erased subject.
   */
  async append(input: AuditEntryInput): Promise<AuditEntry> {
    const checked = checkEntryInput(input);
    this.assertOpen();
    return this.queue.run(() => this.appendChecked(checked));
  }

  /**
   * Signs a checkpoint over the whole log now and stores it. Returns the
   * stored checkpoint instead when the last entry already has one.
   */
  async checkpoint(): Promise<AuditCheckpoint> {
    this.assertOpen();
    const signingKey = this.options.signingKey;
    if (signingKey === undefined) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_OPTIONS,
        "checkpoint() needs signingKey. Open the log with an Ed25519 private key.",
        {
          issues: [
            {
              path: "signingKey",
              value: undefined,
              message: "Pass a signing key.",
            },
          ],
        },
      );
    }
    return this.queue.run(async () => {
      const last = await this.store.lastEntry();
      if (last === undefined) {
        throw new SecurityError(
          SecurityErrorCode.NOT_FOUND,
          "The audit log has no entries for a checkpoint to cover. Append one first.",
        );
      }
      return this.writeCheckpoint(last);
    });
  }

  /**
   * Reads entries with their personal data decrypted where the subject's
   * key exists. Entries of erased subjects come back with `personalState`
   * `"erased"` and no personal data.
   */
  async read(query: AuditQuery = {}): Promise<AuditRecord[]> {
    checkQuery(query);
    const entries = await this.store.readEntries(query);
    return readPersonal(entries, this.keyring);
  }

  /**
   * Decrypts the personal data of one entry, or returns undefined when it
   * has none. Throws SUBJECT_ERASED when the subject was erased.
   */
  async decrypt(entry: AuditEntry): Promise<PersonalData | undefined> {
    const [record] = await readPersonal([entry], this.keyring);
    if (record?.personalState === "erased" && entry.subject !== undefined) {
      throw erased(entry.subject);
    }
    if (record?.personalState === "key-missing") {
      throw new SecurityError(
        SecurityErrorCode.NOT_FOUND,
        `No key exists for subject ${JSON.stringify(entry.subject)} and no ` +
          "erasure was recorded. Open the log with the subject key store it was written with.",
      );
    }
    return record?.personal;
  }

  /**
   * Destroys the subject's data key, so the personal data of its entries
   * can no longer be decrypted, and appends a tombstone entry (action
   * `subject.erased`, with the reason and no personal data). The chain
   * and checkpoints still verify, because hashes cover only ciphertext.
   * Returns the tombstone. Calling it again appends another tombstone.
   */
  async eraseSubject(
    subject: string,
    options: EraseSubjectOptions,
  ): Promise<AuditEntry> {
    const reason = checkErasureReason(options.reason);
    const checked = checkEntryInput({
      actor: options.actor ?? "system",
      action: SUBJECT_ERASED_ACTION,
      outcome: "success",
      subject,
      requestId: options.requestId,
      tenant: options.tenant,
    });
    this.assertOpen();
    return this.queue.run(async () => {
      const keyDestroyed = await this.keyring.destroy(subject);
      return this.appendChecked({
        ...checked,
        fields: { ...checked.fields, details: { reason, keyDestroyed } },
      });
    });
  }

  /** Verifies the chain and checkpoints with the log's public key. */
  verify(): Promise<AuditVerifyResult> {
    return verifyAuditLog(this.store, { publicKey: this.options.publicKey });
  }

  /** Waits for queued appends, then closes the store if the log opened it. */
  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await this.queue.drain();
    if (this.ownsStore) {
      await this.store.close();
    }
  }

  private async appendChecked(checked: CheckedEntryInput): Promise<AuditEntry> {
    const personal = await this.encrypt(checked);
    const time = this.options.now().toISOString();
    const entry = await this.store.appendEntry((last) =>
      buildEntry(last, { ...checked.fields, personal }, time),
    );
    await this.checkpointIfDue(entry);
    return entry;
  }

  private async encrypt(
    checked: CheckedEntryInput,
  ): Promise<EncryptedPersonalData | undefined> {
    const subject = checked.fields.subject;
    if (checked.personal === undefined || subject === undefined) {
      return undefined;
    }
    const key = await this.keyring.keyForWrite(subject);
    return encryptPersonal(checked.personal, key, subject);
  }

  /**
   * Writes the automatic checkpoint when `entry` completes an interval, or
   * when an earlier one failed. A failure here leaves the entry stored and
   * the checkpoint owed, so the append itself still succeeds.
   */
  private async checkpointIfDue(entry: AuditEntry): Promise<void> {
    const every = this.options.checkpointEvery;
    if (every === 0 || this.options.signingKey === undefined) {
      return;
    }
    if (!this.checkpointOwed && (entry.index + 1) % every !== 0) {
      return;
    }
    try {
      await this.writeCheckpoint(entry);
      this.checkpointOwed = false;
    } catch (error) {
      this.checkpointOwed = true;
      this.options.onCheckpointError(error, entry);
    }
  }

  private writeCheckpoint(entry: AuditEntry): Promise<AuditCheckpoint> {
    const signingKey = this.options.signingKey;
    if (signingKey === undefined) {
      throw new Error("A checkpoint was requested without a signing key.");
    }
    const time = this.options.now().toISOString();
    return this.store.addCheckpoint(signCheckpoint(entry, signingKey, time));
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new SecurityError(
        SecurityErrorCode.STORE_FAILED,
        "The audit log is closed. Open a new one with openAuditLog().",
      );
    }
  }
}

/** Builds the next entry after `last` and computes its hash. */
function buildEntry(
  last: AuditEntry | undefined,
  fields: CheckedEntryInput["fields"] & { personal?: EncryptedPersonalData },
  time: string,
): AuditEntry {
  const body: Record<string, unknown> = {
    index: last === undefined ? 0 : last.index + 1,
    time,
  };
  for (const [name, value] of Object.entries(
    fields as Record<string, unknown>,
  )) {
    if (value !== undefined) {
      body[name] = value;
    }
  }
  body.prevHash = last?.hash ?? GENESIS_HASH;
  const entry = body as unknown as Omit<AuditEntry, "hash">;
  return { ...entry, hash: hashEntry(entry) };
}
