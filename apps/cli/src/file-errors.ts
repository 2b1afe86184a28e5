import { CliError } from "./cli-error.js";
import { ExitCode } from "./exit-codes.js";

const REASONS: Record<string, string> = {
  ENOENT: "the file does not exist",
  ENOTDIR: "a folder in the path is a file",
  EISDIR: "it is a folder, not a file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EMFILE: "too many files are open",
  ENAMETOOLONG: "the path is too long",
};

/** Describes a Node.js file-system error as a short lowercase clause. */
export function describeFileError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = typeof code === "string" ? REASONS[code] : undefined;
  if (reason !== undefined) {
    return reason;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Wraps a failure to read `path` in an error that exits with status 3. */
export function readError(path: string, error: unknown): CliError {
  const name = path === "-" ? "standard input" : path;
  return new CliError(
    ExitCode.INPUT_ERROR,
    `cannot read ${name}: ${describeFileError(error)}.`,
    { cause: error },
  );
}

/** Wraps a failure to write `path` in an error that exits with status 1. */
export function writeError(path: string, error: unknown): CliError {
  const reason =
    (error as { code?: unknown } | null)?.code === "ENOENT"
      ? "the folder does not exist"
      : describeFileError(error);
  return new CliError(
    ExitCode.INTERNAL_ERROR,
    `cannot write ${path}: ${reason}.`,
    { cause: error },
  );
}
