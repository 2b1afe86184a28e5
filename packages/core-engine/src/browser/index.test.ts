import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CoreEngineErrorCode } from "../errors.js";
import { catchCoreEngineError } from "../test-support/errors.js";
import { loadOnnxEncoderFromUrl } from "./index.js";

describe("loadOnnxEncoderFromUrl", () => {
  const requested: string[] = [];
  let server: Server;
  let origin = "";

  beforeAll(async () => {
    // Returns 404 for every path except /slow/, which gets no response.
    server = createServer((request, response) => {
      requested.push(request.url ?? "");
      if (request.url?.startsWith("/slow/") === true) {
        return;
      }
      response.writeHead(404).end();
    });
    await new Promise<void>((resolve) =>
      server.listen(0, "127.0.0.1", resolve),
    );
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("names a file the server does not have", async () => {
    const error = await catchCoreEngineError(() =>
      loadOnnxEncoderFromUrl(`${origin}/missing`),
    );

    expect(error.code).toBe(CoreEngineErrorCode.INVALID_MODEL);
    expect(error.message).toMatch(/\/missing\/.* returned HTTP status 404/);
  });

  it("keeps the folder's query on every file", async () => {
    await catchCoreEngineError(() =>
      loadOnnxEncoderFromUrl(`${origin}/signed?token=abc`),
    );

    expect(requested).toContain("/signed/model.onnx?token=abc");
  });

  it("reports an abort as an abort", async () => {
    const error = await catchCoreEngineError(() =>
      loadOnnxEncoderFromUrl(`${origin}/slow/`, {
        fetchOptions: { signal: AbortSignal.timeout(200) },
      }),
    );

    expect(error.code).toBe(CoreEngineErrorCode.ABORTED);
  });

  it("rejects an address that is not a URL", async () => {
    const error = await catchCoreEngineError(() =>
      loadOnnxEncoderFromUrl("http://[bad"),
    );

    expect(error.code).toBe(CoreEngineErrorCode.INVALID_OPTIONS);
    expect(error.message).toContain('baseUrl "http://[bad"');
  });
});
