import { describeValue } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { API_KEY_ENV_PATTERN } from "./format.js";
import { checkPepper } from "./hash.js";
import { isValidGrantedScope, MAX_SCOPE_LENGTH } from "./scopes.js";
import type { ApiKeyStore } from "./types.js";
import {
  checkClock,
  checkCount,
  checkId,
  checkKnownNames,
  checkTime,
  requireObject,
  throwIfInvalid,
} from "./validation.js";

/** Options of {@link ApiKeyManager}. */
export interface ApiKeyManagerOptions {
  /** Store of the key records. */
  readonly store: ApiKeyStore;
  /**
   * Server secret for the keyed hash of each key, at least 32 bytes. Keep
   * it outside the database, so a copy of the database alone cannot be
   * used to test guessed keys.
   */
  readonly pepper: string | Uint8Array;
  /**
   * Earlier peppers that still verify keys created under them, so the
   * pepper can change without breaking keys. New keys use `pepper`.
   * @default []
   */
  readonly previousPeppers?: readonly (string | Uint8Array)[];
  /** Environment name of new keys, such as `live` or `test`. @default "live" */
  readonly env?: string;
  /**
   * Minimum time between two writes of a key's `lastUsedAt`, in
   * milliseconds; 0 writes on every authentication.
   * @default 60000
   */
  readonly lastUsedIntervalMs?: number;
  /** Current time in epoch milliseconds. @default Date.now */
  readonly clock?: () => number;
}

/** Input of {@link ApiKeyManager.create}. */
export interface CreateApiKeyInput {
  readonly tenant: string;
  /** Granted scopes; an empty list grants nothing. */
  readonly scopes: readonly string[];
  /** Label for people, at most 200 characters. @default null */
  readonly name?: string | null;
  /** Time the key stops working; must be in the future. @default null */
  readonly expiresAt?: Date | number | null;
  /** Environment name written in the key. @default the manager's `env` */
  readonly env?: string;
}

/** Options of {@link ApiKeyManager.rotate}. */
export interface RotateApiKeyOptions {
  /**
   * Time the old key keeps working after rotation, in milliseconds; 0
   * stops it at once.
   * @default 0
   */
  readonly graceMs?: number;
  /**
   * Time the new key stops working; `null` for never.
   * @default the old key's `expiresAt`
   */
  readonly expiresAt?: Date | number | null;
}

/** Options of {@link ApiKeyManager.authenticate}. */
export interface AuthenticateOptions {
  /** Time to check the key at, in epoch milliseconds. @default the clock */
  readonly now?: number;
}

/** Checked manager options with defaults applied. */
export interface ManagerSettings {
  readonly store: ApiKeyStore;
  readonly peppers: readonly Buffer[];
  readonly env: string;
  readonly lastUsedIntervalMs: number;
  readonly clock: () => number;
}

const MANAGER_OPTIONS = [
  "store",
  "pepper",
  "previousPeppers",
  "env",
  "lastUsedIntervalMs",
  "clock",
];
const STORE_METHODS = ["insert", "get", "list", "update", "touch", "rotate"];
const MAX_NAME_LENGTH = 200;

/** Checks the options of the manager, listing every invalid value. */
export function checkManagerOptions(options: unknown): ManagerSettings {
  const record = requireObject(
    options,
    "API key manager options",
    "{ store, pepper }",
  );
  const issues: SecurityIssue[] = [];
  checkKnownNames(record, MANAGER_OPTIONS, issues);

  const store = checkStore(record.store, issues);
  const pepper = checkPepper(record.pepper, "pepper", issues);
  const previous = checkPreviousPeppers(record.previousPeppers, issues);
  const env = checkEnv(record.env, "env", "live", issues);
  const interval = checkCount(
    record.lastUsedIntervalMs,
    "lastUsedIntervalMs",
    60_000,
    issues,
  );
  const clock = checkClock(record.clock, issues);
  throwIfInvalid(issues);

  return {
    store: store as ApiKeyStore,
    peppers: [pepper as Buffer, ...previous],
    env,
    lastUsedIntervalMs: interval,
    clock,
  };
}

function checkStore(
  value: unknown,
  issues: SecurityIssue[],
): ApiKeyStore | undefined {
  const methods = value as Record<string, unknown> | null;
  const valid =
    typeof value === "object" &&
    methods !== null &&
    STORE_METHODS.every((method) => typeof methods[method] === "function");
  if (valid) {
    return value as ApiKeyStore;
  }
  issues.push({
    path: "store",
    value,
    message:
      "store must be an API key store such as createMemoryApiKeyStore() " +
      `or await createSqlApiKeyStore(...) (received ${describeValue(value)}).`,
  });
  return undefined;
}

