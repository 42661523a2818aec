// credentials verify, buckets list/create and ls, through the built CLI,
// against real servers on 127.0.0.1 — including wrong logins and hosts that
// are not there.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STACK_TRACE, tempDir } from "../helpers/cli.js";
import { PASSWORD, startS3, startSftp, startWebdav, type Endpoint } from "../helpers/servers.js";
import { sampleTree, writeTree } from "../helpers/tree.js";
import { Workspace } from "../helpers/workspace.js";

let base: ReturnType<typeof tempDir>;
let sftp: Endpoint, webdav: Endpoint, s3: Endpoint;
let ws: Workspace;
const WRONG = "not-the-pa55word";
const ENC = "enc-pa55-for-ls";
const env = { SERVER_PASS: PASSWORD, WRONG_PASS: WRONG, ENC_PASS: ENC };

function config(extra: Record<string, unknown> = {}) {
  const withPass = (credential: Endpoint["credential"], variable: string) => ({ ...credential, pass: `\${${variable}}` });
  return {
    version: 1,
    credentials: {
      box: withPass(sftp.credential, "SERVER_PASS"),
      box_wrong: withPass(sftp.credential, "WRONG_PASS"),
      box_down: { ...withPass(sftp.credential, "SERVER_PASS"), port: downPort },
      dav: withPass(webdav.credential, "SERVER_PASS"),
      dav_wrong: withPass(webdav.credential, "WRONG_PASS"),
      store: s3.credential,
      store_wrong: { ...s3.credential, access_key_id: "NOT-A-KEY" },
      disk: { type: "local" },
    },
    tasks: {
      secret: { direction: "push", transfer_mode: "copy", path: join(base.path, "src"), credential: "box", folder: "vault", encryption: { password: "${ENC_PASS}", filename_encryption: true } },
      into_bucket: { direction: "push", transfer_mode: "copy", path: join(base.path, "src"), credential: "store", bucket: "bucket", folder: "x", fast_list: true },
    },
    ...extra,
  };
}
/** Nothing listens on port 1 (a free port found now could be taken by another test's server before it is used). */
const downPort = 1;

function writeConfig(value: Record<string, unknown>) {
  writeFileSync(join(ws.dir, "cloudsync.yaml"), stringify(value));
}

/** No output of a remote command shows a secret or a stack trace. */
function expectClean(result: { stdout: string; stderr: string }) {
  const all = result.stdout + result.stderr;
  expect(all).not.toMatch(STACK_TRACE);
  for (const secret of [PASSWORD, WRONG, ENC]) expect(all).not.toContain(secret);
}

beforeAll(async () => {
  base = tempDir();
  [sftp, webdav, s3] = await Promise.all([startSftp(base.path), startWebdav(base.path), startS3(base.path)]);
  ws = new Workspace(join(base.path, "ws"), env);
  writeTree(join(base.path, "src"), sampleTree());
  writeTree(join(sftp.root!, "browse"), { "a.txt": "hello", "sub/b.bin": Buffer.alloc(2048, 7) });
  writeConfig(config());
}, 60_000);

afterAll(async () => {
  await Promise.all([sftp, webdav, s3].map((e) => e?.stop()));
  base.remove();
});

describe("credentials verify", () => {
  it.each([
    ["box", 0, /credential box \(sftp, from cloudsync\.yaml\): OK/],
    ["dav", 0, /credential dav \(webdav, from cloudsync\.yaml\): OK/],
    ["store", 0, /credential store \(s3, from cloudsync\.yaml\): OK/],
    ["disk", 0, /OK/],
    ["box_wrong", 1, /FAILED — wrong login/],
    ["dav_wrong", 1, /FAILED — wrong login/],
    ["store_wrong", 1, /FAILED — wrong login/],
    ["box_down", 1, /FAILED — host unreachable \(127\.0\.0\.1:\d+\): connection refused/],
  ])("%s → exit %i", async (name, code, pattern) => {
    const result = await ws.cli(["credentials", "verify", name]);
    expect(result.code, result.stderr).toBe(code);
    expect(result.stdout).toMatch(pattern);
    expect(result.stdout.trim().split("\n")).toHaveLength(1);
    expectClean(result);
  });

  it("an unreachable host name is named", async () => {
    writeConfig(config({ credentials: { ...config().credentials, nowhere: { type: "webdav", url: "http://nowhere.invalid:81", user: "u", pass: "${SERVER_PASS}" } } }));
    const result = await ws.cli(["credentials", "verify", "nowhere"]);
    writeConfig(config());
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/host unreachable: the name nowhere\.invalid does not resolve/);
    expectClean(result);
  });

  it("says when a bucket a task uses is missing", async () => {
    const value = config();
    (value.tasks.into_bucket as Record<string, unknown>).bucket = "not-there";
    writeConfig(value);
    const result = await ws.cli(["credentials", "verify", "store", "--json"]);
    writeConfig(config());
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ credential: "store", valid: false, source: "file" });
    expect(json.error).toMatch(/bucket missing: not-there \(used by into_bucket\)/);
  });

  it("says when a folder a pull task reads from is missing", async () => {
    const pull = (folder: string) => ({ direction: "pull", transfer_mode: "copy", path: join(base.path, "restored"), credential: "box", folder });
    const value = config();
    writeConfig({ ...value, tasks: { ...value.tasks, back: pull("browse"), gone: pull("no-such-folder") } });
    const missing = await ws.cli(["credentials", "verify", "box"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/FAILED — folder missing: no-such-folder \(pulled by gone\)/);
    writeConfig({ ...value, tasks: { ...value.tasks, back: pull("browse") } });
    expect((await ws.cli(["credentials", "verify", "box"])).code).toBe(0);
    writeConfig(config());
  });

  it("--json says valid and why not", async () => {
    const ok = JSON.parse((await ws.cli(["credentials", "verify", "box", "--json"])).stdout);
    expect(ok).toMatchObject({ credential: "box", type: "sftp", valid: true, error: null });
    const bad = await ws.cli(["credentials", "verify", "box_wrong", "--json"]);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, error: expect.stringMatching(/wrong login/) });
    expectClean(bad);
  });

  it("works on applied credentials that the file no longer has, and names unknown ones", async () => {
    await ws.apply(config());
    writeConfig({ version: 1, credentials: {}, tasks: {} });
    const applied = await ws.cli(["credentials", "verify", "box"]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/box \(sftp, as applied\): OK/);
    const unknown = await ws.cli(["credentials", "verify", "nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no credential named nope .*\nKnown: .*box/);
    writeConfig(config());
    // A file with errors: say so, then use what is applied.
    const broken = await ws.cli(["credentials", "verify", "box"], { SERVER_PASS: undefined } as unknown as Record<string, string>);
    expect(broken.stderr).toMatch(/SERVER_PASS is not set[\s\S]*note: cloudsync\.yaml has errors; using credential box as applied/);
    expect(broken.code).toBe(0);
  });
});

