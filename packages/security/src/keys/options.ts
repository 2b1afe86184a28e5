import { describeValue } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { API_KEY_ENV_PATTERN } from "./format.js";
import { checkPepper } from "./hash.js";
import type { ApiKeyStore } from "./types.js";
import {
  checkClock,
  checkCount,
  checkKnownNames,
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
  /**
   * Time the key stops working: in the future, and at most 8.64e15 epoch
   * milliseconds (the `Date` range).
   * @default null
   */
  readonly expiresAt?: Date | number | null;
  /** Environment name written in the key. @default the manager's `env` */
  readonly env?: string;
}

/** Options of {@link ApiKeyManager.rotate}. */
export interface RotateApiKeyOptions {
  /**
   * Time the old key keeps working after rotation, in milliseconds; 0
   * stops it at once. The grace period must end within the `Date` range,
   * at most 8.64e15 epoch milliseconds.
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

/** Checks an optional environment name and returns it or `fallback`. */
export function checkEnv(
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
