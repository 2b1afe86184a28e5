import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { generateApiKey, parseApiKey } from "./format.js";
import { hashApiKey, verifyApiKeyHash } from "./hash.js";
import {
  assertRotatable,
  assertUsable,
  invalidApiKey,
  keyNotFound,
  toRecord,
} from "./key-state.js";
import { checkCreateInput, checkRotateOptions } from "./key-input.js";
import {
  checkManagerOptions,
  type ApiKeyManagerOptions,
  type AuthenticateOptions,
  type CreateApiKeyInput,
  type ManagerSettings,
  type RotateApiKeyOptions,
} from "./options.js";
import { hasScope, isValidRequiredScope } from "./scopes.js";
import type { ApiKeyRecord, StoredApiKey } from "./types.js";
import {
  checkId,
  checkStorableText,
  requireObject,
  throwIfInvalid,
} from "./validation.js";

/** A new key: the whole key, shown once, and its record. */
export interface CreatedApiKey {
  /** The whole key. It is not stored, so it cannot be shown again. */
  readonly key: string;
  readonly record: ApiKeyRecord;
}

/** The result of {@link ApiKeyManager.rotate}. */
export interface RotatedApiKey extends CreatedApiKey {
  /** The old key's record, now with `replacedBy` and `graceUntil` set. */
  readonly previous: ApiKeyRecord;
}

/**
 * Creates, checks, revokes and rotates API keys of tenants. Stores keep
 * only an HMAC-SHA-256 of each key under the server's pepper; the whole
 * key is returned once, by {@link ApiKeyManager.create} or
 * {@link ApiKeyManager.rotate}, and never logged.
 */
export class ApiKeyManager {
  private readonly settings: ManagerSettings;

  /** @throws SecurityError INVALID_OPTIONS listing every invalid option. */
  constructor(options: ApiKeyManagerOptions) {
    this.settings = checkManagerOptions(options);
  }

  /**
   * Creates a key for a tenant and stores its hash.
   * @throws SecurityError INVALID_OPTIONS for invalid input, or
   * STORE_FAILED when the store fails.
   */
  async create(input: CreateApiKeyInput): Promise<CreatedApiKey> {
    const now = this.settings.clock();
    const checked = checkCreateInput(input, now, this.settings.env);
    const { key, id } = generateApiKey(checked.env);
    const stored: StoredApiKey = {
      id,
      tenant: checked.tenant,
      name: checked.name,
      env: checked.env,
      scopes: checked.scopes,
      hash: this.hash(key),
      createdAt: now,
      expiresAt: checked.expiresAt,
      revokedAt: null,
      lastUsedAt: null,
      rotatedFrom: null,
      replacedBy: null,
      graceUntil: null,
    };
    await this.settings.store.insert(stored);
    return { key, record: toRecord(stored) };
  }

  /**
   * Checks a key and returns its record. The shape and checksum are
   * checked offline first, so a mistyped key never reaches the store.
   * A successful check writes `lastUsedAt` when the last write is at
   * least `lastUsedIntervalMs` old.
   *
   * @throws SecurityError API_KEY_INVALID when the key is malformed,
   * unknown, wrong, revoked, expired or past its rotation grace period.
   * Unknown and wrong keys get the same message.
   */
  async authenticate(
    key: string,
    options: AuthenticateOptions = {},
  ): Promise<ApiKeyRecord> {
    const now = this.timeOf(options);
    const { id } = parseApiKey(key);
    const stored = await this.settings.store.get(id);
    // The hash is computed for unknown ids too, so both failures take
    // about the same time.
    const matched = verifyApiKeyHash(
      this.settings.peppers,
      key,
      stored?.hash ?? "",
    );
    if (stored === undefined || !matched) {
      throw invalidApiKey();
    }
    assertUsable(stored, now);
    return this.recordUse(stored, now);
  }

