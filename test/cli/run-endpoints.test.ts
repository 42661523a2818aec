// push and pull × copy, move and sync, against real endpoints on 127.0.0.1,
// run through the built CLI; files compared byte for byte.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { obscure } from "../../src/secrets/obscure.js";
import { cli } from "../helpers/cli.js";
import { type Endpoint, withEveryEndpoint } from "../helpers/servers.js";
import { digests, readTree, remoteTree as remoteTreeOf, sampleTree, seedRemote as seedRemoteOf, writeTree } from "../helpers/tree.js";

const servers = withEveryEndpoint();
const endpoints = servers.endpoints as Record<string, Endpoint>;
const base = { get path() {
  return servers.base;
} };

/** The folder of a case on the endpoint: absolute under the local root, relative elsewhere. */
function folderFor(endpoint: Endpoint, name: string): string {
  return endpoint.name === "local" ? join(endpoint.root!, name) : name;
}

const remoteTree = (endpoint: Endpoint, folder: string) => remoteTreeOf(endpoint, folder, base.path);
const seedRemote = (endpoint: Endpoint, folder: string, files: Record<string, Buffer>) => seedRemoteOf(endpoint, folder, files, base.path);

/** The credential as a user writes it: secrets as ${VAR}, their values in the environment. */
function asWritten(credential: Endpoint["credential"]) {
  const written: Record<string, unknown> = {};
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(credential)) {
    if (key === "pass" || key === "secret_access_key" || key === "access_key_id") {
      env[`TEST_${key.toUpperCase()}`] = String(value);
      written[key] = `\${TEST_${key.toUpperCase()}}`;
    } else written[key] = value;
  }
  return { written, env };
}

async function runTaskOnce(endpoint: Endpoint, name: string, task: Record<string, unknown>) {
  const dir = join(base.path, `work-${endpoint.name}-${name}`);
  mkdirSync(dir, { recursive: true });
  const { written, env } = asWritten(endpoint.credential);
  const config = {
    version: 1,
    credentials: { remote: written },
    tasks: { [name]: { credential: "remote", ...(endpoint.bucket ? { bucket: endpoint.bucket } : {}), ...endpoint.taskOptions, ...task } },
  };
  writeFileSync(join(dir, "cloudsync.yaml"), stringify(config));
  const t0 = Date.now();
  const applied = await cli(["apply", "--auto-approve"], { cwd: dir, env });
  const t1 = Date.now();
  expect(applied.stderr).toBe("");
  expect(applied.code).toBe(0);
  const run = await cli(["run", name, "--json"], { cwd: dir, env });
  if (process.env.DEBUG_RUNS) console.log(`TIMING apply ${t1 - t0} run ${Date.now() - t1}`, (await cli(["logs", name], { cwd: dir, env })).stdout);
  return { ...run, result: JSON.parse(run.stdout || "{}"), dir };
}

describe.each(["local", "sftp", "webdav", "s3"])("%s", (endpointName) => {
  const endpoint = () => endpoints[endpointName]!;

  it.each(["copy", "sync", "move"])("push %s", async (mode) => {
    const name = `push-${mode}`;
    const source = join(base.path, endpointName, name, "source");
    const files = sampleTree();
    writeTree(source, files);
    const folder = folderFor(endpoint(), `${endpointName}-${name}`);
    const stale = { "old/stale.txt": Buffer.from("only at the destination\n") };
    await seedRemote(endpoint(), folder, stale);

    const run = await runTaskOnce(endpoint(), name, { direction: "push", transfer_mode: mode, path: source, folder });
    expect(run.result).toMatchObject({ task: name, state: "SUCCESS", dry_run: false, files: 5, error: null });
    expect(run.code).toBe(0);

    const remote = await remoteTree(endpoint(), folder);
    expect(remote).toEqual(digests(mode === "sync" ? files : { ...files, ...stale }));
    if (mode === "sync") expect(run.result.deletes).toBe(1);
    expect(readTree(source)).toEqual(mode === "move" ? {} : digests(files));
  });

  it.each(["copy", "sync", "move"])("pull %s", async (mode) => {
    const name = `pull-${mode}`;
    const target = join(base.path, endpointName, name, "target");
    const files = sampleTree();
    const folder = folderFor(endpoint(), `${endpointName}-${name}`);
    await seedRemote(endpoint(), folder, files);
    const stale = { "local-only.txt": Buffer.from("only here\n") };
    writeTree(target, stale);

    const run = await runTaskOnce(endpoint(), name, { direction: "pull", transfer_mode: mode, path: target, folder });
    expect(run.result).toMatchObject({ state: "SUCCESS", files: 5 });
    expect(readTree(target)).toEqual(digests(mode === "sync" ? files : { ...files, ...stale }));
    expect(await remoteTree(endpoint(), folder)).toEqual(mode === "move" ? {} : digests(files));
  });
});

describe("credentials reach rclone obscured and without a config file", () => {
  it("the sftp password works only because it is obscured as rclone expects", async () => {
    const sftp = endpoints.sftp!;
    const wrong = { ...sftp, credential: { ...sftp.credential, pass: "not-the-password" } };
    const source = join(base.path, "wrong-pass");
    writeTree(source, { "a.txt": Buffer.from("a") });
    const run = await runTaskOnce(wrong, "wrong-pass", { direction: "push", transfer_mode: "copy", path: source, folder: "wrong-pass" });
    expect(run.code).toBe(1);
    expect(run.result.state).toBe("FAILED");
    // rclone's words for a refused SFTP login, after cloudsync's meaning of its exit code.
    expect(run.result.error).toMatch(/unable to authenticate|ssh: handshake failed/);
    expect(run.stdout + run.stderr).not.toContain("not-the-password");
    expect(obscure("x")).not.toBe(obscure("x")); // a fresh IV each time
    rmSync(source, { recursive: true });
  });
});
