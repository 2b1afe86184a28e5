/** Exit statuses of `rfcc`. Scripts rely on them, so a value is never reused. */
export const ExitCode = {
  /** The command finished and its output is complete. */
  SUCCESS: 0,
  /** An unexpected failure, or an output file that cannot be written. */
  INTERNAL_ERROR: 1,
  /** Invalid arguments or options. */
  USAGE_ERROR: 2,
  /** An input file or a mega-token file cannot be read or used. */
  INPUT_ERROR: 3,
  /** The output was printed but is larger than the token budget. */
  BUDGET_EXCEEDED: 4,
  /** The command was interrupted by SIGINT (Ctrl-C). */
  INTERRUPTED: 130,
} as const;

/** One of the exit statuses in {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit-status table shown at the end of `rfcc --help`. */
export const EXIT_CODE_HELP = `
Exit codes:
  0    success
  1    unexpected internal failure, or a file that cannot be written
  2    invalid arguments or options
  3    an input file or mega-token file cannot be read or is invalid
  4    the output was printed but exceeds the token budget
  130  interrupted (SIGINT)`;
