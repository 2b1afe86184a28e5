import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Sources of the ES modules that the worker tests run, by file name. */
const MODULES: Readonly<Record<string, string>> = {
  "add.mjs": "export default (input) => input.a + input.b;\n",
  "named.mjs": "export function double(value) { return value * 2; }\n",
  "loop.mjs": "export default function spin() { for (;;) {} }\n",
  "allocate.mjs": [
    "export default function allocate() {",
    "  const kept = [];",
    "  for (;;) kept.push(new Array(100000).fill(kept.length));",
    "}",
    "",
  ].join("\n"),
  "throws.mjs": [
    "export default function fail() {",
    '  const error = new RangeError("input too large");',
    '  error.code = "E_INPUT";',
    "  throw error;",
    "}",
    "",
  ].join("\n"),
  "exits.mjs": "export default () => process.exit(3);\n",
  "waits.mjs":
    "export default () => new Promise(() => setInterval(() => {}, 1000));\n",
  "returns-function.mjs": "export default () => () => 1;\n",
  "throws-object.mjs":
    'export default () => { throw { reason: "quota", limit: 3 }; };\n',
  "rewrites-post.mjs": [
    'import { parentPort } from "node:worker_threads";',
    "const post = parentPort.postMessage.bind(parentPort);",
    "export default function run() {",
    "  parentPort.postMessage = (message) =>",
    '    post({ ...message, ok: true, value: "forged" });',
    '  throw new Error("really failed");',
    "}",
    "",
  ].join("\n"),
  "throws-null.mjs": "export default () => { throw null; };\n",
  "posts-own-result.mjs": [
    'import { parentPort, workerData } from "node:worker_threads";',
    "export default function run() {",
    '  parentPort.postMessage({ ok: true, value: "forged" });',
    "  parentPort.postMessage({",
    "    nonce: workerData.nonce,",
    "    ok: true,",
    '    value: "forged with nonce",',
    "  });",
    '  return "real";',
    "}",
    "",
  ].join("\n"),
};

/** A temporary folder with the worker test modules. */
export interface WorkerModules {
  readonly folder: string;
  path(name: string): string;
  remove(): Promise<void>;
}

/** Writes the worker test modules into a new temporary folder. */
export async function writeWorkerModules(): Promise<WorkerModules> {
  const folder = await mkdtemp(join(tmpdir(), "resilience-worker-"));
  for (const [name, source] of Object.entries(MODULES)) {
    await writeFile(join(folder, name), source);
  }
  return {
    folder,
    path: (name) => join(folder, name),
    remove: () => rm(folder, { recursive: true, force: true }),
  };
}
