import { resolve } from "node:path";

import { SecurityError, SecurityErrorCode } from "../errors.js";
import {
  AppendOnlyFile,
  readFileLines,
  withFile,
  type FileLine,
} from "./jsonl-file.js";
import {
  acquireKeyFile,
  releaseKeyFile,
  type JsonSubjectKeyFile,
} from "./jsonl-keys.js";
import {
  claimWriter,
  releaseWriter,
  resolvePaths,
  type StorePaths,
} from "./jsonl-paths.js";
import { SerialQueue } from "./queue.js";
import {
  toCheckpointRecord,
  toEntryRecord,
  unusableTail,
} from "./jsonl-records.js";
import type {
  AuditCheckpoint,
  AuditEntry,
  AuditQuery,
  AuditStore,
  StoredCheckpointRecord,
  StoredEntryRecord,
} from "./types.js";

/**
 * Options of {@link openJsonlAuditStore}. The store is three files. The
 * entry file has one JSON object per line, and so has the checkpoint
 * file. The subject key file is one JSON document that erasure rewrites.
 */
export interface JsonlAuditStoreOptions {
  /** Path of the entry file, created on the first append. */
  readonly jsonl: string;
  /**
   * Path of the checkpoint file.
   * @default the entry path with `.jsonl` replaced by `.checkpoints.jsonl`
   */
  readonly checkpointFile?: string;
  /**
   * Path of the subject key file, created with mode 0600.
   * @default the entry path with `.jsonl` replaced by `.keys.json`
   */
  readonly keyFile?: string;
  /** Flushes every write to disk (fsync) before it resolves. @default true */
  readonly fsync?: boolean;
}

