/**
 * Source of the worker thread that {@link runInWorker} starts, run as a
 * CommonJS script (`eval: true`). It imports the module from
 * `workerData.moduleUrl`, calls its export `workerData.exportName` with
 * `workerData.input`, and posts `{ nonce, ok: true, value }` or `{ nonce,
 * ok: false, error }`. It deletes `workerData.nonce` before it imports the
 * module, so a message that the module posts itself lacks the nonce and
 * the parent ignores it. It binds `postMessage` before the import too, so
 * a module that replaces `parentPort.postMessage` cannot rewrite the
 * result. An error is posted as its name, message, stack
 * and code, because structured cloning drops the other fields of an error.
 * A thrown value that is not an Error is posted as its `util.inspect` text.
 */
export const WORKER_BOOTSTRAP = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { inspect } = require("node:util");
const nonce = workerData.nonce;
delete workerData.nonce;
// Bound before the module loads, so a module that replaces
// parentPort.postMessage cannot rewrite the result message.
const send = parentPort.postMessage.bind(parentPort);
function describeError(error) {
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      code: typeof error.code === "string" ? error.code : undefined,
    };
  }
  return { name: "Error", message: inspect(error, { breakLength: Infinity }) };
}
function post(message) {
  try {
    send({ nonce, ...message });
  } catch (error) {
    send({ nonce, ok: false, error: describeError(error) });
  }
}
Promise.resolve()
  .then(() => import(workerData.moduleUrl))
  .then((loaded) => {
    const run = loaded[workerData.exportName];
    if (typeof run !== "function") {
      throw new TypeError(
        "The module " + workerData.moduleUrl + " has no exported function \\"" +
          workerData.exportName + "\\".",
      );
    }
    return run(workerData.input);
  })
  .then(
    (value) => post({ ok: true, value }),
    (error) => post({ ok: false, error: describeError(error) }),
  );
`;
