// SPEC section 5, "what cloudsync refuses to do", run as a user runs it:
// the built CLI, real rclone, local directories and an SFTP server.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTree, writeTree } from "../helpers/tree.js";
import { PASSWORD, withSftpServer } from "../helpers/servers.js";
import { Workspace } from "../helpers/workspace.js";

const server = withSftpServer();
let counter = 0;
const fresh = (name: string) => join(server.base, `${name}-${++counter}`);
const disk = { disk: { type: "local" } };
const task = (path: string, folder: string, extra: Record<string, unknown> = {}) => ({ direction: "push", transfer_mode: "sync", path, credential: "disk", folder, ...extra });
const tenFiles = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`old-${i}.txt`, `old ${i}`]));

describe("empty source", () => {
  it("a sync from an empty directory fails before anything is deleted; allow_empty_source lets it run", async () => {
    const source = fresh("empty");
    mkdirSync(source);
    const target = fresh("target");
    writeTree(target, tenFiles);
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { guarded: task(source, target), allowed: task(source, target, { allow_empty_source: true }) } });

    for (const extra of [[], ["--dry-run"]]) {
      const run = await ws.run("guarded", ...extra);
      expect(run.code).toBe(1);
      expect(run.result).toMatchObject({ state: "FAILED", deletes: 0 });
      expect(run.result.error).toContain(`refusing to sync from an empty source: ${source} has no file to transfer`);
      expect(run.result.error).toContain(`a sync from it would delete every file at disk:${target}`);
      expect(run.result.error).toContain("allow_empty_source: true");
      expect(Object.keys(readTree(target))).toHaveLength(10);
    }

    const allowed = await ws.run("allowed");
    expect(allowed.result).toMatchObject({ state: "SUCCESS", deletes: 10 });
    expect(readTree(target)).toEqual({});
  });

  it("a source whose files the filters all leave out counts as empty; a missing path fails saying so", async () => {
    const source = fresh("only-text");
    writeTree(source, { "notes.txt": "n" });
    const target = fresh("photos");
    writeTree(target, { "a.jpg": "a", "b.jpg": "b" });
    const emptyMove = fresh("empty-move");
    const ws = new Workspace(fresh("ws"));
    await ws.apply({
      credentials: disk,
      tasks: { jpg: task(source, target, { include: ["*.jpg"] }), missing: task(join(source, "not-mounted"), target), move: task(emptyMove, target, { transfer_mode: "move" }) },
    });
    const jpg = await ws.run("jpg");
    expect(jpg.result.error).toContain("refusing to sync from an empty source");
    expect(Object.keys(readTree(target)).sort()).toEqual(["a.jpg", "b.jpg"]);

    const missing = await ws.run("missing");
    expect(missing.result).toMatchObject({ state: "FAILED", error: `path ${join(source, "not-mounted")} does not exist: is the disk mounted?` });

    mkdirSync(emptyMove);
    const move = await ws.run("move");
    expect(move.result.error).toContain("refusing to move from an empty source");
    expect(move.result.error).not.toContain("would delete");
  });

  it("a pull sync from an empty SFTP folder leaves the local files alone", async () => {
    const local = fresh("local");
    writeTree(local, tenFiles);
    const folder = `empty-remote-${counter}`;
    mkdirSync(join(server.sftp.root!, folder));
    const ws = new Workspace(fresh("ws"), { SFTP_PASS: PASSWORD });
    await ws.apply({
      credentials: { nas: { ...server.sftp.credential, pass: "${SFTP_PASS}" } },
      tasks: { down: { direction: "pull", transfer_mode: "sync", path: local, credential: "nas", folder } },
    });
    const run = await ws.run("down");
    expect(run.result).toMatchObject({ state: "FAILED", deletes: 0 });
    expect(run.result.error).toContain(`refusing to sync from an empty source: nas:${folder} has no file to transfer`);
    expect(Object.keys(readTree(local))).toHaveLength(10);
  });
});

