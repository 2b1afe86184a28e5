import { ResilienceError, ResilienceErrorCode } from "./errors.js";
import {
  EventHub,
  type EventSource,
  type Listener,
  type Subscription,
} from "./events.js";
import {
  readShutdownOptions,
  type ShutdownOptions,
  type ShutdownSettings,
} from "./shutdown-options.js";

/** A unit of work that the shutdown waits for. */
export interface ShutdownTask {
  /** Number unique within one shutdown coordinator, from 1. */
  readonly id: number;
  /** Name given to `track` or `run`, or `task-<id>`. */
  readonly name: string;
  /** Time the task was registered, in ms since the epoch. */
  readonly startedAt: number;
}

/** Report of a shutdown: the work it drained and the work it cut off. */
export interface ShutdownReport {
  /** The signal name, or the reason given to `shutdown()`. */
  readonly reason: string;
  /** Whether all in-flight work finished before the deadline. */
  readonly drained: boolean;
  /** In-flight tasks that finished before the deadline. */
  readonly completed: number;
  /** Tasks still unfinished at the deadline; their signals were aborted. */
  readonly cutOff: readonly ShutdownTask[];
  /** Time from the start of the shutdown to this report, in ms. */
  readonly durationMs: number;
}

/** Payload of `shutdown-start`. */
export interface ShutdownStartEvent {
  readonly reason: string;
  /** Tasks in flight when the shutdown started. */
  readonly inFlight: number;
}

/** Events of a shutdown coordinator, by name. */
export interface ShutdownEvents {
  "shutdown-start": ShutdownStartEvent;
  "shutdown-end": ShutdownReport;
}

/** State of a shutdown coordinator. */
export type ShutdownState = "running" | "draining" | "stopped";

/** Coordinates a graceful shutdown: stop new work, drain, report. */
export interface Shutdown extends EventSource<ShutdownEvents> {
  readonly state: ShutdownState;
  /** Tasks in flight now. */
  readonly inFlight: readonly ShutdownTask[];
  /**
   * Registers work that is already running; returns a promise that
   * settles like `work`.
   * @throws {ResilienceError} `SHUTTING_DOWN` (as a rejection) once the
   * shutdown has started.
   */
  track<T>(work: PromiseLike<T>, name?: string): Promise<T>;
  /**
   * Runs `fn` as tracked work. Its signal aborts with `SHUTTING_DOWN` when
   * the deadline passes before it finishes.
   * @throws {ResilienceError} `SHUTTING_DOWN` (as a rejection) once the
   * shutdown has started.
   */
  run<T>(
    fn: (signal: AbortSignal) => PromiseLike<T> | T,
    name?: string,
  ): Promise<T>;
  /**
   * Starts the shutdown, or returns the report promise of the one already
   * started.
   * @default reason "manual"
   */
  shutdown(reason?: string): Promise<ShutdownReport>;
  /** Adds a listener for one event; returns its subscription. */
  on<K extends keyof ShutdownEvents>(
    name: K,
    listener: Listener<ShutdownEvents[K]>,
  ): Subscription;
  /** Removes the signal handlers without shutting down. */
  dispose(): void;
}

interface Entry extends ShutdownTask {
  readonly controller: AbortController | undefined;
}

function shuttingDownError(name: string, detail: string): ResilienceError {
  return new ResilienceError(
    ResilienceErrorCode.SHUTTING_DOWN,
    `The process is shutting down, so "${name}" ${detail}.`,
    { details: { task: name } },
  );
}

function toTask(entry: Entry): ShutdownTask {
  return { id: entry.id, name: entry.name, startedAt: entry.startedAt };
}

/** The shutdown coordinator behind {@link createShutdown}. */
class ShutdownCoordinator implements Shutdown {
  readonly #settings: ShutdownSettings;
  readonly #hub: EventHub<ShutdownEvents>;
  readonly #entries = new Map<number, Entry>();
  readonly #handlers = new Map<NodeJS.Signals, () => void>();
  #state: ShutdownState = "running";
  #nextId = 1;
  #report: Promise<ShutdownReport> | undefined;
  #onIdle: (() => void) | undefined;

