import { describe, expect, it } from "vitest";

import { isResilienceError } from "./errors.js";
import type { FallbackEvent } from "./events.js";
import { createFallbackChain } from "./fallback.js";
import {
  codeOf,
  FakeFailure,
  rejectionOf,
  thrownBy,
} from "./test-support/errors.js";
import { matchStatus } from "./transient.js";

function failWith(status: number) {
  return (): never => {
    throw new FakeFailure(`status ${status}`, { status });
  };
}

describe("createFallbackChain", () => {
  it("returns the first value and records the strategy", async () => {
    const chain = createFallbackChain([
      { name: "onnx", run: () => "dense" },
      { name: "hashing", run: () => "hashed" },
    ]);
    await expect(chain.execute()).resolves.toEqual({
      value: "dense",
      strategy: "onnx",
      attempts: [{ name: "onnx" }],
    });
  });

  it("moves down the chain and records each failure", async () => {
    const onnxFailure = new Error("model missing");
    const chain = createFallbackChain<string>([
      {
        name: "onnx",
        run: () => {
          throw onnxFailure;
        },
      },
      { name: "hashing", run: () => Promise.reject(new Error("no memory")) },
      { name: "lexical", run: () => Promise.resolve("terms") },
      { name: "head", run: () => "truncated" },
    ]);
    const events: FallbackEvent[] = [];
    chain.onFallback((event) => events.push(event));
    const result = await chain.execute();
    expect(result.value).toBe("terms");
    expect(result.strategy).toBe("lexical");
    expect(result.attempts.map((attempt) => attempt.name)).toEqual([
      "onnx",
      "hashing",
      "lexical",
    ]);
    expect(result.attempts[0]?.error).toBe(onnxFailure);
    expect(result.attempts[2]).toEqual({ name: "lexical" });
    expect(events.map((event) => [event.from, event.to])).toEqual([
      ["onnx", "hashing"],
      ["hashing", "lexical"],
    ]);
  });

  it("moves on for 401 when configured for 429 and 401", async () => {
    const chain = createFallbackChain(
      [
        { name: "primary", run: failWith(401) },
        { name: "secondary", run: () => "backup" },
      ],
      { shouldFallback: matchStatus(429, 401) },
    );
    const result = await chain.execute();
    expect(result.strategy).toBe("secondary");
    expect((result.attempts[0]?.error as FakeFailure).status).toBe(401);
  });

  it("rethrows a 400 unchanged when configured for 429 and 401", async () => {
    const badRequest = new FakeFailure("bad request", { status: 400 });
    let secondaryRan = false;
    const chain = createFallbackChain(
      [
        {
          name: "primary",
          run: () => {
            throw badRequest;
          },
        },
        {
          name: "secondary",
          run: () => {
            secondaryRan = true;
            return "backup";
          },
        },
      ],
      { shouldFallback: matchStatus(429, 401) },
    );
    const error = await rejectionOf(chain.execute());
    expect(error).toBe(badRequest);
    expect(secondaryRan).toBe(false);
  });

  it("rejects with FALLBACK_EXHAUSTED when every strategy fails", async () => {
    const chain = createFallbackChain(
      [
        { name: "a", run: failWith(429) },
        { name: "b", run: failWith(503) },
      ],
      { name: "encoder" },
    );
    const error = await rejectionOf(chain.execute());
    expect(codeOf(error)).toBe("FALLBACK_EXHAUSTED");
    expect(((error as Error).cause as FakeFailure).status).toBe(503);
    expect((error as Error).message).toContain("a: status 429; b: status 503");
    const attempts = isResilienceError(error) ? error.details.attempts : [];
    expect((attempts as unknown[]).length).toBe(2);
  });

  it("stops when the caller's signal fires", async () => {
    const controller = new AbortController();
    const failure = new Error("aborted work");
    let secondRan = false;
    const chain = createFallbackChain([
      {
        name: "first",
        run: (signal) => {
          controller.abort();
          expect(signal.aborted).toBe(true);
          throw failure;
        },
      },
      {
        name: "second",
        run: () => {
          secondRan = true;
        },
      },
    ]);
    expect(await rejectionOf(chain.execute(controller.signal))).toBe(failure);
    expect(secondRan).toBe(false);
  });

  it("moves on by status in any of the usual error shapes", async () => {
    const shapes: [string, unknown][] = [
      ["status", Object.assign(new Error("limited"), { status: 429 })],
      ["statusCode", Object.assign(new Error("denied"), { statusCode: 401 })],
      ["response.status", { message: "axios", response: { status: 429 } }],
    ];
    for (const [shape, failure] of shapes) {
      const chain = createFallbackChain<string>(
        [
          {
            name: "primary",
            run: () => {
              throw failure;
            },
          },
          { name: "backup", run: () => "backup" },
        ],
        { shouldFallback: matchStatus(429, 401) },
      );
      const result = await chain.execute();
      expect(result.strategy, shape).toBe("backup");
    }
    const badRequest = Object.assign(new Error("bad request"), {
      response: { status: 400 },
    });
    const strict = createFallbackChain<string>(
      [
        {
          name: "primary",
          run: () => Promise.reject(badRequest),
        },
        { name: "backup", run: () => "backup" },
      ],
      { shouldFallback: matchStatus(429, 401) },
    );
    expect(await rejectionOf(strict.execute())).toBe(badRequest);
  });

  it("names every failed strategy and its reason", async () => {
    const chain = createFallbackChain<string>([
      {
        name: "onnx",
        run: () => {
          throw new Error("");
        },
      },
      {
        name: "hashing",
        run: () => Promise.reject(new Error("no vocabulary")),
      },
      {
        name: "lexical",
        run: () => {
          // A strategy may throw a value that is not an Error.
          // eslint-disable-next-line @typescript-eslint/only-throw-error
          throw "index missing";
        },
      },
    ]);
    const error = await rejectionOf(chain.execute());
    expect(codeOf(error)).toBe("FALLBACK_EXHAUSTED");
    expect((error as Error).message).toContain(
      'onnx: Error without a message; hashing: no vocabulary; lexical: "index missing"',
    );
    expect((error as Error).cause).toBe("index missing");
  });

  it("reports invalid and duplicate strategies", () => {
    const error = thrownBy(() =>
      createFallbackChain([
        { name: "same", run: () => 1 },
        { name: "same", run: () => 2 },
        { name: "", run: () => 3 },
        { name: "no-run" } as never,
      ]),
    );
    const paths = isResilienceError(error)
      ? error.issues.map((issue) => issue.path)
      : [];
    expect(paths).toEqual(["strategies[1]", "strategies[2]", "strategies[3]"]);
    expect(thrownBy(() => createFallbackChain([]))).toMatchObject({
      code: "INVALID_OPTIONS",
    });
  });
});