describe("max_delete", () => {
  it("a count: a run that would delete more is HELD and deletes no more than that; a dry run deletes nothing", async () => {
    const source = fresh("source");
    writeTree(source, { "keep.txt": "k" });
    const target = fresh("target");
    writeTree(target, tenFiles);
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: task(source, target, { max_delete: 3 }) } });

    const dry = await ws.run("t", "--dry-run");
    expect(dry.result).toMatchObject({ state: "HELD", dry_run: true });
    expect(dry.result.error).toBe(`max_delete: this run would delete more than 3 files at disk:${target}; nothing was deleted (dry run). cloudsync approve t lets the next run go beyond the limit once`);
    expect(Object.keys(readTree(target))).toHaveLength(10);

    const real = await ws.run("t");
    expect(real.result).toMatchObject({ state: "HELD", attempts: 1, deletes: 3 });
    expect(real.result.error).toBe(`max_delete: this run would delete more than 3 files at disk:${target}; it stopped after deleting 3. cloudsync approve t lets the next run go beyond the limit once`);
    expect(Object.keys(readTree(target)).filter((n) => n.startsWith("old-"))).toHaveLength(7);
    expect(await ws.log("t")).toContain("--- max_delete: at most 3 files may be deleted");
  });

  it("a share of the destination's files, counted through the task's filters, over SFTP", async () => {
    const source = fresh("source");
    writeTree(source, { "keep.txt": "k" });
    const folder = `share-${counter}`;
    const remote = join(server.sftp.root!, folder);
    writeTree(remote, { ...tenFiles, "ignored.tmp": "not counted, never deleted" });
    const ws = new Workspace(fresh("ws"), { SFTP_PASS: PASSWORD });
    const credentials = { nas: { ...server.sftp.credential, pass: "${SFTP_PASS}" } };
    const up = (maxDelete: string) => ({ direction: "push", transfer_mode: "sync", path: source, credential: "nas", folder, max_delete: maxDelete, exclude: ["*.tmp"] });
    await ws.apply({ credentials, tasks: { up: up("20%") } });
    const refused = await ws.run("up");
    expect(refused.result.state).toBe("HELD");
    expect(refused.result.error).toContain("max_delete: this run would delete more than 2 files");
    expect(await ws.log("up")).toContain(`--- max_delete 20% of the 10 files at nas:${folder}: at most 2 may be deleted`);
    expect(Object.keys(readTree(remote))).toHaveLength(11 - 2 + 1);

    await ws.apply({ credentials, tasks: { up: up("100%") } });
    const allowed = await ws.run("up");
    expect(allowed.result).toMatchObject({ state: "SUCCESS", deletes: 8 });
    expect(Object.keys(readTree(remote)).sort()).toEqual(["ignored.tmp", "keep.txt"]);
  });
});

