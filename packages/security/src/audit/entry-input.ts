import {
  describeValue,
  SecurityError,
  SecurityErrorCode,
  type SecurityIssue,
} from "../errors.js";
import { normalizeJson } from "./canonical.js";
import type {
  AuditEntryInput,
  AuditQuery,
  JsonValue,
  PersonalData,
} from "./types.js";

const REQUIRED_TEXT = ["actor", "action", "outcome"] as const;
const OPTIONAL_TEXT = [
  "target",
  "keyId",
  "tenant",
  "requestId",
  "subject",
] as const;

/** The fields of an entry input after checking, with JSON values copied. */
export interface CheckedEntryInput {
  readonly fields: {
    readonly actor: string;
    readonly action: string;
    readonly outcome: string;
    readonly target?: string;
    readonly keyId?: string;
    readonly tenant?: string;
    readonly requestId?: string;
    readonly subject?: string;
    readonly details?: JsonValue;
  };
  readonly personal: PersonalData | undefined;
}

/**
 * Checks what a caller passes to `append`. Throws one INVALID_INPUT error
 * that lists every invalid field.
 */
export function checkEntryInput(input: AuditEntryInput): CheckedEntryInput {
  const received: unknown = input;
  if (typeof received !== "object" || received === null) {
    throw invalidInput([
      {
        path: "",
        value: received,
        message: "Pass an entry object with actor, action and outcome.",
      },
    ]);
  }
  const issues: SecurityIssue[] = [];
  const record = input as unknown as Record<string, unknown>;
  const fields: Record<string, unknown> = {};
  for (const field of REQUIRED_TEXT) {
    const value = record[field];
    if (typeof value !== "string" || value === "") {
      issues.push({
        path: field,
        value,
        message: `${field} must be a non-empty string.`,
      });
    }
    fields[field] = value;
  }
  for (const field of OPTIONAL_TEXT) {
    const value = record[field];
    if (value !== undefined && (typeof value !== "string" || value === "")) {
      issues.push({
        path: field,
        value,
        message: `${field} must be a non-empty string when given.`,
      });
    }
    fields[field] = value;
  }
  fields.details = checkDetails(record.details, issues);
  const personal = checkPersonal(record.personal, record.subject, issues);
  if (issues.length > 0) {
    throw invalidInput(issues);
  }
  return { fields: fields as CheckedEntryInput["fields"], personal };
}

function checkDetails(value: unknown, issues: SecurityIssue[]): unknown {
  if (value === undefined) {
    return undefined;
  }
  const normalized = normalizeJson(value);
  if (normalized === undefined) {
    issues.push({
      path: "details",
      value: describeValue(value),
      message:
        "details must be a JSON value without cycles, functions or bigints.",
    });
  }
  return normalized;
}

function checkPersonal(
  value: unknown,
  subject: unknown,
  issues: SecurityIssue[],
): PersonalData | undefined {
  if (value === undefined) {
    return undefined;
  }
  const normalized = normalizeJson(value);
  if (
    typeof normalized !== "object" ||
    normalized === null ||
    Array.isArray(normalized)
  ) {
    // The value itself may be personal data, so the issue leaves it out.
    issues.push({
      path: "personal",
      value: typeof value,
      message:
        "personal must be a JSON object of personal data, such as { email, name }.",
    });
    return undefined;
  }
  if (subject === undefined) {
    issues.push({
      path: "subject",
      value: subject,
      message:
        "personal needs subject, the id of the data subject whose key encrypts it.",
    });
  }
  return normalized as PersonalData;
}

/** Checks a read query and throws INVALID_INPUT listing every invalid field. */
export function checkQuery(query: AuditQuery): void {
  const received: unknown = query;
  if (typeof received !== "object" || received === null) {
    throw invalidInput([
      { path: "", value: received, message: "Pass a query object or nothing." },
    ]);
  }
  const issues: SecurityIssue[] = [];
  for (const field of ["from", "limit"] as const) {
    const value: unknown = query[field];
    if (
      value !== undefined &&
      (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0)
    ) {
      issues.push({
        path: field,
        value,
        message: `${field} must be a whole number, 0 or more.`,
      });
    }
  }
  const subject: unknown = query.subject;
  if (subject !== undefined && typeof subject !== "string") {
    issues.push({
      path: "subject",
      value: subject,
      message: "subject must be a string.",
    });
  }
  if (issues.length > 0) {
    throw invalidInput(issues);
  }
}

function invalidInput(issues: readonly SecurityIssue[]): SecurityError {
  const count =
    issues.length === 1 ? "1 invalid field" : `${issues.length} invalid fields`;
  return new SecurityError(
    SecurityErrorCode.INVALID_INPUT,
    `The audit input has ${count}: ${issues.map((issue) => issue.message).join(" ")}`,
    { issues },
  );
}
