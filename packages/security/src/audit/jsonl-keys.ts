import { randomBytes } from "node:crypto";
import { open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";

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

/**
 * Subject keys in one JSON file, rewritten whole on every change. The new
 * content goes to a temporary file that is flushed and then renamed over
 * the old one, so a crash leaves the old or the new file, never a mix.
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
    private readonly fsync: boolean,
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

  deleteKey(subject: string): Promise<boolean> {
    return this.update((state) => state.keys.delete(subject));
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

  private async load(): Promise<KeyFileState> {
    if (this.state !== undefined) {
      return this.state;
    }
    const text = await withFile(`read the subject key file ${this.path}`, () =>
      this.readText(),
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
      await withFile(`write the subject key file ${this.path}`, () =>
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
    if (this.fsync) {
      await syncDirectory(dirname(this.path));
    }
  }
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
