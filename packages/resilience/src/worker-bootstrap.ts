/**
 * Source of the worker thread that {@link runInWorker} starts, run as a
 * CommonJS script (`eval: true`). It imports the module from
 * `workerData.moduleUrl`, calls its export `workerData.exportName` with
 * `workerData.input`, and posts `{ ok: true, value }` or `{ ok: false,
 * error }`. An error is posted as its name, message, stack and code,
 * because structured cloning drops the other fields of an error.
 */
export const WORKER_BOOTSTRAP = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
function describeError(error) {
  if (error instanceof Error) {
    return {
      name: error.name,
      message: error.message,
      stack: error.stack,
      code: typeof error.code === "string" ? error.code : undefined,
    };
  }
  return { name: "Error", message: String(error) };
}
function post(message) {
  try {
    parentPort.postMessage(message);
  } catch (error) {
    parentPort.postMessage({ ok: false, error: describeError(error) });
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
