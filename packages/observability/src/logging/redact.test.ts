import { describe, expect, it } from "vitest";

import { isObservabilityError } from "../errors.js";
import { detectSecret, scrubText } from "./detectors.js";
import { createRedactor, DEFAULT_REDACT_KEYS } from "./redact.js";

const JWT =
  "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
const PEM =
  "-----BEGIN PRIVATE KEY-----\nMIIBVwIBADANBgkqhkiG9w0BAQEFAASCAT8w\n-----END PRIVATE KEY-----";

describe("DEFAULT_REDACT_KEYS", () => {
  it("contains the documented key names", () => {
    expect(DEFAULT_REDACT_KEYS).toEqual([
      "password",
      "passwd",
      "passphrase",
      "secret",
      "clientSecret",
      "token",
      "accessToken",
      "refreshToken",
      "idToken",
      "apiKey",
      "xApiKey",
      "authorization",
      "proxyAuthorization",
      "cookie",
      "setCookie",
      "privateKey",
      "sessionId",
      "creditCard",
      "cardNumber",
      "cvv",
      "ssn",
    ]);
  });

  it("redacts each default key in any spelling", () => {
    const redact = createRedactor({ detector: false });
    for (const key of DEFAULT_REDACT_KEYS) {
      const snake = key.replace(/[A-Z]/gu, (c) => `_${c.toLowerCase()}`);
      const record = { [key]: "v", [snake.toUpperCase()]: "v" };
      expect(redact(record)).toEqual({
        [key]: "[REDACTED]",
        [snake.toUpperCase()]: "[REDACTED]",
      });
    }
  });
});

describe("createRedactor", () => {
  it("keeps a sibling key that only starts with a redacted key", () => {
    const redact = createRedactor({ keys: ["password"], detector: false });
    const output = redact({ user: { password: "x", passwordHint: "y" } });
    expect(output).toEqual({
      user: { password: "[REDACTED]", passwordHint: "y" },
    });
  });

  it("redacts keys at any depth and inside arrays", () => {
    const redact = createRedactor({ detector: false });
    const output = redact({
      a: [{ b: { Authorization: "Basic abc" } }, { token: 1 }],
    });
    expect(output).toEqual({
      a: [{ b: { Authorization: "[REDACTED]" } }, { token: "[REDACTED]" }],
    });
  });

  it("replaces a cycle with a marker", () => {
    const node: Record<string, unknown> = { name: "n" };
    node["self"] = node;
    const output = createRedactor()({ node });
    expect(output).toEqual({ node: { name: "n", self: "[Circular]" } });
  });

  it("keeps repeated references that are not cycles", () => {
    const shared = { id: 1 };
    const output = createRedactor()({ a: shared, b: shared });
    expect(output).toEqual({ a: { id: 1 }, b: { id: 1 } });
  });

  it("copies Maps and Sets with their secrets redacted", () => {
    const headers = new Map<string, unknown>([
      ["cookie", "sid=1"],
      ["accept", "text/plain"],
    ]);
    const output = createRedactor()({ headers, tags: new Set([JWT, "ok"]) });
    expect(output).toEqual({
      headers: { cookie: "[REDACTED]", accept: "text/plain" },
      tags: ["[REDACTED]", "ok"],
    });
  });

  it("keeps error message and stack but scrubs secrets in them", () => {
    const error = new Error(`login failed for bob@example.com with ${JWT}`);
    const output = createRedactor()({ err: error }) as {
      err: Record<string, unknown>;
    };
    expect(output.err["type"]).toBe("Error");
    expect(output.err["message"]).toBe(
      "login failed for [REDACTED] with [REDACTED]",
    );
    expect(output.err["stack"]).toContain("login failed for [REDACTED]");
    expect(String(output.err["stack"])).not.toContain("eyJ");
  });

  it("redacts own properties and causes of errors", () => {
    const error = Object.assign(new Error("outer", { cause: PEM }), {
      token: "t",
      code: "E_X",
    });
    const output = createRedactor()({ err: error }) as {
      err: Record<string, unknown>;
    };
    expect(output.err["token"]).toBe("[REDACTED]");
    expect(output.err["code"]).toBe("E_X");
    expect(output.err["cause"]).toBe("[REDACTED]");
  });

  it("replaces object and Map keys that hold secrets", () => {
    const output = createRedactor()({
      fields: { [JWT]: 1, plain: 2 },
      map: new Map([
        [JWT, "a"],
        ["x@example.com", "b"],
      ]),
    });
    expect(output).toEqual({
      fields: { "[REDACTED KEY 1]": 1, plain: 2 },
      map: { "[REDACTED KEY 1]": "a", "[REDACTED KEY 2]": "b" },
    });
  });

  it("writes a marker for a getter that throws", () => {
    const input = {
      ok: 1,
      get boom(): never {
        throw new Error("getter failed");
      },
    };
    expect(createRedactor()(input)).toEqual({ ok: 1, boom: "[Throws]" });
  });

  it("writes a marker when toJSON throws", () => {
    const input = {
      value: {
        toJSON(): never {
          throw new Error("toJSON failed");
        },
      },
    };
    expect(createRedactor()(input)).toEqual({ value: "[Throws]" });
  });

  it("replaces binary data with its size", () => {
    const output = createRedactor()({
      buffer: Buffer.from(JWT),
      bytes: new TextEncoder().encode("secret"),
      view: new DataView(new ArrayBuffer(4)),
      raw: new ArrayBuffer(3),
    });
    expect(output).toEqual({
      buffer: `[Binary ${JWT.length} bytes]`,
      bytes: "[Binary 6 bytes]",
      view: "[Binary 4 bytes]",
      raw: "[Binary 3 bytes]",
    });
  });

  it("redacts URLs with a password", () => {
    const output = createRedactor()({
      text: "https://user:hunter2@db.internal/x",
      url: new URL("https://user:hunter2@db.internal/x"),
      plain: "https://db.internal/x",
    });
    expect(output).toEqual({
      text: "[REDACTED]",
      url: "[REDACTED]",
      plain: "https://db.internal/x",
    });
  });

  it("scrubs secrets in an error name", () => {
    const error = new Error("failed");
    error.name = `TokenError ${JWT}`;
    const output = createRedactor()(error) as Record<string, unknown>;
    expect(output["type"]).toBe("TokenError [REDACTED]");
  });

  it("copies AggregateError errors redacted", () => {
    const inner = Object.assign(new Error(`bad ${JWT}`), { token: "t" });
    const output = createRedactor()(new AggregateError([inner], "all")) as {
      errors: Record<string, unknown>[];
    };
    expect(output.errors).toHaveLength(1);
    expect(output.errors[0]?.["message"]).toBe("bad [REDACTED]");
    expect(output.errors[0]?.["token"]).toBe("[REDACTED]");
  });

  it("passes keys and paths to a custom detector", () => {
    const paths: string[] = [];
    const redact = createRedactor({
      detector: (value, path) => {
        paths.push(path.join("."));
        return value.startsWith("sk-");
      },
    });
    const output = redact({ list: ["sk-1", "plain"] });
    expect(output).toEqual({ list: ["[REDACTED]", "plain"] });
    // The key "list" is checked first, with the path that ends in it.
    expect(paths).toEqual(["list", "list.0", "list.1"]);
  });

  it("leaves the input unchanged", () => {
    const input = { password: "x", nested: { token: "y" } };
    createRedactor()(input);
    expect(input).toEqual({ password: "x", nested: { token: "y" } });
  });

  it("rejects an empty key name and a bad depth together", () => {
    let caught: unknown;
    try {
      createRedactor({ extraKeys: ["_"], maxDepth: 0 });
    } catch (error) {
      caught = error;
    }
    expect(isObservabilityError(caught)).toBe(true);
    const issues = isObservabilityError(caught) ? caught.issues : [];
    expect(issues.map((issue) => issue.path)).toEqual([
      "redact.keys[0]",
      "redact.maxDepth",
    ]);
  });
});

