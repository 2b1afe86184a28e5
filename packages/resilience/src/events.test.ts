import { describe, expect, it } from "vitest";

import { EventHub, type ResilienceLogger } from "./events.js";

interface TestEvents {
  ping: { readonly count: number };
  pong: { readonly text: string };
}

/** Creates a logger that stores its calls. */
function recordingLogger() {
  const lines: {
    level: string;
    fields: Record<string, unknown>;
    message: string;
  }[] = [];
  const logger: ResilienceLogger = {
    info: (fields, message) => lines.push({ level: "info", fields, message }),
    warn: (fields, message) => lines.push({ level: "warn", fields, message }),
  };
  return { logger, lines };
}

describe("EventHub", () => {
  it("calls listeners of the emitted event only", () => {
    const hub = new EventHub<TestEvents>();
    const pings: number[] = [];
    const pongs: string[] = [];
    hub.on("ping", (event) => pings.push(event.count));
    hub.on("pong", (event) => pongs.push(event.text));
    hub.emit("ping", { count: 1 });
    expect(pings).toEqual([1]);
    expect(pongs).toEqual([]);
  });

  it("stops calling a disposed listener", () => {
    const hub = new EventHub<TestEvents>();
    const pings: number[] = [];
    const subscription = hub.on("ping", (event) => pings.push(event.count));
    hub.emit("ping", { count: 1 });
    subscription.dispose();
    hub.emit("ping", { count: 2 });
    expect(pings).toEqual([1]);
  });

  it("passes every event to onAny listeners", () => {
    const hub = new EventHub<TestEvents>();
    const names: string[] = [];
    hub.onAny((name) => names.push(name));
    hub.emit("ping", { count: 1 });
    hub.emit("pong", { text: "a" });
    expect(names).toEqual(["ping", "pong"]);
  });

  it("logs a throwing listener and still calls the others", () => {
    const { logger, lines } = recordingLogger();
    const hub = new EventHub<TestEvents>(logger);
    const failure = new Error("listener bug");
    const pings: number[] = [];
    hub.on("ping", () => {
      throw failure;
    });
    hub.on("ping", (event) => pings.push(event.count));
    expect(() => {
      hub.emit("ping", { count: 1 });
    }).not.toThrow();
    expect(pings).toEqual([1]);
    expect(lines).toEqual([
      {
        level: "warn",
        fields: { err: failure, event: "ping" },
        message: "event listener failed",
      },
    ]);
  });

  it("logs a rejecting async listener", async () => {
    const { logger, lines } = recordingLogger();
    const hub = new EventHub<TestEvents>(logger);
    // An async listener breaks the Listener contract on purpose here.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    hub.on("ping", () => Promise.reject(new Error("async bug")));
    hub.emit("ping", { count: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((line) => line.fields.event)).toEqual(["ping"]);
  });

  it("survives a throwing logger", () => {
    const hub = new EventHub<TestEvents>({
      info: () => undefined,
      warn: () => {
        throw new Error("logger bug");
      },
    });
    hub.on("ping", () => {
      throw new Error("listener bug");
    });
    expect(() => {
      hub.emit("ping", { count: 1 });
    }).not.toThrow();
  });
});
