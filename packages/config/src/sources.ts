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
  /**
   * `EMPTY_ENV_VAR`, `UNKNOWN_ENV_VAR`, or `UNSAFE_KEY` for a dropped
   * `__proto__`, `constructor` or `prototype` key.
   */
  readonly code: "EMPTY_ENV_VAR" | "UNKNOWN_ENV_VAR" | "UNSAFE_KEY";
  /**
   * The environment variable's name, or for `UNSAFE_KEY` the source, such
   * as `file config.yaml`; never a value.
   */
  readonly name: string;
  /** The dot-separated path of the dropped key; only for `UNSAFE_KEY`. */
  readonly path?: string;
  readonly message: string;
}
