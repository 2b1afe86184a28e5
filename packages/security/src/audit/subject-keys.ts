import { SecurityError, SecurityErrorCode } from "../errors.js";
import { createDataKey, unwrapKey, wrapKey } from "./personal.js";
import type { StoredSubjectKey, SubjectKeyStore } from "./types.js";

/** A subject's key for reading, or why there is none. */
export type SubjectKeyLookup =
  | { readonly status: "found"; readonly key: Buffer }
  | { readonly status: "erased" }
  | { readonly status: "missing" };

/**
 * Creates, unwraps and destroys per-subject data keys on top of a
 * {@link SubjectKeyStore}.
 */
export class SubjectKeyring {
  constructor(
    private readonly store: SubjectKeyStore,
    private readonly masterKey: Buffer | undefined,
    private readonly now: () => Date,
  ) {}

  /**
   * Returns the subject's key, creating one on first use. Throws
   * SUBJECT_ERASED for an erased subject, whose personal data is no longer
   * recorded.
   */
  async keyForWrite(subject: string): Promise<Buffer> {
    const stored = await this.store.getKey(subject);
    if (stored !== undefined) {
      return this.unwrap(stored);
    }
    if (await this.store.isErased(subject)) {
      throw erased(subject);
    }
    const dataKey = createDataKey();
    const created = await this.store.createKey({
      subject,
      key:
        this.masterKey === undefined
          ? dataKey.toString("base64")
          : wrapKey(dataKey, this.masterKey, subject),
      wrapped: this.masterKey !== undefined,
      createdAt: this.now().toISOString(),
    });
    // An erasure that ran between the check above and createKey marked the
    // subject before deleting keys, so this second check finds the mark.
    if (await this.store.isErased(subject)) {
      await this.store.deleteKey(subject);
      throw erased(subject);
    }
    return this.unwrap(created);
  }

  /** Looks up the subject's key for decryption. */
  async keyForRead(subject: string): Promise<SubjectKeyLookup> {
    const stored = await this.store.getKey(subject);
    if (stored !== undefined) {
      return { status: "found", key: this.unwrap(stored) };
    }
    return (await this.store.isErased(subject))
      ? { status: "erased" }
      : { status: "missing" };
  }

  /**
   * Marks the subject erased, then deletes its key. Returns whether a key
   * was deleted.
   */
  async destroy(subject: string): Promise<boolean> {
    await this.store.markErased(subject, this.now().toISOString());
    return this.store.deleteKey(subject);
  }

  private unwrap(stored: StoredSubjectKey): Buffer {
    if (!stored.wrapped) {
      return Buffer.from(stored.key, "base64");
    }
    if (this.masterKey === undefined) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_OPTIONS,
        `The key of subject ${JSON.stringify(stored.subject)} is wrapped ` +
          "with a master key, but the log has none. Pass the masterKey the " +
          "log was opened with before.",
        {
          issues: [
            {
              path: "masterKey",
              value: undefined,
              message: "Pass the master key.",
            },
          ],
        },
      );
    }
    try {
      return unwrapKey(stored.key, this.masterKey, stored.subject);
    } catch (error) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_OPTIONS,
        `The masterKey does not unwrap the key of subject ` +
          `${JSON.stringify(stored.subject)}. Pass the master key the key ` +
          "was created with.",
        {
          cause: error,
          issues: [
            {
              path: "masterKey",
              value: "32 bytes",
              message: "The master key does not match.",
            },
          ],
        },
      );
    }
  }
}

/** Builds the SUBJECT_ERASED error for a subject. */
export function erased(subject: string): SecurityError {
  return new SecurityError(
    SecurityErrorCode.SUBJECT_ERASED,
    `The data subject ${JSON.stringify(subject)} was erased, so its ` +
      "personal data cannot be read or recorded. Entries without personal " +
      "data may still name the subject.",
  );
}
