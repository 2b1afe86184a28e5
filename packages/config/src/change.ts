import { inspect } from "node:util";

import type { SecretMatcher } from "./secrets.js";

/** The cause of a change: a reload, or a runtime override. */
export type ConfigChangeTrigger = "reload" | "override";

/**
 * An applied change: the previous and current configuration and the leaf
 * paths that differ. `previous` and `current` are the real values, but
 * `toJSON()` and `inspect` redact secrets, so logging the change is safe.
 */
export class ConfigChange<T> {
  readonly previous: T;
  readonly current: T;
  /** Leaf paths whose value differs, sorted; arrays count as one leaf. */
  readonly changedPaths: readonly string[];
  readonly trigger: ConfigChangeTrigger;
  readonly #secrets: SecretMatcher;

  constructor(
    previous: T,
    current: T,
    changedPaths: readonly string[],
    trigger: ConfigChangeTrigger,
    secrets: SecretMatcher,
  ) {
    this.previous = previous;
    this.current = current;
    this.changedPaths = changedPaths;
    this.trigger = trigger;
    this.#secrets = secrets;
  }

  /** Tells whether a path, or a path below it, changed. */
  has(path: string): boolean {
    return this.changedPaths.some(
      (changed) => changed === path || changed.startsWith(`${path}.`),
    );
  }

  /** Returns the change with secret values redacted. */
  toJSON(): Record<string, unknown> {
    return {
      previous: this.#secrets.redact(this.previous),
      current: this.#secrets.redact(this.current),
      changedPaths: this.changedPaths,
      trigger: this.trigger,
    };
  }

  [inspect.custom](): Record<string, unknown> {
    return this.toJSON();
  }
}
