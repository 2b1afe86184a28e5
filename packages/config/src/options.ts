import { z } from "zod";

import { ConfigError, formatIssues } from "./errors.js";
import type { ConfigIssue } from "./errors.js";
import type { ConfigChange } from "./change.js";
import type { ConfigWarning } from "./sources.js";
import { explainSchemaMismatch } from "./zod-schema.js";

/** A value where every object field, at any depth, is optional. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** Options of {@link loadConfig}. */
export interface ConfigOptions<S extends z.ZodType> {
  /** The zod schema that the merged configuration must match. */
  readonly schema: S;
  /**
   * Lowest-precedence values.
   * @default {}
   */
  readonly defaults?: DeepPartial<z.input<S>>;
  /**
   * Path of the base config file: `.json` is read as JSON, any other
   * extension as YAML. The file must exist.
   * @default undefined (no file)
   */
  readonly file?: string;
  /**
   * Environment name, such as `production`. With a `file`, it selects the
   * optional environment file next to it (`config.production.yaml`).
   * @default env.NODE_ENV
   */
  readonly environment?: string;
  /**
   * Environment variables to read.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Prefix of the environment variables that set values. With `""`, any
   * variable whose name matches a field sets it (`PORT` sets `port`), and
   * the others are skipped without an `UNKNOWN_ENV_VAR` warning.
   * @default "RF_"
   */
  readonly envPrefix?: string;
  /**
   * Highest-precedence values, applied before any later `set` call.
   * @default {}
   */
  readonly overrides?: DeepPartial<z.input<S>>;
  /**
   * Extra secret paths, besides fields marked with `secret()` and keys named
   * like secrets; `*` matches one path segment.
   * @default []
   */
  readonly secretPaths?: readonly string[];
  /**
   * Whether to watch the config files and reload them when they change.
   * @default false
   */
  readonly watch?: boolean;
  /**
   * Quiet time after the last file event before a reload, in milliseconds.
   * @default 100
   */
  readonly debounceMs?: number;
  /**
   * Receives warnings, such as an empty environment variable.
   * @default undefined (warnings are only kept in `config.warnings`)
   */
  readonly onWarning?: (warning: ConfigWarning) => void;
  /**
   * Receives every applied change, from the first reload on.
   * @default undefined
   */
  readonly onChange?: (change: ConfigChange<z.output<S>>) => void;
}

const functionSchema = z.custom<(...args: never[]) => unknown>(
  (value) => typeof value === "function",
  "expected a function",
);

const optionsSchema = z.object({
  schema: z.custom<z.ZodType>().superRefine((value, context) => {
    const problem = explainSchemaMismatch(value);
    if (problem !== undefined) {
      context.addIssue({ code: "custom", message: problem });
    }
  }),
  defaults: z.record(z.string(), z.unknown()).optional(),
  file: z.string().min(1, "expected a non-empty file path").optional(),
  environment: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "expected letters, digits, - or _")
    .optional(),
  env: z.record(z.string(), z.string().optional()).optional(),
  envPrefix: z.string().optional(),
  overrides: z.record(z.string(), z.unknown()).optional(),
  secretPaths: z.array(z.string().min(1)).optional(),
  watch: z.boolean().optional(),
  debounceMs: z
    .number()
    .int("expected whole milliseconds")
    .min(0, "expected 0 or more milliseconds")
    .optional(),
  onWarning: functionSchema.optional(),
  onChange: functionSchema.optional(),
});

/**
 * Checks loader options and reports every problem at once.
 *
 * @throws ConfigError `INVALID_OPTIONS` with one issue per invalid option.
 */
export function checkOptions(options: unknown): void {
  const result = optionsSchema.safeParse(options);
  if (result.success) {
    return;
  }
  const issues: ConfigIssue[] = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    let value: unknown = options;
    for (const key of issue.path) {
      value = (value as Record<PropertyKey, unknown> | undefined)?.[key];
    }
    // Environment variables, defaults and overrides may contain secrets,
    // so their values stay out of the error.
    const hidden = ["env", "defaults", "overrides"].includes(
      String(issue.path[0]),
    );
    return {
      path,
      value: hidden ? "[redacted]" : value,
      message: issue.message,
    };
  });
  throw new ConfigError(
    "INVALID_OPTIONS",
    formatIssues("config loader options are invalid", issues),
    { issues },
  );
}
