import { existsSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apply } from "../../src/app/apply.js";
import { history } from "../../src/app/history.js";
import { run } from "../../src/app/run.js";
import { approve, listVersions, pruneVersions, restoreAt, versionsOfPath } from "../../src/app/versions.js";
import { appWorkspace, type AppWorkspace } from "../helpers/app.js";

let ws: AppWorkspace;
let source: string;
let destination: string;
beforeEach(() => {
  ws = appWorkspace("2026-12-07T12:00:00Z");
  source = ws.folder("source");
  destination = join(ws.dir, "destination");
});
afterEach(() => ws.remove());

const HOUR = 3_600_000;
const manual = () => ({ trigger: "manual" as const, signal: new AbortController().signal });

async function configure(task: Record<string, unknown> = {}) {
  ws.write({
    settings: { state_dir: ws.stateDir, timezone: "UTC" },
    credentials: { disk: { type: "local" } },
    tasks: { docs: { direction: "push", transfer_mode: "sync", path: source, credential: "disk", folder: destination, versions: { keep: "1d" }, ...task } },
  });
  await apply(ws, { autoApprove: true });
}

/** A source file, modified at `modified` (the fake clock's now by default). */
function put(name: string, text: string, modified = ws.clock.now()) {
  writeFileSync(join(source, name), text);
  utimesSync(join(source, name), modified, modified);
}
const read = (dir: string, name: string) => readFileSync(join(dir, name), "utf8");
const runDocs = () => run(ws, "docs", manual());