describe("scrubText", () => {
  it("keeps a URL but removes its password", () => {
    const text = "connect to postgres://app:hunter2@db:5432/main failed";
    expect(scrubText(text, "[REDACTED]", detectSecret, [])).toBe(
      "connect to postgres://app:[REDACTED]@db:5432/main failed",
    );
  });

  it("keeps a dotted host after the password", () => {
    const text = "auth with https://bob:s3cret@db.example.com ok";
    expect(scrubText(text, "[REDACTED]", detectSecret, [])).toBe(
      "auth with https://bob:[REDACTED]@db.example.com ok",
    );
  });
});

describe("detectSecret", () => {
  const cases: [string, string, boolean][] = [
    ["bearer token", "Bearer abc.def-123", true],
    ["rfcc key", "rfcc_live_AbCdEf123456_xyz", true],
    ["JWT", JWT, true],
    ["PEM block", PEM, true],
    ["email", "alice@example.org", true],
    ["URL password", "redis://:hunter2@cache:6379/0", true],
    ["URL without password", "https://example.org/a@b", false],
    ["random base64", "q8Zt3LmX9vKp2WnR7yJc4HbF6dGs1QaE0uTo", true],
    ["hex trace id", "4bf92f3577b34da6a3ce929d0e0e4736", false],
    ["plain sentence", "compression finished in 12 ms", false],
    ["short word", "hello", false],
  ];
  for (const [name, value, expected] of cases) {
    it(`returns ${expected} for ${name}`, () => {
      expect(detectSecret(value, [])).toBe(expected);
    });
  }
});

describe("createRedactor under hostile input", () => {
  it("unwraps boxed primitives before detection", () => {
    const redact = createRedactor();
    const output = redact({
      header: new String("Bearer abc.def.ghi"),
      count: new Number(3),
      big: Object(10n) as object,
    });
    expect(output).toEqual({ header: "[REDACTED]", count: 3, big: 10n });
  });

  it("redacts a value when the detector throws", () => {
    const redact = createRedactor({
      detector: (value) => {
        if (value === "unjudged") throw new Error("detector failed");
        return false;
      },
    });
    expect(redact("unjudged")).toBe("[REDACTED]");
    expect(redact({ kept: "fine", nested: { other: "unjudged" } })).toEqual({
      kept: "fine",
      nested: { other: "[REDACTED]" },
    });
  });

  it("stops very deep objects at maxDepth", () => {
    const root: Record<string, unknown> = {};
    let node = root;
    for (let depth = 0; depth < 10_000; depth += 1) {
      const next: Record<string, unknown> = {};
      node["next"] = next;
      node = next;
    }
    const redact = createRedactor({ maxDepth: 3 });
    expect(redact(root)).toEqual({ next: { next: { next: "[MaxDepth]" } } });
  });

  it("marks a cycle through an error cause", () => {
    const outer = new Error("outer");
    const inner = new Error("inner Bearer abc123xyz", { cause: outer });
    outer.cause = inner;
    const output = createRedactor()(outer) as Record<string, unknown>;
    const cause = output["cause"] as Record<string, unknown>;
    expect(cause["message"]).toBe("inner [REDACTED]");
    expect(cause["cause"]).toBe("[Circular]");
  });
});
