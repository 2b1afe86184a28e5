import { describeValue } from "../errors.js";
import type { SecurityIssue } from "../errors.js";
import { checkEnv } from "./options.js";
import { isValidGrantedScope, MAX_SCOPE_LENGTH } from "./scopes.js";
import {
  checkCount,
  checkId,
  checkKnownNames,
  checkStorableText,
  checkTime,
  MAX_DATE_MS,
  requireObject,
  throwIfInvalid,
} from "./validation.js";

const MAX_NAME_LENGTH = 200;

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
  checkName(name, issues);
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

function checkName(value: unknown, issues: SecurityIssue[]): void {
  if (value === undefined || value === null) {
    return;
  }
  if (typeof value !== "string" || value.length > MAX_NAME_LENGTH) {
    issues.push({
      path: "name",
      value,
      message: `name must be a string of at most ${MAX_NAME_LENGTH} characters (received ${describeValue(value)}).`,
    });
    return;
  }
  checkStorableText(value, "name", issues);
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
  if (graceMs > MAX_DATE_MS - now) {
    issues.push({
      path: "graceMs",
      value: graceMs,
      message:
        `graceMs must be at most ${MAX_DATE_MS - now}, so that the grace ` +
        `period ends within the Date range (received ${graceMs}).`,
    });
  }
  const expiresAt = checkExpiry(record.expiresAt, now, issues);
  throwIfInvalid(issues);
  return { graceMs, expiresAt };
}
