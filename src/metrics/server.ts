import { createServer, type Server } from "node:http";
import { gzipSync } from "node:zlib";
import { collectDefaultMetrics, Registry } from "prom-client";
import { limitConnections, listenOn } from "../net/listen.js";
import type { MetricsText } from "./model.js";

let registry: Registry | undefined;
/** Scrapers at once: Prometheus needs one. */
const MAX_CONNECTIONS = 32;

/** The process's own metrics (CPU, memory, event loop, GC), from prom-client; made when first served. */
function processMetrics(): Registry {
  if (registry) return registry;
  registry = new Registry();
  // A coarse event-loop probe: the default (10 ms) wakes an idle service a hundred times a second.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 200 });
  // Gauges named like counters, which promtool's lint (and Prometheus' conventions) refuse.
  for (const name of ["nodejs_active_handles_total", "nodejs_active_requests_total", "nodejs_active_resources_total"]) registry.removeSingleMetric(name);
  return registry;
}

export interface MetricsServer {
  address: string;
  /** Where it listens (the port the system chose, for :0). */
  url: string;
  close(): Promise<void>;
}

/**
 * The tasks' part of the body, gzipped, made again only when a task changed
 * (10,000 tasks are ~7–12 MB of text, ~0.4 MB gzipped): a scrape from Prometheus,
 * which asks for gzip, sends what is kept. A plain body is made for each
 * request that wants one and not kept (it would hold the whole text in memory).
 */
function taskBytes(text: MetricsText) {
  let generation = -1;
  let gzipped: Buffer | null = null;
  return (gzip: boolean): Buffer => {
    if (text.generation !== generation) {
      generation = text.generation;
      gzipped = null;
    }
    if (!gzip) return Buffer.from(text.renderTasks());
    gzipped ??= gzipSync(Buffer.from(text.renderTasks()), { level: 1 });
    return gzipped;
  };
}

/** Serves GET /metrics on `address` (host:port) with cloudsync's metrics and the process's. */
export async function serveMetrics(address: string, text: MetricsText, beforeScrape: () => void, onError: (error: Error) => void): Promise<MetricsServer> {
  const registry = processMetrics();
  const cached = taskBytes(text);
  const server: Server = createServer((request, response) => {
    if (request.method !== "GET" || (request.url ?? "").split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found: metrics are at /metrics\n");
      return;
    }
    const gzip = /\bgzip\b/.test(String(request.headers["accept-encoding"] ?? ""));
    beforeScrape();
    registry.metrics().then(
      (own) => {
        // The few lines that change at every scrape follow as a second gzip member, which decoders join.
        const plainTail = Buffer.from(text.renderGlobal() + own);
        const tail = gzip ? gzipSync(plainTail, { level: 1 }) : plainTail;
        const tasks = cached(gzip);
        // Written as two pieces, not joined: joining copied the ~7 MB kept part at every scrape.
        const headers = { "content-type": registry.contentType, "content-length": tasks.length + tail.length, ...(gzip ? { "content-encoding": "gzip" } : {}) };
        response.writeHead(200, headers);
        response.write(tasks);
        response.end(tail);
      },
      () => response.writeHead(500).end(),
    );
  });
  // Often on 0.0.0.0 and without a login: idle connections must not use up the process's file descriptors.
  limitConnections(server, MAX_CONNECTIONS);
  const url = await listenOn(server, address, "metrics");
  // After listening, a failure to accept (no file descriptor left) is passing: the server goes on.
  server.on("error", (error) => onError(error));
  return { address, url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
