// restore through the built CLI: printing, --write adding lines only, refusals,
// sync into a non-empty directory, and the whole way back from an encrypted
// SFTP copy.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { diffLines } from "diff";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { STACK_TRACE } from "../helpers/cli.js";
import { PASSWORD, withSftpServer } from "../helpers/servers.js";
import { digests, readTree, sampleTree, writeTree } from "../helpers/tree.js";
import { Workspace } from "../helpers/workspace.js";

const server = withSftpServer();
const CRYPT = "crypt-pa55-for-restore";
const env = { SFTP_PASS: PASSWORD, PHOTOS_PASS: CRYPT };

const fileFor = (source: string, remoteFolder = "vault") => `# Backups of the NAS, reviewed in git.
version: 1

credentials:
  box:
    type: sftp
    host: 127.0.0.1
    port: ${server.sftp.credential.port}
    user: ${server.sftp.credential.user}
    pass: \${SFTP_PASS}   # from the environment

tasks:
  # The photo library, encrypted at the other end.
  photos:
    description: Photos offsite
    direction: push
    transfer_mode: sync
    path: ${source}
    credential: box
    folder: ${remoteFolder}
    transfers: 2
    schedule: "0 3 * * *"
    exclude: ["*.tmp"]
    encryption:
      password: \${PHOTOS_PASS}
      filename_encryption: true
`;

function workspace(name: string): { ws: Workspace; source: string; file: string; text: string } {
  const ws = new Workspace(join(server.base, name), env);
  const source = join(server.base, `${name}-source`);
  const text = fileFor(source, `${name}-vault`);
  const file = join(ws.dir, "cloudsync.yaml");
  writeFileSync(file, text);
  return { ws, source, file, text };
}


describe("restore", () => {
  it("prints the reversed task and leaves the file alone", async () => {
    const { ws, file, text } = workspace("print");
    const result = await ws.cli(["restore", "photos", "--path", "/srv/restore"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}photos-restore:\n {4}description: Restore of photos\n {4}direction: pull\n {4}transfer_mode: copy\n {4}path: \/srv\/restore\n {4}credential: box\n/m);
    expect(result.stdout).toContain("      password: ${PHOTOS_PASS}");
    expect(result.stdout).toMatch(/enabled: false/);
    expect(result.stdout + result.stderr).not.toContain(CRYPT);
    expect(result.stdout).not.toMatch(/schedule|exclude/);
    // stdout is the entry alone: YAML that can be piped or pasted.
    expect(parse(result.stdout)).toEqual({
      "photos-restore": {
        description: "Restore of photos",
        direction: "pull",
        transfer_mode: "copy",
        path: "/srv/restore",
        credential: "box",
        folder: "print-vault",
        transfers: 2,
        encryption: { password: "${PHOTOS_PASS}", filename_encryption: true },
        enabled: false,
      },
    });
    expect(result.stderr).toMatch(/Not written/);
    expect(readFileSync(file, "utf8")).toBe(text);
    const json = JSON.parse((await ws.cli(["restore", "photos", "--path", "/srv/r", "--json"])).stdout);
    expect(json).toMatchObject({ name: "photos-restore", written: false, entry: expect.stringContaining("photos-restore:") });
  });

  it("--write adds lines only, and the result validates", async () => {
    const { ws, file, text } = workspace("write");
    const result = await ws.cli(["restore", "photos", "--path", "/srv/restore", "--name", "photos-back", "--description", "Back home", "--transfer-mode", "sync", "--write"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Added task photos-back to cloudsync\.yaml/);
    const after = readFileSync(file, "utf8");
    const parts = diffLines(text, after);
    expect(parts.filter((p) => p.removed)).toEqual([]);
    expect(parts.filter((p) => p.added).map((p) => p.value).join("")).toMatch(/photos-back:\n {4}description: Back home\n {4}direction: pull\n {4}transfer_mode: sync\n/);
    expect(after).not.toContain(CRYPT);
    expect((await ws.cli(["validate"])).code).toBe(0);
  });

  it("refuses an existing name, a relative path and an unknown task, writing nothing", async () => {
    const { ws, file, text } = workspace("refuse");
    for (const [args, message] of [
      [["--name", "photos"], /a task named photos already exists\nChoose another with --name/],
      [["--path", "relative/dir"], /--path must be an absolute directory/],
    ] as const) {
      const result = await ws.cli(["restore", "photos", "--path", "/srv/x", ...args, "--write"]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(STACK_TRACE);
    }
    const unknown = await ws.cli(["restore", "nope", "--path", "/srv/x", "--write"]);
    expect(unknown.stderr).toMatch(/there is no task nope in cloudsync\.yaml\nTasks: photos/);
    expect(readFileSync(file, "utf8")).toBe(text);
  });

  it("sync into a non-empty directory is refused with a dry run's count, unless --force", async () => {
    const { ws, source } = workspace("sync");
    writeTree(source, { "a.txt": "a", "b.txt": "b" });
    expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
    expect((await ws.run("photos")).code).toBe(0);
    const target = join(server.base, "sync-target");
    writeTree(target, { "a.txt": "a", "local-only-1.txt": "x", "local-only-2.txt": "y" });
    const refused = await ws.cli(["restore", "photos", "--path", target, "--transfer-mode", "sync", "--write"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not empty, and restoring with sync makes it equal to the remote: a dry run says sync would delete 2 files there that the remote lacks \(local-only-1\.txt, local-only-2\.txt\)/);
    expect(refused.stderr).toMatch(/--force/);
    expect(readTree(target)).toEqual(digests({ "a.txt": Buffer.from("a"), "local-only-1.txt": Buffer.from("x"), "local-only-2.txt": Buffer.from("y") }));
    expect((await ws.cli(["restore", "photos", "--path", target, "--transfer-mode", "sync", "--force"])).code).toBe(0);
    const empty = join(server.base, "sync-empty");
    mkdirSync(empty);
    expect((await ws.cli(["restore", "photos", "--path", empty, "--transfer-mode", "sync"])).code).toBe(0);
    expect((await ws.cli(["restore", "photos", "--path", target])).code).toBe(0); // copy deletes nothing
  });

  it("end to end: encrypted push to SFTP → restore --write → apply → run → the same bytes", async () => {
    const { ws, source } = workspace("e2e");
    const files = sampleTree();
    writeTree(source, files);
    expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
    const push = await ws.run("photos");
    expect(push.code, push.stderr).toBe(0);
    // What the server holds is encrypted: no plaintext name or bytes.
    const onServer = readTree(join(server.sftp.root!, "e2e-vault"));
    expect(Object.keys(onServer)).toHaveLength(Object.keys(files).length);
    expect(Object.keys(onServer).join(" ")).not.toMatch(/photos|readme|docs/);

    const target = join(server.base, "e2e-restored");
    expect((await ws.cli(["restore", "photos", "--path", target, "--write"])).code).toBe(0);
    const plan = await ws.cli(["plan"]);
    expect(plan.stdout).toMatch(/Plan: 1 to add, 0 to change, 0 to destroy/);
    expect((await ws.cli(["apply", "--auto-approve"])).code).toBe(0);
    const status = JSON.parse((await ws.cli(["status", "--json"])).stdout);
    expect(status.tasks.find((t: { name: string }) => t.name === "photos-restore")).toMatchObject({ enabled: false, next_run: null });
    const pull = await ws.run("photos-restore");
    expect(pull.code, pull.stderr).toBe(0);
    expect(pull.result).toMatchObject({ state: "SUCCESS", files: Object.keys(files).length });
    expect(readTree(target)).toEqual(digests(files));
  });
});
