import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { SecurityErrorCode, type SecurityError } from "../errors.js";
import { MAX_JSON_DEPTH } from "./canonical.js";
import { openAuditLog, type AuditLog } from "./log.js";
import { auditTestBackends, type AuditTestTarget } from "./test-support.js";
import type { AuditEntryInput, JsonValue } from "./types.js";

/** Builds an array nested `depth` levels deep, such as `[[0]]` for 2. */
function nested(depth: number): JsonValue {
  let value: JsonValue = 0;
  for (let level = 0; level < depth; level += 1) {
    value = [value];
  }
  return value;
}

const BASE = { actor: "user-1", action: "login", outcome: "success" };

describe.each(auditTestBackends())("audit input on $name", (backend) => {
  let target: AuditTestTarget;
  let log: AuditLog;

  beforeEach(async () => {
    target = await backend.open();
    log = await openAuditLog({ store: target.options });
  });

  afterEach(async () => {
    await log.close();
    await target.cleanup();
  });

  async function appendError(input: unknown): Promise<SecurityError> {
    return log.append(input as AuditEntryInput).then(
      () => {
        throw new Error("append accepted invalid input.");
      },
      (error: unknown) => error as SecurityError,
    );
  }

  it.each([
    ["actor", { ...BASE, actor: "bob\uD800" }, "lone UTF-16 surrogate"],
    ["target", { ...BASE, target: "name\uD83D" }, "lone UTF-16 surrogate"],
    ["requestId", { ...BASE, requestId: "\uDC00req" }, "lone UTF-16 surrogate"],
    ["tenant", { ...BASE, tenant: "acme\u0000" }, "NUL character"],
    ["details.name", { ...BASE, details: { name: "a\uDFFF" } }, "surrogate"],
    ["details[1]", { ...BASE, details: ["ok", "x\u0000"] }, "NUL character"],
    ['details["k\\u0000"]', { ...BASE, details: { "k\u0000": 1 } }, "NUL"],
    [
      "personal.email",
      { ...BASE, subject: "s-1", personal: { email: "\uD83D@example.com" } },
      "surrogate",
    ],
  ])("rejects text a store cannot keep in %s", async (path, input, reason) => {
    const error = await appendError(input);

    expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe(path);
    expect(error.issues[0]?.message).toContain(reason);
    expect((await log.verify()).entries).toBe(0);
  });

  it("leaves personal text out of the issue", async () => {
    const error = await appendError({
      ...BASE,
      subject: "s-1",
      personal: { email: "ana\u0000@example.com" },
    });

    expect(error.issues[0]?.path).toBe("personal.email");
    expect(JSON.stringify(error.issues)).not.toContain("ana");
  });

  it("rejects an erasure reason with a NUL character", async () => {
    const error = await log
      .eraseSubject("s-1", { reason: "request\u0000118" })
      .catch((caught: unknown) => caught as SecurityError);

    expect(error).toMatchObject({ code: SecurityErrorCode.INVALID_INPUT });
    expect((error as SecurityError).issues[0]?.path).toBe("reason");
  });

  it("stores paired surrogates and other text unchanged", async () => {
    const entry = await log.append({
      ...BASE,
      actor: "dan\u{1F600}",
      target: "caf\u00E9 \u4E2D\u6587 \u200B\uFFFD",
      details: { "\u{1F4A9}": ["tab\tline\nend", "\u007F"] },
    });

    const [record] = await log.read();
    expect(record?.entry).toEqual(entry);
    expect((await log.verify()).ok).toBe(true);
  });

  it("accepts details nested up to the depth limit", async () => {
    const details = { levels: nested(MAX_JSON_DEPTH - 1) };
    const entry = await log.append({ ...BASE, details });

    expect(entry.details).toEqual(details);
    const result = await log.verify();
    expect(result.problems).toEqual([]);
  });

  it("rejects details nested beyond the depth limit", async () => {
    for (const depth of [MAX_JSON_DEPTH + 1, 3000, 20_000]) {
      const error = await appendError({ ...BASE, details: nested(depth) });

      expect(error.code).toBe(SecurityErrorCode.INVALID_INPUT);
      expect(error.issues[0]?.path).toBe("details");
      expect(error.message).toContain(`more than ${MAX_JSON_DEPTH} levels`);
    }
    const personal = await appendError({
      ...BASE,
      subject: "s-1",
      personal: { deep: nested(MAX_JSON_DEPTH) },
    });
    expect(personal.issues[0]?.path).toBe("personal");
    expect(personal.message).toContain("levels deep");
  });

  it("tells a cycle apart from deep nesting", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const shared = nested(10);
    const wide = Array.from({ length: 40 }, () => [shared, shared]);

    const cycleError = await appendError({ ...BASE, details: cyclic });
    expect(cycleError.message).toContain("without cycles");
    const entry = await log.append({ ...BASE, details: wide });
    expect(entry.index).toBe(0);
  });
});
