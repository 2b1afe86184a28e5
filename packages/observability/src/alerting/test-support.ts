import type { AlertNotification, Clock, NotificationHandler } from "./types.js";

/** A clock that moves only when `advance` is called. */
export interface TestClock extends Clock {
  advance(ms: number): void;
}

/** Creates a {@link TestClock} starting at `start`. */
export function createTestClock(start = 1_700_000_000_000): TestClock {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
  };
}

/** A handler that stores every notification it receives. */
export interface RecordingHandler extends NotificationHandler {
  readonly received: AlertNotification[];
}

/** Creates a {@link RecordingHandler}. */
export function createRecordingHandler(): RecordingHandler {
  const received: AlertNotification[] = [];
  return {
    name: "recording",
    received,
    notify(notification) {
      received.push(notification);
      return Promise.resolve();
    },
  };
}