function checkPreviousPeppers(
  value: unknown,
  issues: SecurityIssue[],
): Buffer[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    issues.push({
      path: "previousPeppers",
      value: typeof value,
      message: `previousPeppers must be a list of peppers (received a ${typeof value}).`,
    });
    return [];
  }
  const peppers: Buffer[] = [];
  value.forEach((pepper: unknown, index) => {
    const bytes = checkPepper(pepper, `previousPeppers[${index}]`, issues);
    if (bytes !== undefined) {
      peppers.push(bytes);
    }
  });
  return peppers;
}

function checkEnv(
  value: unknown,
  path: string,
  fallback: string,
  issues: SecurityIssue[],
): string {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value === "string" && API_KEY_ENV_PATTERN.test(value)) {
    return value;
  }
  issues.push({
    path,
    value,
    message:
      `${path} must be a lowercase word of 1 to 16 letters and digits ` +
      `starting with a letter, such as "live" or "test" (received ` +
      `${describeValue(value)}).`,
  });
  return fallback;
}

function checkScopes(value: unknown, issues: SecurityIssue[]): string[] {
  if (!Array.isArray(value)) {
    issues.push({
      path: "scopes",
      value,
      message: `scopes must be a list of scopes such as ["compress", "route:*"]; pass [] for none (received ${describeValue(value)}).`,
    });
    return [];
  }
  value.forEach((scope: unknown, index) => {
    if (!isValidGrantedScope(scope)) {
      issues.push({
        path: `scopes[${index}]`,
        value: scope,
        message:
          `scopes[${index}] must be lowercase segments joined by ":", ` +
          `optionally ending in ":*", or "*" alone, at most ` +
          `${MAX_SCOPE_LENGTH} characters (received ${describeValue(scope)}).`,
      });
    }
  });
  return [...new Set(value as string[])];
}

/** Checked input of a new key with defaults applied. */
export interface CreateSettings {
  readonly tenant: string;
  readonly scopes: readonly string[];
  readonly name: string | null;
  readonly expiresAt: number | null;
  readonly env: string;
}

/** Checks the input of a new key at time `now`, listing every invalid value. */
export function checkCreateInput(
  input: unknown,
  now: number,
  defaultEnv: string,
): CreateSettings {
  const record = requireObject(
    input,
    "API key input",
    '{ tenant: "acme", scopes: ["compress"] }',
  );
  const issues: SecurityIssue[] = [];
  checkKnownNames(
    record,
    ["tenant", "scopes", "name", "expiresAt", "env"],
    issues,
  );
  checkId(record.tenant, "tenant", issues);
  const scopes = checkScopes(record.scopes, issues);
  const { name } = record;
  if (
    name !== undefined &&
    name !== null &&
    (typeof name !== "string" || name.length > MAX_NAME_LENGTH)
  ) {
    issues.push({
      path: "name",
      value: name,
      message: `name must be a string of at most ${MAX_NAME_LENGTH} characters (received ${describeValue(name)}).`,
    });
  }
  const expiresAt = checkExpiry(record.expiresAt, now, issues);
  const env = checkEnv(record.env, "env", defaultEnv, issues);
  throwIfInvalid(issues);
  return {
    tenant: record.tenant as string,
    scopes,
    name: (name as string | null | undefined) ?? null,
    expiresAt: expiresAt ?? null,
    env,
  };
}

function checkExpiry(
  value: unknown,
  now: number,
  issues: SecurityIssue[],
): number | null | undefined {
  if (value === null) {
    return null;
  }
  const expiresAt = checkTime(value, "expiresAt", issues);
  if (expiresAt !== undefined && expiresAt <= now) {
    issues.push({
      path: "expiresAt",
      value,
      message: `expiresAt must be in the future (received ${new Date(expiresAt).toISOString()}, and now is ${new Date(now).toISOString()}).`,
    });
  }
  return expiresAt;
}

/** Checked rotation options; `expiresAt` undefined keeps the old expiry. */
export interface RotateSettings {
  readonly graceMs: number;
  readonly expiresAt: number | null | undefined;
}

/** Checks the options of a rotation at time `now`. */
export function checkRotateOptions(
  options: unknown,
  now: number,
): RotateSettings {
  const record = requireObject(
    options,
    "Rotation options",
    "{ graceMs: 3600000 }",
  );
  const issues: SecurityIssue[] = [];
  checkKnownNames(record, ["graceMs", "expiresAt"], issues);
  const graceMs = checkCount(record.graceMs, "graceMs", 0, issues);
  const expiresAt = checkExpiry(record.expiresAt, now, issues);
  throwIfInvalid(issues);
  return { graceMs, expiresAt };
}