  /**
   * Checks that a key grants `scope`, and denies by default. Pass a
   * record that {@link ApiKeyManager.authenticate} returned, because this
   * check reads only the scopes.
   * @throws SecurityError PERMISSION_DENIED naming the missing scope, or
   * INVALID_INPUT when `scope` is not a scope without wildcards.
   */
  authorize(record: ApiKeyRecord, scope: string): void {
    if (!isValidRequiredScope(scope)) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `The required scope ${describeValue(scope)} is invalid: pass ` +
          'lowercase segments joined by ":" without wildcards, such as ' +
          '"compress:stream".',
      );
    }
    if (!hasScope(record.scopes, scope)) {
      throw new SecurityError(
        SecurityErrorCode.PERMISSION_DENIED,
        `The API key ${record.id} lacks the scope "${scope}". Use a key ` +
          `granted "${scope}" or a wildcard that covers it.`,
      );
    }
  }

  /**
   * Reads one key's record.
   * @throws SecurityError NOT_FOUND when no key has this id, or
   * INVALID_INPUT when the id has a lone surrogate or a NUL character.
   */
  async get(id: string): Promise<ApiKeyRecord> {
    return toRecord(await this.read(id));
  }

  /**
   * Lists the keys of one tenant, oldest first, including revoked,
   * expired and replaced keys.
   */
  async list(options: { readonly tenant: string }): Promise<ApiKeyRecord[]> {
    const record = requireObject(options, "List options", '{ tenant: "acme" }');
    const issues: SecurityIssue[] = [];
    checkId(record.tenant, "tenant", issues);
    throwIfInvalid(issues);
    const keys = await this.settings.store.list(options.tenant);
    return keys.map(toRecord);
  }

  /**
   * Revokes a key from now on. Revoking a revoked key changes nothing and
   * returns its record.
   * @throws SecurityError NOT_FOUND when no key has this id, or
   * INVALID_INPUT when the id has a lone surrogate or a NUL character.
   */
  async revoke(id: string): Promise<ApiKeyRecord> {
    const stored = await this.read(id);
    if (stored.revokedAt !== null) {
      return toRecord(stored);
    }
    const now = this.settings.clock();
    const revoked = await this.settings.store.update(id, { revokedAt: now });
    if (revoked === undefined) {
      throw keyNotFound(id);
    }
    return toRecord(revoked);
  }

  /**
   * Replaces a key by a new one with the same tenant, name, environment
   * and scopes. The old key keeps working until `graceMs` after now, and
   * fails from then on.
   * @throws SecurityError NOT_FOUND for an unknown id, CONFLICT when the
   * key is revoked, expired or already replaced, INVALID_OPTIONS for
   * invalid options, INVALID_INPUT for an id with a lone surrogate or a
   * NUL character.
   */
  async rotate(
    id: string,
    options: RotateApiKeyOptions = {},
  ): Promise<RotatedApiKey> {
    const now = this.settings.clock();
    const checked = checkRotateOptions(options, now);
    const previous = await this.read(id);
    assertRotatable(previous, now);
    const { key, id: nextId } = generateApiKey(previous.env);
    const successor: StoredApiKey = {
      ...previous,
      id: nextId,
      hash: this.hash(key),
      createdAt: now,
      expiresAt:
        checked.expiresAt === undefined
          ? previous.expiresAt
          : checked.expiresAt,
      lastUsedAt: null,
      rotatedFrom: previous.id,
      replacedBy: null,
      graceUntil: null,
    };
    const graceUntil = now + checked.graceMs;
    const replaced = await this.settings.store.rotate(
      id,
      graceUntil,
      successor,
    );
    return { key, record: toRecord(successor), previous: toRecord(replaced) };
  }

  private async read(id: string): Promise<StoredApiKey> {
    if (typeof id !== "string") {
      throw keyNotFound(id);
    }
    const issues: SecurityIssue[] = [];
    if (!checkStorableText(id, "id", issues)) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_INPUT,
        `The API key id is invalid: ${issues.map((issue) => issue.message).join(" ")}`,
        { issues },
      );
    }
    const stored = await this.settings.store.get(id);
    if (stored === undefined) {
      throw keyNotFound(id);
    }
    return stored;
  }

  private hash(key: string): string {
    const [pepper] = this.settings.peppers;
    // checkManagerOptions puts the current pepper first and rejects
    // options without one.
    return hashApiKey(pepper as Buffer, key);
  }

  private timeOf(options: AuthenticateOptions): number {
    const { now } = options;
    if (now === undefined) {
      return this.settings.clock();
    }
    if (!Number.isSafeInteger(now) || now < 0) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_OPTIONS,
        `now must be epoch milliseconds as a non-negative integer ` +
          `(received ${describeValue(now)}).`,
        { issues: [{ path: "now", value: now, message: "Pass Date.now()." }] },
      );
    }
    return now;
  }

  private async recordUse(
    stored: StoredApiKey,
    now: number,
  ): Promise<ApiKeyRecord> {
    const interval = this.settings.lastUsedIntervalMs;
    const due =
      stored.lastUsedAt === null || stored.lastUsedAt <= now - interval;
    if (due && (await this.settings.store.touch(stored.id, now, interval))) {
      return toRecord({ ...stored, lastUsedAt: now });
    }
    return toRecord(stored);
  }
}
