import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";
import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { compress } from "../compress.js";
import { BUILT_IN_MODEL_FOLDER, loadBuiltInEncoder } from "../node/index.js";
import { TOPIC_PARAGRAPHS } from "../test-support/topics.js";

const CHROMIUM = "/usr/bin/chromium";
// CI installs Chromium and sets this, so a missing browser fails there
// instead of skipping.
const REQUIRED = process.env.RETRIEVAL_FREE_BROWSER_TESTS === "required";
const available = existsSync(CHROMIUM);

const testFolder = dirname(fileURLToPath(import.meta.url));
const ortFolder = join(
  dirname(createRequire(import.meta.url).resolve("onnxruntime-web")),
);

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".onnx": "application/octet-stream",
};

/** Serves the page, its bundle, onnxruntime-web's files and the model on loopback. */
async function startServer(bundle: string): Promise<Server> {
  const routes: readonly [string, string][] = [
    ["/ort/", ortFolder],
    ["/model/", BUILT_IN_MODEL_FOLDER],
  ];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const send = (status: number, body: string | Buffer, type: string) => {
      response.writeHead(status, { "content-type": type });
      response.end(body);
    };
    if (path === "/") {
      send(
        200,
        '<!doctype html><script type="module" src="/page.js"></script>',
        "text/html",
      );
      return;
    }
    if (path === "/page.js") {
      send(200, bundle, "text/javascript");
      return;
    }
    const route = routes.find(([prefix]) => path.startsWith(prefix));
    if (route === undefined) {
      send(404, "not found", "text/plain");
      return;
    }
    const file = normalize(join(route[1], path.slice(route[0].length)));
    if (!file.startsWith(route[1])) {
      send(403, "forbidden", "text/plain");
      return;
    }
    readFile(file).then(
      (body) =>
        send(
          200,
          body,
          CONTENT_TYPES[extname(file)] ?? "application/octet-stream",
        ),
      () => send(404, "not found", "text/plain"),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

describe.skipIf(!available && !REQUIRED)("browser", () => {
  let server: Server | undefined;
  let browser: Browser | undefined;
  let origin = "";

  beforeAll(async () => {
    const bundled = await build({
      entryPoints: [join(testFolder, "..", "test-support", "browser-page.ts")],
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      logLevel: "silent",
    });
    server = await startServer(bundled.outputFiles[0]?.text ?? "");
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it("compresses with the built-in model as Node.js does", async () => {
    const text = TOPIC_PARAGRAPHS.join("\n\n");
    const cases: readonly [number, string | undefined][] = [
      [2, undefined],
      [3, "When does the bakery start its ovens?"],
    ];
    const page = await (browser as Browser).newPage();
    await page.goto(origin);
    await page.waitForFunction(() => "runCompression" in globalThis);
    const encoder = await loadBuiltInEncoder();
    for (const [ratio, query] of cases) {
      const inBrowser = (await page.evaluate(
        async ([input, r, q]) =>
          (
            globalThis as unknown as {
              runCompression: (
                text: string,
                ratio: number,
                query: string | undefined,
              ) => Promise<unknown>;
            }
          ).runCompression(input, r, q),
        [text, ratio, query] as const,
      )) as { text: string; spans: unknown; encoder: { id: string } };
      const inNode = await compress(text, {
        ratio,
        encoder,
        ...(query === undefined ? {} : { query }),
      });

      expect(inBrowser.encoder.id).toBe(encoder.id);
      expect(inBrowser.text).toBe(inNode.text);
      expect(inBrowser.spans).toEqual(inNode.spans);
    }
  }, 120_000);
});
