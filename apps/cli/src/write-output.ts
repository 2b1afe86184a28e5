/** The part of a writable stream that {@link writeOutput} uses. */
export interface OutputStream {
  write(text: string, callback?: (error?: Error | null) => void): boolean;
}

function isBrokenPipe(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "EPIPE";
}

/**
 * Writes `text` and waits until the stream has taken it, so that the
 * process can end without losing output on a pipe. A reader that closed
 * the pipe early, such as `head`, is not an error.
 */
export function writeOutput(stream: OutputStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => {
      if (error == null || isBrokenPipe(error)) {
        resolve();
      } else {
        reject(error);
      }
    });
  });
}
