// Versions on every kind of destination, through the built CLI and real
// rclone: a sync keeps what it replaces (plain and inside a crypt remote),
// `versions` lists it, `restore --at` brings the destination back as it was,
// for pushes to local, SFTP, WebDAV and S3 (s3rver) and for a pull.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { type Endpoint, withEveryEndpoint } from "../helpers/servers.js";
import { copyWithRclone, digests, readTree, writeTree } from "../helpers/tree.js";

const servers = withEveryEndpoint();
const endpoints = servers.endpoints as Record<string, Endpoint>;
const base = { get path() {
  return servers.base;
} };

/** Waits into the next whole second: version folders are named to the second. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
const second = (at: number) => new Date(Math.floor(at / 1000) * 1000).toISOString().replace(".000Z", "Z");
const bytes = (text: string) => Buffer.from(text);

/** A directory with a cloudsync.yaml of one task on the endpoint, and the CLI run there. */
function workspace(endpoint: Endpoint, name: string, task: Record<string, unknown>) {
  const dir = join(base.path, `work-${endpoint.name}-${name}`);
  mkdirSync(dir, { recursive: true });
  const credential = endpoint.name === "local" ? endpoint.credential : { ...endpoint.credential, ...("pass" in endpoint.credential ? { pass: "${PASS}" } : {}) };
  const env = { PASS: String(endpoint.credential.pass ?? ""), CRYPT: "crypt-password-for-versions" };
  writeFileSync(
    join(dir, "cloudsync.yaml"),
    stringify({ version: 1, credentials: { remote: credential }, tasks: { [name]: { credential: "remote", ...(endpoint.bucket ? { bucket: endpoint.bucket } : {}), ...endpoint.taskOptions, ...task } } }),
  );
  const run = (...args: string[]) => cli(args, { cwd: dir, env });
  const json = async (...args: string[]) => {
    const result = await run(...args, "--json");
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };
  return { dir, run, json };
}

/** What the endpoint holds under the folder, read without cloudsync (names as stored: encrypted ones stay so). */
async function stored(endpoint: Endpoint, folder: string): Promise<string[]> {
  if (endpoint.root) return Object.keys(readTree(endpoint.name === "local" ? folder : join(endpoint.root, folder))).sort();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(endpoint.credential)) env[`RCLONE_CONFIG_DIRECT_${k.toUpperCase()}`] = String(v);
  const into = join(base.path, `fetch-${Math.random().toString(36).slice(2)}`);
  await copyWithRclone(env, `direct:${endpoint.bucket}/${folder}`, into);
  return Object.keys(readTree(into)).sort();
}

describe.each(["local", "sftp", "webdav", "s3"])("%s", (endpointName) => {
  it.each([false, true])("push sync, encrypted: %s — keeps what it replaces, lists it, restores the destination as it was", async (encrypted) => {
    const endpoint = endpoints[endpointName]!;
    const name = `docs-${encrypted ? "crypt" : "plain"}`;
    const source = join(base.path, endpointName, name, "source");
    const folder = endpoint.name === "local" ? join(endpoint.root!, name) : `${endpointName}-${name}`;
    writeTree(source, { "a.txt": bytes("one"), "sub/b.txt": bytes("bee") });
    const ws = workspace(endpoint, name, {
      direction: "push",
      transfer_mode: "sync",
      path: source,
      folder,
      versions: { keep: "30d" },
      ...(encrypted ? { encryption: { password: "${CRYPT}", filename_encryption: true } } : {}),
    });
    expect((await ws.run("apply", "--auto-approve", "-q")).code).toBe(0);
    expect(await ws.json("run", name)).toMatchObject({ state: "SUCCESS", files: 2 });
    // TIME falls between the runs: after every file of the first was written, before the second began.
    await nextSecond();
    const between = Date.now();
    await nextSecond();
    // Another size too: on WebDAV rclone cannot set modification times, and compares sizes only.
    writeTree(source, { "a.txt": bytes("second") });
    rmSync(join(source, "sub"), { recursive: true });
    // Where the backend has no server-side move (S3), rclone counts a file moved into the versions as copied and deleted.
    expect(await ws.json("run", name)).toMatchObject({ state: "SUCCESS", ...(endpoint.bucket ? {} : { files: 1, deletes: 1 }) });

    const listed = await ws.json("versions", name);
    expect(listed.folders).toEqual([expect.objectContaining({ files: 2, bytes: 6 })]);
    const ofA = await ws.json("versions", name, "a.txt");
    expect(ofA.versions).toEqual([expect.objectContaining({ path: "a.txt", size: 3 })]);
    expect(ofA.current).toEqual([expect.objectContaining({ path: "a.txt", size: 6 })]);

    const to = join(base.path, endpointName, name, "restored");
    const restored = await ws.json("restore", name, "--at", second(between), "--to", to);
    expect(restored.files.map((f: { path: string }) => f.path)).toEqual(["a.txt", "sub/b.txt"]);
    expect(readTree(to)).toEqual(digests({ "a.txt": bytes("one"), "sub/b.txt": bytes("bee") }));

    const names = await stored(endpoint, folder);
    if (encrypted) expect(names.join("\n")).not.toMatch(/cloudsync-versions|a\.txt|b\.txt/);
    else expect(names).toEqual([`.cloudsync-versions/${listed.folders[0].stamp}/a.txt`, `.cloudsync-versions/${listed.folders[0].stamp}/sub/b.txt`, "a.txt"]);
  });
});

describe("pull", () => {
  it("keeps the local path's replaced files in its own .cloudsync-versions, from an encrypted S3 folder", async () => {
    const s3 = endpoints.s3!;
    const pushed = join(base.path, "pull", "source");
    writeTree(pushed, { "a.txt": bytes("one") });
    const push = workspace(s3, "feed", { direction: "push", transfer_mode: "sync", path: pushed, folder: "pull-feed", encryption: { password: "${CRYPT}" } });
    await push.run("apply", "--auto-approve", "-q");
    await push.json("run", "feed");
    const target = join(base.path, "pull", "target");
    const pull = workspace(s3, "back", { direction: "pull", transfer_mode: "sync", path: target, folder: "pull-feed", versions: { keep: "7d" }, encryption: { password: "${CRYPT}" } });
    await pull.run("apply", "--auto-approve", "-q");
    await pull.json("run", "back");
    await nextSecond();
    writeTree(pushed, { "a.txt": bytes("two") });
    await push.json("run", "feed");
    expect(await pull.json("run", "back")).toMatchObject({ state: "SUCCESS", files: 1 });
    const kept = readTree(join(target, ".cloudsync-versions"));
    expect(Object.values(kept)).toEqual([digests({ x: bytes("one") }).x]);
    expect(readTree(target)["a.txt"]).toBe(digests({ x: bytes("two") }).x);
  });
});
