import {
  describeValue,
  SecurityError,
  SecurityErrorCode,
  type SecurityIssue,
} from "../errors.js";
import { normalizeJsonInput, textProblem } from "./json-input.js";
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
    checkTextField(field, record[field], true, issues);
    fields[field] = record[field];
  }
  for (const field of OPTIONAL_TEXT) {
    checkTextField(field, record[field], false, issues);
    fields[field] = record[field];
  }
  fields.details = checkDetails(record.details, issues);
  const personal = checkPersonal(record.personal, record.subject, issues);
  if (issues.length > 0) {
    throw invalidInput(issues);
  }
  return { fields: fields as CheckedEntryInput["fields"], personal };
}

function checkTextField(
  field: string,
  value: unknown,
  required: boolean,
  issues: SecurityIssue[],
): void {
  if (value === undefined && !required) {
    return;
  }
  if (typeof value !== "string" || value === "") {
    issues.push({
      path: field,
      value,
      message: required
        ? `${field} must be a non-empty string.`
        : `${field} must be a non-empty string when given.`,
    });
    return;
  }
  checkText(field, value, issues);
}

/**
 * Adds an issue when text cannot be stored as given, because SQLite or
 * PostgreSQL would store other text than the entry's hash covers, or
 * reject it.
 */
function checkText(
  field: string,
  value: string,
  issues: SecurityIssue[],
): void {
  const problem = textProblem(value);
  if (problem !== undefined) {
    issues.push({
      path: field,
      value: describeValue(value),
      message: `${field} ${problem}. Remove the character or replace it, for example with U+FFFD.`,
    });
  }
}

function checkDetails(value: unknown, issues: SecurityIssue[]): unknown {
  if (value === undefined) {
    return undefined;
  }
  return normalizeJsonInput("details", value, issues, {
    expected: "a JSON value",
    hideValues: false,
  });
}

function checkPersonal(
  value: unknown,
  subject: unknown,
  issues: SecurityIssue[],
): PersonalData | undefined {
  if (value === undefined) {
    return undefined;
  }
  const normalized = normalizeJsonInput("personal", value, issues, {
    expected: "a JSON object",
    hideValues: true,
  });
  const isObject =
    typeof normalized === "object" &&
    normalized !== null &&
    !Array.isArray(normalized);
  if (normalized !== undefined && !isObject) {
    // The value itself may be personal data, so the issue leaves it out.
    issues.push({
      path: "personal",
      value: typeof value,
      message:
        "personal must be a JSON object of personal data, such as { email, name }.",
    });
  }
  if (subject === undefined) {
    issues.push({
      path: "subject",
      value: subject,
      message:
        "personal needs subject, the id of the data subject whose key encrypts it.",
    });
  }
  return isObject ? (normalized as PersonalData) : undefined;
}

/**
 * Checks the reason of an erasure, which the tombstone stores in its
 * details. Throws INVALID_INPUT for an empty reason or one that cannot be
 * stored as given.
 */
export function checkErasureReason(reason: unknown): string {
  const issues: SecurityIssue[] = [];
  if (typeof reason !== "string" || reason.trim() === "") {
    issues.push({
      path: "reason",
      value: reason,
      message:
        "eraseSubject needs a reason, such as the id of the erasure request.",
    });
  } else {
    checkText("reason", reason, issues);
  }
  if (issues.length > 0) {
    throw invalidInput(issues);
  }
  return reason as string;
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
