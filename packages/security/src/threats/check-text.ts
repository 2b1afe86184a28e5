import { describeValue, SecurityError, SecurityErrorCode } from "../errors.js";

/**
 * Checks that the text is a primitive string.
 * @throws {SecurityError} `INVALID_INPUT` otherwise, naming a String
 * object apart, since it prints like a string.
 */
export function checkText(
  text: unknown,
  caller: string,
): asserts text is string {
  if (text instanceof String) {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `${caller} takes the text as a primitive string, not a String object (received new String(${describeValue(text.valueOf())})); pass text.valueOf().`,
    );
  }
  if (typeof text !== "string") {
    throw new SecurityError(
      SecurityErrorCode.INVALID_INPUT,
      `${caller} takes the text as a string (received ${describeValue(text)}).`,
    );
  }
}
