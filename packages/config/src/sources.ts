/** The source that set a configuration value. */
export type ConfigSource =
  | { readonly kind: "default" }
  | { readonly kind: "file"; readonly name: string }
  | { readonly kind: "environment-file"; readonly name: string }
  | { readonly kind: "env"; readonly name: string }
  | { readonly kind: "override" }
  | { readonly kind: "schema" };

/** Renders a source for messages, such as `env RF_SERVER__PORT`. */
export function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case "file":
    case "environment-file":
    case "env":
      return `${source.kind} ${source.name}`;
    case "default":
      return "defaults";
    case "override":
      return "runtime override";
    case "schema":
      return "schema default";
  }
}

/** A warning that a source was used in an unusual way; the load goes on. */
export interface ConfigWarning {
  /** `EMPTY_ENV_VAR` or `UNKNOWN_ENV_VAR`. */
  readonly code: "EMPTY_ENV_VAR" | "UNKNOWN_ENV_VAR";
  /** The environment variable's name; never its value. */
  readonly name: string;
  readonly message: string;
}
