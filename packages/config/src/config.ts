import { inspect } from "node:util";

import type { z } from "zod";

import { ConfigChange } from "./change.js";
import type { ConfigChangeTrigger } from "./change.js";
import { ConfigError, isConfigError } from "./errors.js";
import { findSource } from "./layers.js";
import type { Layer } from "./layers.js";
import { buildSnapshot, configFiles, readFileLayers } from "./load.js";
import type { Snapshot, SnapshotInputs } from "./load.js";
import { checkOptions } from "./options.js";
import type { ConfigOptions } from "./options.js";
import type { PlainObject } from "./paths.js";
import { diffPaths, getAtPath, removePath, writePath } from "./paths.js";
import { SecretMatcher } from "./secrets.js";
import type { ConfigSource, ConfigWarning } from "./sources.js";
import { watchFiles } from "./watch.js";
import type { DirectoryWatch } from "./watch.js";

/** Events that a {@link Config} emits, with their payloads. */
export interface ConfigEvents<T> {
  /** A new configuration was applied. */
  change: ConfigChange<T>;
  /** A reload failed, and the last valid configuration stays in use. */
  error: ConfigError;
  /** A source was used in an unusual way, such as an empty variable. */
  warning: ConfigWarning;
}

type Listener<T> = (payload: T) => void;

function warningKey(warning: ConfigWarning): string {
  return `${warning.code}\u0000${warning.name}\u0000${warning.path ?? ""}`;
}

/**
 * Loads a layered, validated configuration: defaults, the config file, the
 * environment file, environment variables, then runtime overrides.
 *
 * @throws ConfigError `INVALID_OPTIONS`, `CONFIG_FILE_UNREADABLE` or
 *   `INVALID_CONFIG` (with every issue).
 */
export async function loadConfig<S extends z.ZodType>(
  options: ConfigOptions<S>,
): Promise<Config<z.output<S>>> {
  checkOptions(options);
  const config = new Config<z.output<S>>(options);
  await config.reload();
  if (options.watch === true) {
    config.startWatching();
  }
  return config;
}

/**
 * A loaded configuration. Read it with {@link Config.value} or
 * {@link Config.get}; `toJSON()` and `inspect` redact secrets.
 */
export class Config<T> {
  readonly #inputs: SnapshotInputs<z.ZodType> & { overrides: PlainObject };
  readonly #files: ReturnType<typeof configFiles>;
  readonly #debounceMs: number;
  readonly #listeners = new Map<keyof ConfigEvents<T>, Set<Listener<never>>>();
  #fileLayers: readonly Layer[] = [];
  #snapshot: Snapshot<T> | undefined;
  #watch: DirectoryWatch | undefined;
  // Reloads run one after another, in call order, so a slow read can never
  // apply after a newer one.
  #reloadQueue: Promise<void> = Promise.resolve();
  #watchReloadQueued = false;

