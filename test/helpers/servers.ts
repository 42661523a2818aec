// Real endpoints on 127.0.0.1 for the run tests: rclone's own SFTP and WebDAV
// servers over a local directory, and s3rver for S3.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer, connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { tempDir, testEnv } from "./cli.js";
import { setTimeout as sleep } from "node:timers/promises";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await sleep(50);
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

export interface Endpoint {
  name: string;
  /** The credential's options, as they would stand in cloudsync.yaml. */
  credential: Record<string, string | number | boolean>;
  /** Set for bucket-based endpoints. */
  bucket: string | null;
  /** Task options this endpoint needs. */
  taskOptions: Record<string, unknown>;
  /** Where the served files are on disk, for byte-for-byte checks (null: not plain files). */
  root: string | null;
  stop(): Promise<void>;
}

export const USER = "tester";
export const PASSWORD = "pa55-w0rd-for-tests";

async function rcloneServe(kind: "sftp" | "webdav", root: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  // No listing cache: the tests put files into the served directory behind the server's back.
  const args = ["serve", kind, root, "--addr", `127.0.0.1:${port}`, "--user", USER, "--pass", PASSWORD, "--dir-cache-time", "0s"];
  const child = spawn("rclone", args, {
    env: testEnv({ RCLONE_CONFIG: "/dev/null" }),
    stdio: "ignore",
  });
  await waitForPort(port);
  return { port, child };
}

const stopChild = (child: ChildProcess) => async () => {
  child.kill("SIGTERM");
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on("exit", resolve)));
};

/** rclone's own SFTP or WebDAV server over a fresh directory, with the credential that reaches it. */
async function startRcloneServer(kind: "sftp" | "webdav", base: string): Promise<Endpoint> {
  const root = join(base, `${kind}-root`);
  mkdirSync(root, { recursive: true });
  const { port, child } = await rcloneServe(kind, root);
  const credential: Endpoint["credential"] =
    kind === "sftp"
      ? { type: "sftp", host: "127.0.0.1", port, user: USER, pass: PASSWORD }
      : { type: "webdav", url: `http://127.0.0.1:${port}`, user: USER, pass: PASSWORD };
  return { name: kind, credential, bucket: null, taskOptions: {}, root, stop: stopChild(child) };
}

export const startSftp = (base: string) => startRcloneServer("sftp", base);
export const startWebdav = (base: string) => startRcloneServer("webdav", base);

// s3rver in a process of its own, as a real server would be; inside the test worker it lost objects from listings.
const S3RVER_MAIN = `
const S3rver = require("s3rver");
const [port, directory] = process.argv.slice(1);
new S3rver({ port: Number(port), address: "127.0.0.1", silent: true, directory, configureBuckets: [{ name: "bucket" }] }).run();
`;

export async function startS3(base: string): Promise<Endpoint> {
  const port = await freePort();
  const directory = join(base, "s3-data");
  mkdirSync(directory, { recursive: true });
  const child = spawn(process.execPath, ["-e", S3RVER_MAIN, String(port), directory], { cwd: process.cwd(), stdio: "ignore" });
  await waitForPort(port);
  return {
    name: "s3",
    credential: {
      type: "s3",
      provider: "Other",
      endpoint: `http://127.0.0.1:${port}`,
      access_key_id: "S3RVER",
      secret_access_key: "S3RVER",
      force_path_style: true,
    },
    bucket: "bucket",
    // s3rver 3.7 leaves some common prefixes out of delimited listings; one recursive listing avoids that.
    taskOptions: { fast_list: true },
    root: null,
    stop: stopChild(child),
  };
}

/**
 * A temporary directory and an SFTP server over part of it, for the tests of
 * one file: started before them, stopped and removed after.
 */
export function withSftpServer(): { readonly base: string; readonly sftp: Endpoint } {
  let dir: ReturnType<typeof tempDir> | undefined;
  let server: Endpoint | undefined;
  beforeAll(async () => {
    dir = tempDir();
    server = await startSftp(dir.path);
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    dir?.remove();
  });
  return {
    get base() {
      return dir!.path;
    },
    get sftp() {
      return server!;
    },
  };
}

/**
 * A temporary directory and one of each kind of destination over it (a local folder, rclone's SFTP
 * and WebDAV servers, s3rver), for the tests of one file: started before them, stopped and removed after.
 */
export function withEveryEndpoint(): { readonly base: string; readonly endpoints: Readonly<Record<"local" | "sftp" | "webdav" | "s3", Endpoint>> } {
  let dir: ReturnType<typeof tempDir> | undefined;
  const endpoints: Partial<Record<"local" | "sftp" | "webdav" | "s3", Endpoint>> = {};
  beforeAll(async () => {
    dir = tempDir();
    const localRoot = join(dir.path, "local-remote");
    mkdirSync(localRoot);
    endpoints.local = { name: "local", credential: { type: "local" }, bucket: null, taskOptions: {}, root: localRoot, stop: async () => undefined };
    [endpoints.sftp, endpoints.webdav, endpoints.s3] = await Promise.all([startSftp(dir.path), startWebdav(dir.path), startS3(dir.path)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(Object.values(endpoints).map((e) => e.stop()));
    if (!process.env.DEBUG_RUNS) dir?.remove();
  });
  return {
    get base() {
      return dir!.path;
    },
    endpoints: endpoints as Record<"local" | "sftp" | "webdav" | "s3", Endpoint>,
  };
}
