import { watch } from "node:fs";
import type { FSWatcher } from "node:fs";

/** A running directory watch; `close` stops it and its pending timer. */
export interface DirectoryWatch {
  close(): void;
}

/**
 * Watches directories, not files, so atomic renames and swapped symlinks
 * (such as a Kubernetes ConfigMap's `..data` link) are seen: a watch on
 * the file itself would stay on the replaced inode. Calls `onChange` once
 * per burst of events, after `debounceMs` without a new event.
 */
export function watchDirectories(
  directories: readonly string[],
  debounceMs: number,
  onChange: () => void,
  onError: (error: unknown) => void,
): DirectoryWatch {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const trigger = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
    }
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, debounceMs);
  };
  const watchers: FSWatcher[] = [];
  for (const directory of new Set(directories)) {
    const watcher = watch(directory, trigger);
    watcher.on("error", onError);
    watchers.push(watcher);
  }
  return {
    close() {
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
      for (const watcher of watchers) {
        watcher.close();
      }
    },
  };
}