/** Settings of {@link openJsonlAuditStore}. */
export interface JsonlAuditStoreSettings {
  /**
   * Opens for reading only, as verification does: appends are rejected,
   * and the file may also be open for writing in this process.
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * Opens a JSON Lines audit store. Only one writable store per file may be
 * open in a process, because two writers would fork the chain, and paths
 * are compared after resolving symbolic links. Opening a writable store
 * deletes temporary key files that a crash left behind. NOTE: nothing
 * stops a second process from appending to the same file, so give each
 * process its own file or use a SQL store.
 */
export async function openJsonlAuditStore(
  options: JsonlAuditStoreOptions,
  settings: JsonlAuditStoreSettings = {},
): Promise<AuditStore> {
  const readOnly = settings.readOnly ?? false;
  const paths = await withFile(
    `find the real paths of the audit log ${resolve(options.jsonl)}`,
    "read",
    () => resolvePaths(options),
  );
  if (!readOnly) {
    claimWriter(paths.file, paths.realFile);
  }
  const fsync = options.fsync ?? true;
  // A read-only store never saves the shared key file, so it sets no fsync.
  const keyFile = acquireKeyFile(paths.keyFile, fsync && !readOnly);
  const store = new JsonlAuditStore(paths, keyFile, { fsync, readOnly });
  if (!readOnly) {
    try {
      await keyFile.removeTemporaryFiles();
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  return store;
}

class JsonlAuditStore implements AuditStore {
  readonly description: string;
  private readonly file: string;
  private readonly entries: AppendOnlyFile;
  private readonly checkpoints: AppendOnlyFile;
  private readonly readOnly: boolean;
  private readonly queue = new SerialQueue();
  /** The last entry once the file was read; `null` before that. */
  private tail: AuditEntry | undefined | null = null;
  private closed = false;

  constructor(
    private readonly paths: StorePaths,
    readonly subjectKeys: JsonSubjectKeyFile,
    settings: { readonly fsync: boolean; readonly readOnly: boolean },
  ) {
    this.file = paths.file;
    this.description = paths.file;
    this.readOnly = settings.readOnly;
    this.entries = new AppendOnlyFile(paths.file, settings.fsync);
    this.checkpoints = new AppendOnlyFile(paths.checkpointFile, settings.fsync);
  }

  appendEntry(
    build: (last: AuditEntry | undefined) => AuditEntry,
  ): Promise<AuditEntry> {
    return this.queue.run(() =>
      withFile(`append to the audit log ${this.file}`, "write", async () => {
        this.assertWritable();
        const last = await this.loadTail();
        const entry = build(last);
        await this.entries.append(`${JSON.stringify(entry)}\n`);
        this.tail = entry;
        return entry;
      }),
    );
  }

  lastEntry(): Promise<AuditEntry | undefined> {
    return this.queue.run(() =>
      withFile(`read the audit log ${this.file}`, "read", () =>
        this.loadTail(),
      ),
    );
  }

  async *scanEntries(): AsyncGenerator<StoredEntryRecord> {
    const lines = readFileLines(this.file);
    for (;;) {
      const next = await withFile(
        `read the audit log ${this.file}`,
        "read",
        () => lines.next(),
      );
      if (next.done === true) {
        return;
      }
      if (next.value.text.trim() !== "") {
        yield toEntryRecord(next.value);
      }
    }
  }

  async readEntries(query: AuditQuery): Promise<AuditEntry[]> {
    const from = query.from ?? 0;
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const found: AuditEntry[] = [];
    for await (const record of this.scanEntries()) {
      if (found.length >= limit) {
        break;
      }
      if (record.entry === undefined) {
        throw new SecurityError(
          SecurityErrorCode.AUDIT_TAMPERED,
          `The audit file ${this.file} has an invalid record at ` +
            `${record.location ?? "an unknown line"}: ${record.malformed}. ` +
            `Run \`rfcc-audit verify --jsonl ${this.file}\` to see what changed.`,
        );
      }
      const entry = record.entry;
      if (
        entry.index >= from &&
        (query.subject === undefined || entry.subject === query.subject)
      ) {
        found.push(entry);
      }
    }
    return found;
  }

  addCheckpoint(checkpoint: AuditCheckpoint): Promise<AuditCheckpoint> {
    return this.queue.run(() =>
      withFile(
        `write a checkpoint to ${this.checkpoints.path}`,
        "write",
        async () => {
          this.assertWritable();
          const records = await this.readCheckpointLines(true);
          const existing = records.find(
            (record) => record.checkpoint?.index === checkpoint.index,
          );
          if (existing?.checkpoint !== undefined) {
            return existing.checkpoint;
          }
          await this.checkpoints.append(`${JSON.stringify(checkpoint)}\n`);
          return checkpoint;
        },
      ),
    );
  }

  readCheckpoints(): Promise<StoredCheckpointRecord[]> {
    return withFile(
      `read the checkpoints in ${this.checkpoints.path}`,
      "read",
      () => this.readCheckpointLines(false),
    );
  }

  async close(): Promise<void> {
    if (this.closed) {
      return;
    }
    this.closed = true;
    await this.queue.drain();
    await this.entries.close();
    await this.checkpoints.close();
    releaseKeyFile(this.subjectKeys);
    if (!this.readOnly) {
      releaseWriter(this.paths.realFile);
    }
  }

  private assertWritable(): void {
    if (this.readOnly) {
      throw new SecurityError(
        SecurityErrorCode.INVALID_OPTIONS,
        `The audit store ${this.file} was opened read-only. Open it ` +
          "without readOnly to append.",
        {
          issues: [
            { path: "readOnly", value: true, message: "Open it writable." },
          ],
        },
      );
    }
  }

  /**
   * Reads the last entry once. Throws AUDIT_TAMPERED when the file does
   * not end with a valid entry, because appending would extend a broken
   * chain.
   */
  private async loadTail(): Promise<AuditEntry | undefined> {
    if (this.tail !== null) {
      return this.tail;
    }
    let last: { line: FileLine; record: StoredEntryRecord } | undefined;
    for await (const line of readFileLines(this.file)) {
      if (line.text.trim() !== "") {
        last = { line, record: toEntryRecord(line) };
      }
    }
    if (last !== undefined && last.record.entry === undefined) {
      throw unusableTail(this.file, last.line, last.record.malformed);
    }
    if (last !== undefined && !last.line.complete && !this.readOnly) {
      // A write that stopped just before its line feed left a whole entry.
      await this.entries.append("\n");
    }
    this.tail = last?.record.entry;
    return this.tail;
  }

  private async readCheckpointLines(
    forAppend: boolean,
  ): Promise<StoredCheckpointRecord[]> {
    const records: StoredCheckpointRecord[] = [];
    let lastLine: FileLine | undefined;
    for await (const line of readFileLines(this.checkpoints.path)) {
      if (line.text.trim() !== "") {
        records.push(toCheckpointRecord(line));
        lastLine = line;
      }
    }
    const last = records.at(-1);
    if (forAppend && lastLine !== undefined && last !== undefined) {
      if (last.checkpoint === undefined) {
        throw unusableTail(this.checkpoints.path, lastLine, last.malformed);
      }
      if (!lastLine.complete) {
        await this.checkpoints.append("\n");
      }
    }
    return records;
  }
}
