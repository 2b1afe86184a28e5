/** A value that JSON can represent exactly. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** Personal data about one data subject, such as `{ email, name }`. */
export type PersonalData = { readonly [key: string]: JsonValue };

/**
 * Personal data encrypted with AES-256-GCM under the subject's data key.
 * The three binary fields are base64.
 */
export interface EncryptedPersonalData {
  readonly alg: "AES-256-GCM";
  /** 12-byte initialization vector. */
  readonly iv: string;
  /** 16-byte authentication tag. */
  readonly tag: string;
  readonly ciphertext: string;
}

/** Outcome of an audited action, one of these or any other string. */
export type AuditOutcome = "success" | "failure" | "denied" | (string & {});

/** The fields a caller passes to `AuditLog.append`. */
export interface AuditEntryInput {
  /** Acting user id, service name or API key owner. */
  readonly actor: string;
  /** Action name, such as `"key.revoked"`. */
  readonly action: string;
  readonly outcome: AuditOutcome;
  /** Object of the action, such as a key id. */
  readonly target?: string;
  /** Id of the API key the request used. */
  readonly keyId?: string;
  readonly tenant?: string;
  readonly requestId?: string;
  /** Extra facts, stored as `JSON.stringify` writes them. */
  readonly details?: JsonValue;
  /**
   * Pseudonymous id of the data subject the entry is about. Use an opaque
   * id, not an e-mail address, because the id stays readable after erasure.
   */
  readonly subject?: string;
  /** Personal data, stored encrypted under the key of `subject`, which it needs. */
  readonly personal?: PersonalData;
}

/** One stored entry of the hash chain. */
export interface AuditEntry {
  /** Position in the chain, starting at 0 with no gaps. */
  readonly index: number;
  /** ISO 8601 time of the append, in UTC. */
  readonly time: string;
  readonly actor: string;
  readonly action: string;
  readonly outcome: string;
  readonly target?: string;
  readonly keyId?: string;
  readonly tenant?: string;
  readonly requestId?: string;
  readonly details?: JsonValue;
  readonly subject?: string;
  readonly personal?: EncryptedPersonalData;
  /** Hash of the previous entry, or 64 zeros for the first entry. */
  readonly prevHash: string;
  /** SHA-256 of the entry's canonical form, lowercase hexadecimal. */
  readonly hash: string;
}

/** A signed statement of how long the log was and what its head was. */
export interface AuditCheckpoint {
  /** Index of the last entry covered. */
  readonly index: number;
  /** Hash of the entry at `index`. */
  readonly hash: string;
  /** Number of entries covered, always `index + 1`. */
  readonly count: number;
  /** ISO 8601 time of signing. */
  readonly time: string;
  /** First 16 hexadecimal digits of the SHA-256 of the signer's public key. */
  readonly keyId: string;
  /** Ed25519 signature, base64. */
  readonly signature: string;
}

/** Kind of tampering that verification reports at an index. */
export type AuditProblemKind =
  "modified" | "deleted" | "reordered" | "truncated" | "forged-checkpoint";

/** One problem that verification found. */
export interface AuditProblem {
  /** Index of the first entry or checkpoint affected. */
  readonly index: number;
  readonly kind: AuditProblemKind;
  readonly message: string;
}

/** The result of verifying a log. */
export interface AuditVerifyResult {
  /** True when the chain and every checkpoint verify. */
  readonly ok: boolean;
  /** Number of stored entry records read, malformed ones included. */
  readonly entries: number;
  /** Number of stored checkpoint records read. */
  readonly checkpoints: number;
  /** Problems sorted by index, so the first names the first bad index. */
  readonly problems: readonly AuditProblem[];
}

/** One stored entry record, or a record that could not be read as one. */
export type StoredEntryRecord =
  | { readonly entry: AuditEntry; readonly location?: string }
  | {
      readonly entry?: undefined;
      /** Position of the record for messages, such as `"line 7"`. */
      readonly location?: string;
      /** Reason the record is not an entry. */
      readonly malformed: string;
      /** True for an incomplete last line left by an interrupted write. */
      readonly torn: boolean;
    };

/** One stored checkpoint record, or a record that could not be read. */
export type StoredCheckpointRecord =
  | { readonly checkpoint: AuditCheckpoint; readonly location?: string }
  | {
      readonly checkpoint?: undefined;
      readonly location?: string;
      readonly malformed: string;
      /** The `index` field when the record has a readable one. */
      readonly index?: number;
    };

/** Filter of `AuditLog.read`. */
export interface AuditQuery {
  /** Smallest index returned. @default 0 */
  readonly from?: number;
  /** Maximum number of entries returned. @default all */
  readonly limit?: number;
  /** Only entries about this data subject. @default all subjects */
  readonly subject?: string;
}

/** A subject's data key as stored, wrapped or not. */
export interface StoredSubjectKey {
  readonly subject: string;
  /** The 32-byte key in base64, or the wrapped key when `wrapped` is true. */
  readonly key: string;
  /** True when `key` is encrypted under the log's master key. */
  readonly wrapped: boolean;
  readonly createdAt: string;
}

/** Storage of per-subject data keys, which erasure destroys. */
export interface SubjectKeyStore {
  getKey(subject: string): Promise<StoredSubjectKey | undefined>;
  /** Stores the key unless the subject has one, and returns the stored key. */
  createKey(key: StoredSubjectKey): Promise<StoredSubjectKey>;
  /** Removes the key and returns whether there was one. */
  deleteKey(subject: string): Promise<boolean>;
  /** Records that the subject was erased. Repeated calls change nothing. */
  markErased(subject: string, time: string): Promise<void>;
  isErased(subject: string): Promise<boolean>;
}

/**
 * Storage of one audit log: its entries, its checkpoints and its subject
 * keys. Implementations keep entries append-only.
 */
export interface AuditStore {
  /** Location of the log for messages, such as a file path. */
  readonly description: string;
  readonly subjectKeys: SubjectKeyStore;
  /**
   * Appends the entry that `build` makes from the current last entry.
   * SQL stores run `build` again when another writer appended first, so it
   * must have no side effects.
   */
  appendEntry(
    build: (last: AuditEntry | undefined) => AuditEntry,
  ): Promise<AuditEntry>;
  lastEntry(): Promise<AuditEntry | undefined>;
  /** Every stored record in log order, malformed ones included. */
  scanEntries(): AsyncIterable<StoredEntryRecord>;
  readEntries(query: AuditQuery): Promise<AuditEntry[]>;
  /** Stores the checkpoint unless one exists at its index, and returns the stored one. */
  addCheckpoint(checkpoint: AuditCheckpoint): Promise<AuditCheckpoint>;
  readCheckpoints(): Promise<StoredCheckpointRecord[]>;
  /** Releases files or connections that the store opened, once. */
  close(): Promise<void>;
}