describe("buckets", () => {
  it("lists the buckets", async () => {
    const result = await ws.cli(["buckets", "list", "store", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).buckets.map((b: { name: string }) => b.name)).toContain("bucket");
    expect((await ws.cli(["buckets", "list", "store"])).stdout).toMatch(/^bucket\s+created \d{4}-\d\d-\d\d/m);
  });

  it("creates a bucket that is really there afterwards, and refuses to create it twice", async () => {
    const created = await ws.cli(["buckets", "create", "store", "fresh-bucket-1"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/Created bucket fresh-bucket-1 on store/);
    expect(existsSync(join(base.path, "s3-data", "fresh-bucket-1"))).toBe(true);
    const again = await ws.cli(["buckets", "create", "store", "fresh-bucket-1"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/bucket fresh-bucket-1 already exists on store/);
  });

  it("checks the name before asking the server", async () => {
    const result = await ws.cli(["buckets", "create", "store", "Not_Valid"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bucket name "Not_Valid" may contain only lower-case letters, digits, dots and hyphens/);
    expect(existsSync(join(base.path, "s3-data", "Not_Valid"))).toBe(false);
  });

  it("a backend without buckets and a wrong login get clear messages", async () => {
    const sftpList = await ws.cli(["buckets", "list", "box"]);
    expect(sftpList.code).toBe(1);
    expect(sftpList.stderr).toMatch(/credential box is sftp, which has no buckets\ncloudsync ls box lists its folders/);
    const wrong = await ws.cli(["buckets", "list", "store_wrong"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/cannot list the buckets of store_wrong: wrong login/);
    expectClean(wrong);
  });
});

describe("ls", () => {
  it("lists directories and files with sizes and times", async () => {
    const result = await ws.cli(["ls", "box", "browse"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+sub\/$/m);
    expect(result.stdout).toMatch(/^\s*5 B\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+a\.txt$/m);
    const json = JSON.parse((await ws.cli(["ls", "box", "browse/sub", "--json"])).stdout);
    expect(json.entries).toEqual([{ name: "b.bin", path: "b.bin", is_dir: false, size: 2048, modified: expect.any(String) }]);
  });

  it("lists a bucket on S3 and a WebDAV top", async () => {
    expect((await ws.cli(["ls", "store"])).stdout).toMatch(/bucket\/$/m);
    expect((await ws.cli(["ls", "store", "/bucket/"])).code).toBe(0);
    expect((await ws.cli(["ls", "dav"])).code).toBe(0);
  });

  it("a missing directory and an unreachable host fail in one line", async () => {
    const missing = await ws.cli(["ls", "box", "no/such/dir"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot list box:no\/such\/dir: not found/);
    const down = await ws.cli(["ls", "box_down"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/host unreachable/);
    expectClean(down);
  });

  it("--task lists an encrypted task's remote with decrypted names; a wrong password fails", async () => {
    await ws.apply(config());
    expect((await ws.run("secret")).code).toBe(0);
    const raw = await ws.cli(["ls", "box", "vault"]);
    expect(raw.stdout).not.toMatch(/photos|readme/);
    const decrypted = await ws.cli(["ls", "--task", "secret"]);
    expect(decrypted.code, decrypted.stderr).toBe(0);
    expect(decrypted.stdout).toMatch(/photos\/$/m);
    expect(decrypted.stdout).toMatch(/readme\.txt$/m);
    const below = JSON.parse((await ws.cli(["ls", "--task", "secret", "photos/2024", "--json"])).stdout);
    expect(below.entries.map((e: { name: string }) => e.name)).toEqual(["a.jpg", "b.jpg"]);
    const wrong = await ws.cli(["ls", "--task", "secret"], { ENC_PASS: "a-wrong-one" });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/the encryption password or salt is wrong/);
    expectClean(wrong);
  });
});

describe("without rclone", () => {
  it("says how to get it, with no stack trace", async () => {
    const dir = join(base.path, "no-rclone");
    mkdirSync(dir);
    const file = join(dir, "cloudsync.yaml");
    writeFileSync(file, stringify({ version: 1, settings: { rclone: "/nonexistent/rclone" }, credentials: { d: { type: "local" } }, tasks: {} }));
    for (const args of [["credentials", "verify", "d"], ["ls", "d"], ["buckets", "list", "store"]]) {
      const result = await ws.cli(["-c", file, ...args]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(args[0] === "buckets" ? /no credential named store/ : /rclone was not found \(\/nonexistent\/rclone\)\nInstall it/);
      expectClean(result);
    }
  });
});