  /** Use {@link loadConfig}, which validates options and loads. */
  constructor(options: ConfigOptions<z.ZodType>) {
    const env = options.env ?? process.env;
    this.#inputs = {
      schema: options.schema,
      secrets: new SecretMatcher(options.schema, options.secretPaths ?? []),
      defaults: structuredClone((options.defaults ?? {}) as PlainObject),
      env,
      envPrefix: options.envPrefix ?? "RF_",
      overrides: structuredClone((options.overrides ?? {}) as PlainObject),
    };
    this.#files = configFiles(
      options.file,
      options.environment ?? env.NODE_ENV,
    );
    this.#debounceMs = options.debounceMs ?? 100;
    if (options.onWarning !== undefined) {
      this.on("warning", options.onWarning);
    }
    if (options.onChange !== undefined) {
      this.on("change", options.onChange);
    }
  }

  /** The current configuration, deeply frozen. */
  get value(): T {
    if (this.#snapshot === undefined) {
      throw new ConfigError("INVALID_OPTIONS", "config is not loaded yet");
    }
    return this.#snapshot.value;
  }

  /** Warnings of the last successful load. */
  get warnings(): readonly ConfigWarning[] {
    return this.#snapshot?.warnings ?? [];
  }

  /** The config files read, lowest precedence first. */
  get files(): readonly string[] {
    const files = this.#files;
    if (files === undefined) {
      return [];
    }
    return files.environment === undefined
      ? [files.base]
      : [files.base, files.environment];
  }

  /** Reads the value at a dot-separated path, such as `server.port`. */
  get(path: string): unknown {
    return getAtPath(this.value, path);
  }

  /**
   * Tells which source set the value at a path. A path below an array, or
   * below an object that one source set as a whole, gets that source.
   * A value that only the schema's `.default()` filled in gets
   * `{ kind: "schema" }`.
   */
  sourceOf(path: string): ConfigSource | undefined {
    const source = findSource(this.#snapshot?.sources ?? new Map(), path);
    if (source !== undefined) {
      return source;
    }
    return this.get(path) === undefined ? undefined : { kind: "schema" };
  }

  /** Tells whether the value at a path is treated as a secret. */
  isSecret(path: string): boolean {
    return this.#inputs.secrets.isSecret(path);
  }

  /**
   * Sets a runtime override, the highest-precedence source. The whole
   * configuration is validated first.
   *
   * @throws ConfigError `INVALID_CONFIG`; the configuration is unchanged.
   */
  set(path: string, value: unknown): ConfigChange<T> {
    const overrides = structuredClone(this.#inputs.overrides);
    writePath(overrides, path, value);
    return this.#applyOverrides(overrides);
  }

  /**
   * Removes a runtime override, so lower sources apply again.
   *
   * @throws ConfigError `INVALID_CONFIG`; the configuration is unchanged.
   */
  unset(path: string): ConfigChange<T> {
    const overrides = structuredClone(this.#inputs.overrides);
    removePath(overrides, path);
    return this.#applyOverrides(overrides);
  }

  /**
   * Re-reads the files and environment variables and applies the result
   * if it validates. A failed reload keeps the last valid configuration.
   *
   * Reloads run one at a time, in call order.
   *
   * @throws ConfigError `CONFIG_FILE_UNREADABLE` or `INVALID_CONFIG`.
   */
  reload(): Promise<void> {
    return this.#enqueue(() => this.#reloadNow());
  }

  /**
   * Adds a listener and returns a function that removes it.
   */
  on<E extends keyof ConfigEvents<T>>(
    event: E,
    listener: Listener<ConfigEvents<T>[E]>,
  ): () => void {
    const listeners = this.#listeners.get(event) ?? new Set();
    listeners.add(listener);
    this.#listeners.set(event, listeners);
    return () => listeners.delete(listener);
  }

  /** Adds a change listener; same as `on("change", listener)`. */
  subscribe(listener: Listener<ConfigChange<T>>): () => void {
    return this.on("change", listener);
  }

  /** Starts watching the config files' directories; `loadConfig` calls it. */
  startWatching(): void {
    if (this.#watch !== undefined || this.#files === undefined) {
      return;
    }
    this.#watch = watchFiles(
      this.files,
      this.#debounceMs,
      () => this.#reloadFromWatch(),
      (error) =>
        this.#emitError(wrapError(error, "watching config files failed")),
    );
  }

  /**
   * Stops watching files and drops file-triggered reloads that have not
   * started; waits for the reloads in progress to end.
   */
  async close(): Promise<void> {
    this.#watch?.close();
    this.#watch = undefined;
    await this.#reloadQueue;
  }

  /** Returns the configuration with secret values redacted. */
  toJSON(): unknown {
    return this.#inputs.secrets.redact(this.#snapshot?.value);
  }

  [inspect.custom](): unknown {
    return this.toJSON();
  }

  #applyOverrides(overrides: PlainObject): ConfigChange<T> {
    const inputs = { ...this.#inputs, overrides };
    const snapshot = buildSnapshot(inputs, this.#fileLayers) as Snapshot<T>;
    this.#inputs.overrides = overrides;
    return this.#apply(snapshot, "override");
  }

  #apply(snapshot: Snapshot<T>, trigger: ConfigChangeTrigger): ConfigChange<T> {
    const previous = this.#snapshot;
    this.#snapshot = snapshot;
    // A warning that the previous snapshot already had was reported then,
    // so an override or a reload does not repeat it.
    const reported = new Set(previous?.warnings.map(warningKey));
    for (const warning of snapshot.warnings) {
      if (!reported.has(warningKey(warning))) {
        this.#emit("warning", warning);
      }
    }
    const changedPaths =
      previous === undefined ? [] : diffPaths(previous.value, snapshot.value);
    const change = new ConfigChange(
      previous?.value ?? snapshot.value,
      snapshot.value,
      changedPaths,
      trigger,
      this.#inputs.secrets,
    );
    if (changedPaths.length > 0) {
      this.#emit("change", change);
    }
    return change;
  }

  async #reloadNow(): Promise<void> {
    const fileLayers = await readFileLayers(this.#files);
    const snapshot = buildSnapshot(this.#inputs, fileLayers) as Snapshot<T>;
    this.#fileLayers = fileLayers;
    this.#apply(snapshot, "reload");
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#reloadQueue.then(task);
    this.#reloadQueue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  // Queues at most one file-triggered reload behind the running one, since
  // a reload reads every file and covers all events before it starts.
  #reloadFromWatch(): void {
    if (this.#watchReloadQueued) {
      return;
    }
    this.#watchReloadQueued = true;
    this.#enqueue(async () => {
      this.#watchReloadQueued = false;
      if (this.#watch !== undefined) {
        await this.#reloadNow();
      }
    }).catch((error: unknown) => {
      this.#emitError(
        wrapError(
          error,
          "reloading the configuration failed; the last valid configuration stays in use",
        ),
      );
    });
  }

  #emitError(error: ConfigError): void {
    this.#emit("error", error);
  }

  #emit<E extends keyof ConfigEvents<T>>(
    event: E,
    payload: ConfigEvents<T>[E],
  ): void {
    for (const listener of this.#listeners.get(event) ?? []) {
      try {
        (listener as Listener<ConfigEvents<T>[E]>)(payload);
      } catch (error) {
        // A failing listener must not undo an applied change or hide it
        // from the other listeners, so its error is raised on its own.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

// Wraps an error that is not a ConfigError, such as a schema refinement
// that throws. Its message is kept only as `cause`, because it may quote a
// secret value.
function wrapError(error: unknown, message: string): ConfigError {
  return isConfigError(error)
    ? error
    : new ConfigError("CONFIG_FILE_UNREADABLE", message, { cause: error });
}
