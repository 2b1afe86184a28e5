import { createReadStream } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";

import { storeFailure } from "../storage/sql.js";

/** One line of a text file. */
export interface FileLine {
  readonly text: string;
  /** Line number, starting at 1. */
  readonly number: number;
  /** Byte offset of the line's first byte. */
  readonly offset: number;
  /** False for a last line with no line feed after it. */
  readonly complete: boolean;
}

const LINE_FEED = 0x0a;

/**
 * Reads a file line by line, splitting at line feeds. Yields nothing when
 * the file does not exist. The pieces of a line are joined once, at its
 * line feed, so reading takes time linear in the file size however long
 * a line is.
 */
export async function* readFileLines(path: string): AsyncGenerator<FileLine> {
  let pieces: Buffer[] = [];
  let offset = 0;
  let number = 0;
  try {
    for await (const chunk of createReadStream(path)) {
      const bytes = chunk as Buffer;
      let start = 0;
      let end = bytes.indexOf(LINE_FEED);
      while (end !== -1) {
        pieces.push(bytes.subarray(start, end));
        const line = Buffer.concat(pieces);
        pieces = [];
        number += 1;
        yield { text: line.toString("utf8"), number, offset, complete: true };
        offset += line.length + 1;
        start = end + 1;
        end = bytes.indexOf(LINE_FEED, start);
      }
      if (start < bytes.length) {
        pieces.push(bytes.subarray(start));
      }
    }
  } catch (error) {
    if (isNotFound(error)) {
      return;
    }
    throw error;
  }
  if (pieces.length > 0) {
    yield {
      text: Buffer.concat(pieces).toString("utf8"),
      number: number + 1,
      offset,
      complete: false,
    };
  }
}

/**
 * Appends lines to one file through a handle opened in append mode, so
 * each write lands at the end of the file.
 */
export class AppendOnlyFile {
  private handle: FileHandle | undefined;

  constructor(
    readonly path: string,
    private readonly fsync: boolean,
  ) {}

  /** Appends `text`. With `fsync`, it returns after the data reached the disk. */
  async append(text: string): Promise<void> {
    const handle = await this.open();
    await handle.appendFile(text, "utf8");
    if (this.fsync) {
      await handle.datasync();
    }
  }

  /** Closes the handle if one is open. */
  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async open(): Promise<FileHandle> {
    if (this.handle !== undefined) {
      return this.handle;
    }
    const handle = await open(this.path, "a");
    this.handle = handle;
    if (this.fsync) {
      // Makes the new directory entry durable when the append created it.
      await syncDirectory(dirname(this.path));
    }
    return handle;
  }
}

/** Flushes a directory's entries (created or renamed files) to disk. */
export async function syncDirectory(path: string): Promise<void> {
  let directory: FileHandle;
  try {
    directory = await open(path, "r");
  } catch (error) {
    // Some platforms, Windows among them, refuse to open a directory, so
    // the flush is skipped there. NOTE: this path is not tested.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EISDIR" || code === "EPERM") {
      return;
    }
    throw error;
  }
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/** Tells whether an error is a file-system "no such file" error. */
export function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

/** Whether a file operation reads or writes, for the hint of its error. */
export type FileAccess = "read" | "write";

/** Runs a file operation, turning file-system errors into STORE_FAILED. */
export async function withFile<T>(
  action: string,
  access: FileAccess,
  operation: () => Promise<T>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw storeFailure(
      action,
      error,
      `${fileHint(error, access)} The cause is attached.`,
    );
  }
}

function fileHint(error: unknown, access: FileAccess): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EISDIR") {
    return "The path is a folder, so pass the path of a file instead.";
  }
  if (code === "EACCES" || code === "EPERM") {
    return access === "read"
      ? "Check that this process may read the file."
      : "Check that this process may write the file and its folder.";
  }
  return access === "read"
    ? "Check that the path names a readable file."
    : "Check that the folder exists and is writable.";
}
