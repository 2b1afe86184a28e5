import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import type * as PrometheusModule from "@opentelemetry/exporter-prometheus";
import type { PrometheusExporter } from "@opentelemetry/exporter-prometheus";

import { importOptionalPeer } from "./load.js";

/** A Prometheus exporter with its scrape server. */
export interface PrometheusEndpoint {
  readonly exporter: PrometheusExporter;
  /** Scrape URL, with the port actually bound. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts a Prometheus exporter that serves `/metrics` on host and port.
 * The server is this package's own, so port 0 works and the bound port is
 * known.
 */
export async function startPrometheus(
  host: string,
  port: number,
): Promise<PrometheusEndpoint> {
  const module = await importOptionalPeer<typeof PrometheusModule>(
    "@opentelemetry/exporter-prometheus",
  );
  const exporter = new module.PrometheusExporter({ preventServerStart: true });
  const server = createServer((request, response) => {
    if (request.method === "GET" && request.url?.split("?")[0] === "/metrics") {
      exporter.getMetricsRequestHandler(request, response);
      return;
    }
    response.statusCode = 404;
    response.end();
  });
  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  const hostText =
    address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    exporter,
    url: `http://${hostText}:${address.port}/metrics`,
    close: () => closeServer(server),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error === undefined) {
        resolve();
      } else {
        reject(error);
      }
    });
    server.closeAllConnections();
  });
}
