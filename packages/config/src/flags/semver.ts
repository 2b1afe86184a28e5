/** A parsed semantic version (semver 2.0.0); build metadata is dropped. */
export interface SemanticVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly prerelease: readonly string[];
}

const PATTERN =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses `1.2.3`, `v1.2.3-beta.1` or `1.2.3+build`, or returns undefined. */
export function parseSemver(text: string): SemanticVersion | undefined {
  const match = PATTERN.exec(text.trim());
  if (match === null) {
    return undefined;
  }
  return {
    major: Number(match[1]),
    minor: Number(match[2]),
    patch: Number(match[3]),
    prerelease: match[4] === undefined ? [] : match[4].split("."),
  };
}

/**
 * Compares two versions by semver 2.0.0 precedence: negative when `left`
 * is lower, zero when equal, positive when higher. A prerelease is lower
 * than its release.
 */
export function compareSemver(
  left: SemanticVersion,
  right: SemanticVersion,
): number {
  const core =
    left.major - right.major ||
    left.minor - right.minor ||
    left.patch - right.patch;
  if (core !== 0) {
    return core;
  }
  if (left.prerelease.length === 0 || right.prerelease.length === 0) {
    return right.prerelease.length - left.prerelease.length;
  }
  const length = Math.max(left.prerelease.length, right.prerelease.length);
  for (let index = 0; index < length; index += 1) {
    const order = compareIdentifier(
      left.prerelease[index],
      right.prerelease[index],
    );
    if (order !== 0) {
      return order;
    }
  }
  return 0;
}

// Numeric identifiers compare as numbers and sort before alphanumeric
// ones, and a shorter list of identifiers is lower.
function compareIdentifier(
  left: string | undefined,
  right: string | undefined,
): number {
  if (left === undefined || right === undefined) {
    return left === undefined ? -1 : 1;
  }
  const leftNumeric = /^\d+$/.test(left);
  const rightNumeric = /^\d+$/.test(right);
  if (leftNumeric && rightNumeric) {
    return Number(left) - Number(right);
  }
  if (leftNumeric !== rightNumeric) {
    return leftNumeric ? -1 : 1;
  }
  if (left === right) {
    return 0;
  }
  return left < right ? -1 : 1;
}
