import { isResilienceError } from "../errors.js";

/** An error with the fields that transient-error predicates read. */
export class FakeFailure extends Error {
  readonly status: number | undefined;
  readonly code: string | undefined;

  constructor(
    message: string,
    fields: { status?: number; code?: string } = {},
  ) {
    super(message);
    this.name = "FakeFailure";
    this.status = fields.status;
    this.code = fields.code;
  }
}

/** Returns what `promise` rejects with; fails when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("The promise resolved, but a rejection was expected.");
}

/** Returns what `action` throws; fails when it returns. */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("The call returned, but an error was expected.");
}

/** Returns the code of a ResilienceError, or undefined for other values. */
export function codeOf(error: unknown): string | undefined {
  return isResilienceError(error) ? error.code : undefined;
}
