import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { listenAddress } from "../model/address.js";
import { CannotServeError } from "../errors.js";

/**
 * Starts `server` on `address` (host:port, or :port) and returns where it
 * listens as a URL base, with the port the system chose for `:0`. A failure
 * names `what` was to be served and why, in words.
 */
export async function listenOn(server: Server, address: string, what: string): Promise<string> {
  const where = listenAddress(address);
  if (!where) throw new CannotServeError(`cannot serve ${what} on ${address}: write host:port`);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => reject(new CannotServeError(`cannot serve ${what} on ${address}: ${error.code === "EADDRINUSE" ? "the address is in use" : error.message}`)));
    server.listen(where.port, where.host || undefined, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const host = bound.family === "IPv6" ? `[${bound.address}]` : bound.address;
  return `http://${host}:${bound.port}`;
}

/**
 * Limits for a server anyone on the network may reach: connections at once (idle
 * ones would otherwise use up the process's file descriptors), and how long a
 * request's head and body may take to arrive.
 */
export function limitConnections(server: Server, maxConnections: number): void {
  server.maxConnections = maxConnections;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.keepAliveTimeout = 5_000;
}