  constructor(settings: ShutdownSettings) {
    this.#settings = settings;
    this.#hub = new EventHub(settings.logger);
    for (const signal of settings.signals) {
      const handler = (): void => {
        this.#shutdownOnSignal(signal);
      };
      this.#handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  get state(): ShutdownState {
    return this.#state;
  }

  get inFlight(): readonly ShutdownTask[] {
    return [...this.#entries.values()].map(toTask);
  }

  async track<T>(work: PromiseLike<T>, name?: string): Promise<T> {
    if (this.#state !== "running") {
      // The caller gets SHUTTING_DOWN instead, so a later failure of the
      // untracked work must not become an unhandled rejection.
      Promise.resolve(work).catch(() => undefined);
    }
    const entry = this.#register(name, undefined);
    try {
      return await work;
    } finally {
      this.#release(entry);
    }
  }

  async run<T>(
    fn: (signal: AbortSignal) => PromiseLike<T> | T,
    name?: string,
  ): Promise<T> {
    const controller = new AbortController();
    const entry = this.#register(name, controller);
    try {
      return await fn(controller.signal);
    } finally {
      this.#release(entry);
    }
  }

  shutdown(reason = "manual"): Promise<ShutdownReport> {
    this.#report ??= this.#drain(reason);
    return this.#report;
  }

  on<K extends keyof ShutdownEvents>(
    name: K,
    listener: Listener<ShutdownEvents[K]>,
  ): Subscription {
    return this.#hub.on(name, listener);
  }

  onAny(
    listener: Parameters<EventHub<ShutdownEvents>["onAny"]>[0],
  ): Subscription {
    return this.#hub.onAny(listener);
  }

  dispose(): void {
    for (const [signal, handler] of this.#handlers) {
      process.removeListener(signal, handler);
    }
    this.#handlers.clear();
  }

  #register(
    name: string | undefined,
    controller: AbortController | undefined,
  ): Entry {
    const id = this.#nextId++;
    const taskName = name ?? `task-${id}`;
    if (this.#state !== "running") {
      throw shuttingDownError(taskName, "was not started");
    }
    const entry = { id, name: taskName, startedAt: Date.now(), controller };
    this.#entries.set(id, entry);
    return entry;
  }

  #release(entry: Entry): void {
    this.#entries.delete(entry.id);
    if (this.#entries.size === 0) {
      this.#onIdle?.();
    }
  }

  /** Resolves when no work is in flight or the deadline passes. */
  #waitForIdle(): Promise<void> {
    if (this.#entries.size === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.#settings.deadlineMs);
      this.#onIdle = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async #drain(reason: string): Promise<ShutdownReport> {
    const startedAt = Date.now();
    this.#state = "draining";
    const inFlight = this.#entries.size;
    this.#hub.emit("shutdown-start", { reason, inFlight });
    await this.#waitForIdle();
    this.#onIdle = undefined;
    const cutOff = [...this.#entries.values()];
    for (const entry of cutOff) {
      entry.controller?.abort(
        shuttingDownError(entry.name, "was cut off at the shutdown deadline"),
      );
    }
    this.#state = "stopped";
    this.dispose();
    const report: ShutdownReport = {
      reason,
      drained: cutOff.length === 0,
      completed: inFlight - cutOff.length,
      cutOff: cutOff.map(toTask),
      durationMs: Date.now() - startedAt,
    };
    this.#hub.emit("shutdown-end", report);
    return report;
  }

  #shutdownOnSignal(signal: NodeJS.Signals): void {
    void this.shutdown(signal).then((report) => {
      if (this.#settings.exitOnSignal) {
        // Exiting on the next turn of the event loop lets cut-off tasks
        // run the promise reactions of their abort, such as a catch block
        // that closes a connection, before the process ends.
        setImmediate(() => process.exit(report.drained ? 0 : 1));
      }
    });
  }
}

/**
 * Creates a graceful-shutdown coordinator. Register work with `track` or
 * `run`. When a listed signal arrives or `shutdown()` is called, new work
 * rejects with `SHUTTING_DOWN`, in-flight work gets `deadlineMs` to
 * finish, and the report names every task that was cut off. Listed
 * signals no longer end the process by themselves: with `exitOnSignal`,
 * the coordinator ends it after the report, and otherwise the caller must.
 * @throws {ResilienceError} `INVALID_OPTIONS` listing every invalid option.
 */
export function createShutdown(options?: ShutdownOptions): Shutdown {
  return new ShutdownCoordinator(readShutdownOptions(options));
}