describe("paths and flags", () => {
  it("a place that a symbolic link makes a system directory, or makes nest the folder in the path, fails the run before rclone, dry run or not", async () => {
    const links = fresh("links");
    mkdirSync(links);
    symlinkSync("/etc", join(links, "etc"));
    const source = fresh("source");
    writeTree(source, { "a.txt": "a", "b.txt": "b" });
    // The folder is written apart from the path, but the link puts it inside.
    symlinkSync(join(source, "backup"), join(links, "backup"));
    const remote = fresh("remote");
    writeTree(remote, { "x.txt": "x" });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({
      credentials: disk,
      tasks: { into_etc: { direction: "pull", transfer_mode: "sync", path: join(links, "etc"), credential: "disk", folder: remote }, nested: task(source, join(links, "backup")) },
    });
    for (const extra of [["--dry-run"], []]) {
      const intoEtc = await ws.run("into_etc", ...extra);
      expect(intoEtc.result).toMatchObject({ state: "FAILED", files: 0, deletes: 0, error: `path ${join(links, "etc")} is /etc (through a symbolic link), a system directory: cloudsync never lets a task write into there` });
      const nested = await ws.run("nested", ...extra);
      expect(nested.result).toMatchObject({ state: "FAILED", files: 0, error: expect.stringContaining(`are inside one another (${join(source, "backup")} and ${source}, through a symbolic link)`) });
    }
    expect(Object.keys(readTree(source)).sort()).toEqual(["a.txt", "b.txt"]);
  });

  it("a push whose path is a file fails and transfers nothing", async () => {
    const file = fresh("file.txt");
    writeFileSync(file, "not a directory");
    const target = fresh("target");
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: task(file, target, { transfer_mode: "copy" }) } });
    const run = await ws.run("t");
    expect(run.result).toMatchObject({ state: "FAILED", files: 0, error: `path ${file} is not a directory: a push reads a directory` });
    expect(readTree(target)).toEqual({});
  });

  it("validate refuses a flag cloudsync owns; a state that has one still cannot make a dry run real", async () => {
    const source = fresh("source");
    writeTree(source, { "new.txt": "n" });
    const target = fresh("target");
    writeTree(target, tenFiles);
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: task(source, target) } });
    writeFileSync(join(ws.dir, "cloudsync.yaml"), readFileSync(join(ws.dir, "cloudsync.yaml"), "utf8").replace("credential: disk", 'credential: disk\n    rclone_args: ["--dry-run=false"]'));
    const validate = await ws.cli(["validate"]);
    expect(validate.code).toBe(1);
    expect(validate.stderr).toMatch(/^cloudsync\.yaml:\d+:\d+: error: rclone_args may not contain --dry-run: cloudsync sets it itself; use run --dry-run instead$/m);

    // As if applied by an older cloudsync: cloudsync's own --dry-run comes last and wins.
    const statePath = join(ws.stateDir, "state.json");
    const state = JSON.parse(readFileSync(statePath, "utf8"));
    state.tasks.t.rclone_args = ["--dry-run=false"];
    writeFileSync(statePath, JSON.stringify(state));
    const dry = await ws.run("t", "--dry-run");
    expect(dry.result).toMatchObject({ state: "SUCCESS", dry_run: true, deletes: 10 });
    expect(Object.keys(readTree(target))).toHaveLength(10);
    expect(await ws.log("t")).toMatch(/--- rclone sync .* --dry-run=false .*--dry-run=true$/m);
  });

  it(".zfs and cloudsync's snapshot directories are never transferred, nor deleted at a destination", async () => {
    const source = fresh("source");
    writeTree(source, { "a.txt": "a", ".zfs/snapshot/s1/a.txt": "old", ".cloudsync-snapshots/t-1/a.txt": "snap", "sub/.zfs/x": "x" });
    const target = fresh("target");
    writeTree(target, { ".zfs/keep": "k" });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: task(source, target) } });
    expect((await ws.run("t")).result.state).toBe("SUCCESS");
    expect(Object.keys(readTree(target)).sort()).toEqual([".zfs/keep", "a.txt"]);
  });

  it("a #! line after blank lines picks the interpreter", async () => {
    const source = fresh("source");
    writeTree(source, { "a.txt": "a" });
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: task(source, fresh("target"), { transfer_mode: "copy", pre_script: '\n\n#!/bin/bash\necho "bash: ${BASH_VERSION:+yes}"\n' }) } });
    expect((await ws.run("t")).result.state).toBe("SUCCESS");
    expect(await ws.log("t")).toContain("[pre-script] bash: yes");
  });
});

describe("remotes", () => {
  it("credentials verify fails when a pull task's folder is a file", async () => {
    const name = `a-file-${++counter}`;
    writeTree(server.sftp.root!, { [name]: "x" });
    const ws = new Workspace(fresh("ws"), { SFTP_PASS: PASSWORD });
    await ws.apply({
      credentials: { nas: { ...server.sftp.credential, pass: "${SFTP_PASS}" } },
      tasks: { down: { direction: "pull", transfer_mode: "copy", path: fresh("local"), credential: "nas", folder: name } },
    });
    const verify = await ws.cli(["credentials", "verify", "nas"]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`FAILED — not a folder: ${name} is a file (pulled by down)`);
  });

  it("restore takes --transfer-mode in upper case", async () => {
    const ws = new Workspace(fresh("ws"));
    await ws.apply({ credentials: disk, tasks: { t: task(fresh("source"), fresh("target"), { transfer_mode: "copy" }) } });
    const restore = await ws.cli(["restore", "t", "--path", fresh("restore"), "--transfer-mode", "SYNC"]);
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain("transfer_mode: sync");
  });
});
