import { lstatSync, realpathSync, statSync, watch } from "node:fs";
import type { FSWatcher } from "node:fs";
import { dirname, parse, resolve, sep } from "node:path";

/** A running watch; `close` stops its watchers and pending timers. */
export interface DirectoryWatch {
  close(): void;
}

interface WatchedDirectory {
  readonly watcher: FSWatcher;
  /** Inode of the directory when the watch started. */
  readonly inode: number;
}

/** The directories to watch for a set of files. */
interface WatchPlan {
  /** Directories that contain the files, as named; retried while missing. */
  readonly required: ReadonlySet<string>;
  /** Directories that symlinks lead to or sit in; skipped while missing. */
  readonly optional: ReadonlySet<string>;
}

/**
 * Watches the directories of files, not the files themselves, so atomic
 * renames and swapped symlinks (such as a Kubernetes ConfigMap's `..data`
 * link) are seen: a watch on the file itself would stay on the replaced
 * inode. Calls `onChange` once per burst of events, after `debounceMs`
 * without a new event.
 *
 * Before each call the set of watched directories is checked again, so
 * the watch follows a file symlinked into another directory, a symlinked
 * directory swapped for another (`current -> releases/v2`), and a
 * directory that was removed and created again. While a file's directory
 * is missing, it is looked for again every `max(debounceMs, 100)` ms, and
 * `onChange` runs once it is back.
 */
export function watchFiles(
  files: readonly string[],
  debounceMs: number,
  onChange: () => void,
  onError: (error: unknown) => void,
): DirectoryWatch {
  const absoluteFiles = files.map((file) => resolve(file));
  const watched = new Map<string, WatchedDirectory>();
  // Directories whose watch failed with an error already reported, so a
  // lasting failure (such as the inotify limit) is reported once.
  const reported = new Set<string>();
  const retryMs = Math.max(debounceMs, 100);
  let debounceTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const schedule = (): void => {
    if (closed) {
      return;
    }
    if (debounceTimer !== undefined) {
      clearTimeout(debounceTimer);
    }
    debounceTimer = setTimeout(() => {
      debounceTimer = undefined;
      sync();
      onChange();
    }, debounceMs);
  };

  const open = (directory: string): WatchedDirectory | undefined => {
    try {
      const inode = statSync(directory).ino;
      const watcher = watch(directory, schedule);
      watcher.on("error", () => {
        // A watcher fails when its directory goes away; the next sync
        // opens a new one once the directory exists again.
        watcher.close();
        if (watched.get(directory)?.watcher === watcher) {
          watched.delete(directory);
        }
        schedule();
      });
      reported.delete(directory);
      return { watcher, inode };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR" && !reported.has(directory)) {
        reported.add(directory);
        onError(error);
      }
      return undefined;
    }
  };

  // Brings the watchers in line with the plan. Returns true when a
  // required directory that was not watched before is watched now.
  const sync = (): boolean => {
    if (closed) {
      return false;
    }
    const plan = planWatch(absoluteFiles);
    for (const [directory, entry] of watched) {
      const planned =
        plan.required.has(directory) || plan.optional.has(directory);
      if (!planned || inodeOf(directory) !== entry.inode) {
        entry.watcher.close();
        watched.delete(directory);
      }
    }
    let started = false;
    let missing = false;
    for (const directory of [...plan.required, ...plan.optional]) {
      if (watched.has(directory)) {
        continue;
      }
      const entry = open(directory);
      if (entry !== undefined) {
        watched.set(directory, entry);
        started ||= plan.required.has(directory);
      } else if (plan.required.has(directory)) {
        missing = true;
      }
    }
    if (missing && retryTimer === undefined) {
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        if (sync()) {
          onChange();
        }
      }, retryMs);
    }
    return started;
  };

  sync();
  return {
    close() {
      closed = true;
      clearTimeout(debounceTimer);
      clearTimeout(retryTimer);
      debounceTimer = undefined;
      retryTimer = undefined;
      for (const entry of watched.values()) {
        entry.watcher.close();
      }
      watched.clear();
    },
  };
}

function planWatch(files: readonly string[]): WatchPlan {
  const required = new Set<string>();
  const optional = new Set<string>();
  for (const file of files) {
    const directory = dirname(file);
    required.add(directory);
    // A swap of a symlinked directory on the way, such as
    // `current -> releases/v2`, shows up only in the link's own directory.
    for (const link of symlinkedAncestors(directory)) {
      optional.add(dirname(link));
    }
    try {
      optional.add(dirname(realpathSync(file)));
    } catch {
      // A missing file has no target yet; its directory is watched.
    }
  }
  for (const directory of required) {
    optional.delete(directory);
  }
  return { required, optional };
}

// Lists the components of an absolute directory path that are symlinks.
function symlinkedAncestors(directory: string): string[] {
  const links: string[] = [];
  const { root } = parse(directory);
  let current = root;
  for (const segment of directory.slice(root.length).split(sep)) {
    if (segment === "") {
      continue;
    }
    current =
      current === root ? `${root}${segment}` : `${current}${sep}${segment}`;
    try {
      if (lstatSync(current).isSymbolicLink()) {
        links.push(current);
      }
    } catch {
      break;
    }
  }
  return links;
}

function inodeOf(directory: string): number | undefined {
  try {
    return statSync(directory).ino;
  } catch {
    return undefined;
  }
}
