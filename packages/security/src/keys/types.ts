/**
 * One API key as its owner and administrators see it. Times are epoch
 * milliseconds; `null` means "not set".
 */
export interface ApiKeyRecord {
  /** Public key id: the first 16 characters of the key's random part. */
  readonly id: string;
  readonly tenant: string;
  /** Label chosen by the owner, such as "CI pipeline". */
  readonly name: string | null;
  /** Environment name written in the key, such as `live` or `test`. */
  readonly env: string;
  /** Granted scopes; see `hasScope` for how they match. */
  readonly scopes: readonly string[];
  readonly createdAt: number;
  /** The key stops working at this time. */
  readonly expiresAt: number | null;
  /** The key stopped working at this time because it was revoked. */
  readonly revokedAt: number | null;
  /**
   * Time of a recent successful authentication. It is written at most
   * once every `lastUsedIntervalMs`, so it may lag by up to that much.
   */
  readonly lastUsedAt: number | null;
  /** Id of the key this one replaced by rotation. */
  readonly rotatedFrom: string | null;
  /** Id of the key that replaced this one by rotation. */
  readonly replacedBy: string | null;
  /** After rotation, the old key stops working at this time. */
  readonly graceUntil: number | null;
}

/** An API key record with the keyed hash that stores keep. */
export interface StoredApiKey extends ApiKeyRecord {
  /** HMAC-SHA-256 of the whole key under the pepper, as hexadecimal. */
  readonly hash: string;
}

/** The fields of a stored key that change after creation. */
export type ApiKeyChanges = Partial<
  Pick<StoredApiKey, "revokedAt" | "lastUsedAt" | "replacedBy" | "graceUntil">
>;

/**
 * Storage of API key records. Implementations: the memory store, and the
 * SQL store for SQLite and PostgreSQL. Stores keep records as given and
 * check nothing beyond what each method states.
 */
export interface ApiKeyStore {
  /**
   * Adds a key.
   * @throws SecurityError CONFLICT when a key with this id exists.
   */
  insert(key: StoredApiKey): Promise<void>;
  /** Reads a key by id. */
  get(id: string): Promise<StoredApiKey | undefined>;
  /** Reads the keys of one tenant, oldest first, then by id. */
  list(tenant: string): Promise<StoredApiKey[]>;
  /** Changes fields of a key; returns the new record, or undefined if absent. */
  update(id: string, changes: ApiKeyChanges): Promise<StoredApiKey | undefined>;
  /**
   * Sets `lastUsedAt` to `at` unless it is already later than
   * `at - intervalMs`, in one conditional write, so concurrent callers
   * write at most once an interval. Returns whether it wrote.
   */
  touch(id: string, at: number, intervalMs: number): Promise<boolean>;
  /**
   * Inserts `successor` and marks `previousId` as replaced by it with the
   * grace end `graceUntil`, in one transaction.
   * @throws SecurityError CONFLICT when the previous key is missing, is
   * revoked, or was already replaced, and then changes nothing.
   */
  rotate(
    previousId: string,
    graceUntil: number,
    successor: StoredApiKey,
  ): Promise<StoredApiKey>;
  /** Releases the database client if the store opened it; idempotent. */
  close(): Promise<void>;
}
