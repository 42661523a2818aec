import { createServer, type Server } from "node:http";
import { collectDefaultMetrics, Registry } from "prom-client";
import { listenAddress } from "../config/normalize.js";
import { UserError } from "../errors.js";

/** The process's own metrics (CPU, memory, event loop), from prom-client. */
const processMetrics = new Registry();
collectDefaultMetrics({ register: processMetrics });

export interface MetricsServer {
  address: string;
  close(): Promise<void>;
}

/** Serves GET /metrics on `address` (host:port) with cloudsync's metrics and the process's. */
export async function serveMetrics(address: string, render: () => string): Promise<MetricsServer> {
  const where = listenAddress(address);
  if (!where) throw new UserError(`cannot serve metrics on ${address}: not host:port`);
  const server: Server = createServer((request, response) => {
    if (request.method !== "GET" || (request.url ?? "").split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found: metrics are at /metrics\n");
      return;
    }
    processMetrics.metrics().then(
      (own) => response.writeHead(200, { "content-type": processMetrics.contentType }).end(`${render()}${own}`),
      () => response.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(new UserError(`cannot serve metrics on ${address}: ${error.code === "EADDRINUSE" ? "the address is in use" : error.message}`)));
    server.listen(where.port, where.host || undefined, () => resolve());
  });
  return { address, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
