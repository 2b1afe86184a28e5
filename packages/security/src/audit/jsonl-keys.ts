import { randomBytes } from "node:crypto";
import { lstat, open, readdir, readFile, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

import { SecurityError, SecurityErrorCode } from "../errors.js";
import { isNotFound, syncDirectory, withFile } from "./jsonl-file.js";
import { SerialQueue } from "./queue.js";
import type { StoredSubjectKey, SubjectKeyStore } from "./types.js";

/** Content of the subject key file. */
interface KeyFileContent {
  readonly version: 1;
  readonly keys: Record<string, Omit<StoredSubjectKey, "subject">>;
  /** Erasure time of each erased subject. */
  readonly erased: Record<string, string>;
}

interface KeyFileState {
  readonly keys: Map<string, StoredSubjectKey>;
  readonly erased: Map<string, string>;
}

/** Key files that open stores of this process use, by real path. */
const sharedKeyFiles = new Map<
  string,
  { readonly file: JsonSubjectKeyFile; users: number }
>();

/**
 * Returns the key file object for a real path. Every open store of this
 * process that uses the file gets the same object, so the stores share
 * one cache and one write queue and never drop each other's keys.
 */
export function acquireKeyFile(
  realPath: string,
  fsync: boolean,
): JsonSubjectKeyFile {
  const shared = sharedKeyFiles.get(realPath);
  if (shared !== undefined) {
    shared.users += 1;
    shared.file.requireFsync(fsync);
    return shared.file;
  }
  const file = new JsonSubjectKeyFile(realPath, fsync);
  sharedKeyFiles.set(realPath, { file, users: 1 });
  return file;
}

/** Ends one use of a key file that {@link acquireKeyFile} returned. */
export function releaseKeyFile(file: JsonSubjectKeyFile): void {
  const shared = sharedKeyFiles.get(file.path);
  if (shared?.file !== file) {
    return;
  }
  shared.users -= 1;
  if (shared.users === 0) {
    sharedKeyFiles.delete(file.path);
  }
}

/**
 * Subject keys in one JSON file, rewritten whole on every change. The new
 * content goes to a temporary file that is flushed and then renamed over
 * the old one, so a crash leaves the old or the new file, never a mix.
 * A crash during a save can also leave the temporary file behind, and
 * {@link JsonSubjectKeyFile.removeTemporaryFiles} deletes such files.
 * After an erasure the file no longer contains the key. NOTE: the file
 * system may keep the old file's blocks until it reuses them. Wrap keys
 * with a master key kept elsewhere to protect them in such remnants.
 * Every new subject rewrites the whole file, so the cost of a first append
 * about a subject grows with the number of subjects.
 */
export class JsonSubjectKeyFile implements SubjectKeyStore {
  private state: KeyFileState | undefined;
  private readonly queue = new SerialQueue();

  constructor(
    readonly path: string,
    private fsync: boolean,
  ) {}

  async getKey(subject: string): Promise<StoredSubjectKey | undefined> {
    return (await this.load()).keys.get(subject);
  }

  async createKey(key: StoredSubjectKey): Promise<StoredSubjectKey> {
    await this.update((state) => {
      if (state.keys.has(key.subject)) {
        return false;
      }
      state.keys.set(key.subject, key);
      return true;
    });
    return (await this.getKey(key.subject)) ?? key;
  }

  /**
   * Removes the key from the file and deletes leftover temporary key
   * files, which may still contain it.
   */
  async deleteKey(subject: string): Promise<boolean> {
    const deleted = await this.update((state) => state.keys.delete(subject));
    await this.removeTemporaryFiles();
    return deleted;
  }

  async markErased(subject: string, time: string): Promise<void> {
    await this.update((state) => {
      if (state.erased.has(subject)) {
        return false;
      }
      state.erased.set(subject, time);
      return true;
    });
  }

  async isErased(subject: string): Promise<boolean> {
    return (await this.load()).erased.has(subject);
  }

  /** Turns on fsync for later saves when any store of the file requests it. */
  requireFsync(fsync: boolean): void {
    this.fsync ||= fsync;
  }

  /**
   * Deletes the temporary files that saves interrupted by a crash left
   * next to the key file. Only names that this class creates are touched:
   * the key file's name, a dot, 12 hexadecimal digits and `.tmp`.
   */
  removeTemporaryFiles(): Promise<void> {
    return this.queue.run(() =>
      withFile(
        `delete temporary key files next to ${this.path}`,
        "write",
        async () => {
          if (await removeTemporaryFiles(this.path)) {
            await this.syncFolder();
          }
        },
      ),
    );
  }

  private async load(): Promise<KeyFileState> {
    if (this.state !== undefined) {
      return this.state;
    }
    const text = await withFile(
      `read the subject key file ${this.path}`,
      "read",
      () => this.readText(),
    );
    this.state = parseKeyFile(text, this.path);
    return this.state;
  }

  private async readText(): Promise<string> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if (!isNotFound(error)) {
        throw error;
      }
      text = '{"version":1,"keys":{},"erased":{}}';
    }
    return text;
  }

  /**
   * Applies `change` to a copy of the content and saves the copy when
   * `change` returns true. The copy replaces the loaded content only after
   * the save, so a failed save leaves memory matching the file.
   */
  private update(change: (state: KeyFileState) => boolean): Promise<boolean> {
    return this.queue.run(async () => {
      const current = await this.load();
      const next: KeyFileState = {
        keys: new Map(current.keys),
        erased: new Map(current.erased),
      };
      if (!change(next)) {
        return false;
      }
      await withFile(`write the subject key file ${this.path}`, "write", () =>
        this.save(next),
      );
      this.state = next;
      return true;
    });
  }

  private async save(state: KeyFileState): Promise<void> {
    const content: KeyFileContent = {
      version: 1,
      keys: Object.fromEntries(
        [...state.keys].map(([subject, { key, wrapped, createdAt }]) => [
          subject,
          { key, wrapped, createdAt },
        ]),
      ),
      erased: Object.fromEntries(state.erased),
    };
    const temporary = `${this.path}.${randomBytes(6).toString("hex")}.tmp`;
    const handle = await open(temporary, "wx", 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(content)}\n`, "utf8");
      if (this.fsync) {
        await handle.sync();
      }
      await handle.close();
      await rename(temporary, this.path);
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(temporary, { force: true });
      throw error;
    }
    await this.syncFolder();
  }

  private async syncFolder(): Promise<void> {
    if (this.fsync) {
      await syncDirectory(dirname(this.path));
    }
  }
}

/** The part of a temporary key file's name after the key file's name. */
const TEMPORARY_SUFFIX = /^\.[0-9a-f]{12}\.tmp$/u;

/** Deletes the temporary files of a key file and returns whether there were any. */
async function removeTemporaryFiles(keyFile: string): Promise<boolean> {
  const folder = dirname(keyFile);
  const prefix = basename(keyFile);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if (isNotFound(error)) {
      return false;
    }
    throw error;
  }
  let removed = false;
  for (const name of names) {
    const suffix = name.startsWith(prefix) ? name.slice(prefix.length) : "";
    if (!TEMPORARY_SUFFIX.test(suffix)) {
      continue;
    }
    const path = join(folder, name);
    const stats = await lstat(path).catch((error: unknown) => {
      if (isNotFound(error)) {
        return undefined;
      }
      throw error;
    });
    if (stats?.isFile() === true) {
      await rm(path, { force: true });
      removed = true;
    }
  }
  return removed;
}

function parseKeyFile(text: string, path: string): KeyFileState {
  let content: Partial<KeyFileContent> | undefined;
  try {
    content = JSON.parse(text) as Partial<KeyFileContent>;
  } catch {
    content = undefined;
  }
  if (
    content?.version !== 1 ||
    typeof content.keys !== "object" ||
    typeof content.erased !== "object"
  ) {
    throw new SecurityError(
      SecurityErrorCode.STORE_FAILED,
      `The subject key file ${path} is not a version 1 key file. Restore it ` +
        "from a backup, or pass the right keyFile.",
    );
  }
  const keys = new Map<string, StoredSubjectKey>();
  for (const [subject, stored] of Object.entries(content.keys)) {
    keys.set(subject, { subject, ...stored });
  }
  return { keys, erased: new Map(Object.entries(content.erased)) };
}
