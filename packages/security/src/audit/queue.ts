/** Runs async tasks one at a time, in the order they were queued. */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Queues a task and returns its result. A failed task does not stop the queue. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Waits until every task queued so far has settled. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