describe("versions", () => {
  it("a sync keeps what it deletes or overwrites, under the run's stamp, and the folder is never transferred or deleted", async () => {
    await configure();
    put("a.txt", "one");
    put("b.txt", "bee");
    expect(await runDocs()).toMatchObject({ state: "SUCCESS", files: 2 });
    ws.clock.advance(HOUR);
    put("a.txt", "two");
    rmSync(join(source, "b.txt"));
    // A deletion counts as one; an overwritten file is moved aside (rclone: "renamed"), not deleted.
    expect(await runDocs()).toMatchObject({ state: "SUCCESS", files: 1, deletes: 1 });
    expect(readdirSync(destination).sort()).toEqual([".cloudsync-versions", "a.txt"]);
    expect(read(join(destination, ".cloudsync-versions", "2026-12-07T130000Z"), "a.txt")).toBe("one");
    expect(read(join(destination, ".cloudsync-versions", "2026-12-07T130000Z"), "b.txt")).toBe("bee");
    // A third run neither uploads the versions as content nor deletes them.
    ws.clock.advance(HOUR);
    expect(await runDocs()).toMatchObject({ state: "SUCCESS", files: 0, deletes: 0 });

    const report = await listVersions(ws, "docs");
    expect(report).toMatchObject({ keep: "1d", folders: [{ stamp: "2026-12-07T130000Z", files: 2, bytes: 6, replaced_at: "2026-12-07T13:00:00.000Z", expires_at: "2026-12-08T13:00:00.000Z" }] });
    const ofA = await versionsOfPath(ws, "docs", "a.txt");
    expect(ofA.versions).toEqual([expect.objectContaining({ stamp: "2026-12-07T130000Z", path: "a.txt", size: 3 })]);
    expect(ofA.current).toEqual([expect.objectContaining({ path: "a.txt", size: 3 })]);
  });

  it("prunes by when a file was replaced, never by its own age: a year-old file deleted today stays for the whole keep", async () => {
    await configure();
    put("old.txt", "from last year", new Date("2025-12-07T12:00:00Z"));
    put("keep.txt", "k");
    await runDocs();
    ws.clock.advance(HOUR);
    rmSync(join(source, "old.txt"));
    await runDocs();
    const kept = join(destination, ".cloudsync-versions", "2026-12-07T130000Z", "old.txt");
    expect(existsSync(kept)).toBe(true);
    ws.clock.advance(23 * HOUR);
    await runDocs();
    expect(existsSync(kept)).toBe(true);
    ws.clock.advance(2 * HOUR);
    const pruned = await runDocs();
    expect(existsSync(kept)).toBe(false);
    expect(pruned.state).toBe("SUCCESS");
    expect((await listVersions(ws, "docs")).folders).toEqual([]);
  });

  it("a dry run neither keeps nor prunes; versions --prune removes only what has expired", async () => {
    await configure();
    put("a.txt", "one");
    await runDocs();
    ws.clock.advance(HOUR);
    put("a.txt", "two");
    await run(ws, "docs", { ...manual(), dryRun: true });
    expect(existsSync(join(destination, ".cloudsync-versions"))).toBe(false);
    await runDocs();
    ws.clock.advance(HOUR);
    put("a.txt", "three");
    await runDocs();
    ws.clock.advance(23 * HOUR + 30 * 60_000);
    // The first folder (13:00) is 24.5 h old, the second (14:00) 23.5 h.
    expect(await pruneVersions(ws, "docs")).toEqual({ task: "docs", removed: ["2026-12-07T130000Z"], kept: 1 });
    expect((await listVersions(ws, "docs")).folders.map((f) => f.stamp)).toEqual(["2026-12-07T140000Z"]);
  });

  it("restore --at writes the destination as it was then into a new directory, and changes nothing at the destination", async () => {
    await configure();
    put("a.txt", "one");
    put("b.txt", "bee");
    await runDocs(); // 12:00
    ws.clock.advance(HOUR);
    put("a.txt", "two");
    rmSync(join(source, "b.txt"));
    put("c.txt", "sea");
    await runDocs(); // 13:00
    ws.clock.advance(HOUR);
    put("a.txt", "three");
    await runDocs(); // 14:00
    const before = readdirSync(destination).sort();

    const at1230 = join(ws.dir, "r1230");
    const restored = await restoreAt(ws, "docs", { at: "2026-12-07T12:30:00Z", to: at1230 });
    expect(restored.files.map((f) => `${f.path} ${f.from}`)).toEqual(["a.txt 2026-12-07T130000Z", "b.txt 2026-12-07T130000Z"]);
    expect([read(at1230, "a.txt"), read(at1230, "b.txt")]).toEqual(["one", "bee"]);
    expect(existsSync(join(at1230, "c.txt"))).toBe(false);

    const at1330 = await restoreAt(ws, "docs", { at: "2026-12-07 13:30", to: join(ws.dir, "r1330"), dryRun: true });
    expect(at1330.files.map((f) => `${f.path} ${f.from}`)).toEqual(["a.txt 2026-12-07T140000Z", "c.txt current"]);
    expect(existsSync(join(ws.dir, "r1330"))).toBe(false);

    const one = await restoreAt(ws, "docs", { at: "30m", path: "a.txt", to: join(ws.dir, "one") });
    expect(one.files).toEqual([expect.objectContaining({ path: "a.txt", from: "2026-12-07T140000Z" })]);
    expect(read(join(ws.dir, "one"), "a.txt")).toBe("two");
    expect(readdirSync(destination).sort()).toEqual(before);
    expect(read(destination, "a.txt")).toBe("three");
  });

  it("restore --at refuses the task's own path, a directory with files, and a time it cannot read", async () => {
    await configure();
    put("a.txt", "one");
    await runDocs();
    await expect(restoreAt(ws, "docs", { at: "1h", to: source })).rejects.toThrow(/is the task's own path/);
    await expect(restoreAt(ws, "docs", { at: "1h", to: join(source, "inside") })).rejects.toThrow(/lies inside the task's own path/);
    await expect(restoreAt(ws, "docs", { at: "1h", to: destination })).rejects.toThrow(/is not empty/);
    await expect(restoreAt(ws, "docs", { at: "last tuesday", to: join(ws.dir, "r") })).rejects.toThrow(/is not a time/);
    await expect(restoreAt(ws, "docs", { at: "1h", to: "/etc" })).rejects.toThrow(/system directory/);
  });

  it("a pull keeps versions in its local path", async () => {
    const remote = ws.folder("remote", { "a.txt": "one" });
    ws.write({
      settings: { state_dir: ws.stateDir },
      credentials: { disk: { type: "local" } },
      tasks: { docs: { direction: "pull", transfer_mode: "sync", path: destination, credential: "disk", folder: remote, versions: { keep: "7d" } } },
    });
    await apply(ws, { autoApprove: true });
    await runDocs();
    ws.clock.advance(HOUR);
    writeFileSync(join(remote, "a.txt"), "two");
    await runDocs();
    expect(read(destination, "a.txt")).toBe("two");
    expect(read(join(destination, ".cloudsync-versions", "2026-12-07T130000Z"), "a.txt")).toBe("one");
  });

  it("encrypted: versions live inside the crypt remote, names hidden on disk, read back decrypted", async () => {
    await configure({ encryption: { password: "correct horse", filename_encryption: true } });
    put("secret-name.txt", "one");
    await runDocs();
    ws.clock.advance(HOUR);
    put("secret-name.txt", "two");
    await runDocs();
    const onDisk = readdirSync(destination, { recursive: true, encoding: "utf8" });
    expect(onDisk.join("\n")).not.toMatch(/secret-name|cloudsync-versions/);
    expect((await versionsOfPath(ws, "docs", "secret-name.txt")).versions).toEqual([expect.objectContaining({ stamp: "2026-12-07T130000Z", path: "secret-name.txt" })]);
    await restoreAt(ws, "docs", { at: "2026-12-07T12:30:00Z", to: join(ws.dir, "back") });
    expect(read(join(ws.dir, "back"), "secret-name.txt")).toBe("one");
  });
});

describe("the deletion breaker", () => {
  it("a run beyond max_delete is HELD; approve lets the next run through, once, and it records who and which run", async () => {
    await configure({ max_delete: 2 });
    for (const name of ["a", "b", "c", "d"]) put(`${name}.txt`, name);
    await runDocs();
    for (const name of ["a", "b", "c", "d"]) rmSync(join(source, `${name}.txt`));
    put("e.txt", "e");
    const held = await runDocs();
    expect(held).toMatchObject({ state: "HELD", deletes: 2, error: expect.stringMatching(/max_delete: this run would delete more than 2 files.*cloudsync approve docs/s) });
    expect(ws.seen.filter((e) => e.type === "run.finished").at(-1)).toMatchObject({ record: { state: "HELD" } });
    await expect(approve(ws, "nope")).rejects.toThrow(/not applied/);

    const approval = await approve(ws, "docs", "alice");
    expect(approval).toMatchObject({ task: "docs", held_run: held.id, by: "alice", at: ws.clock.now().toISOString() });
    expect(ws.seen.at(-1)).toMatchObject({ type: "run.approved" });
    const through = await runDocs();
    expect(through).toMatchObject({ state: "SUCCESS", deletes: 2, approval: { held_run: held.id, by: "alice" } });
    // Never carried over: the next wave is held again, and approving a run that is not held is refused.
    await expect(approve(ws, "docs")).rejects.toThrow(/is SUCCESS, not HELD/);
    for (const name of ["f", "g", "h"]) put(`${name}.txt`, name);
    await runDocs();
    for (const name of ["e", "f", "g", "h"]) rmSync(join(source, `${name}.txt`));
    put("z.txt", "z");
    expect((await runDocs()).state).toBe("HELD");
    expect((await history(ws, { task: "docs" })).map((r) => r.state)).toEqual(["HELD", "SUCCESS", "SUCCESS", "HELD", "SUCCESS"]);
  });

  it("a dry run does not use up an approval", async () => {
    await configure({ max_delete: 1 });
    put("a.txt", "a");
    put("b.txt", "b");
    await runDocs();
    rmSync(join(source, "a.txt"));
    rmSync(join(source, "b.txt"));
    put("c.txt", "c");
    expect((await runDocs()).state).toBe("HELD");
    await approve(ws, "docs");
    await run(ws, "docs", { ...manual(), dryRun: true });
    expect((await runDocs()).approval).toMatchObject({ task: "docs" });
  });
});
