#!/usr/bin/env node
// What versions cost (`npm run bench`): a sync that replaces 1,000 of 100,000 files with versions
// kept against the same sync without (two destinations kept in step, interleaved, local → local);
// pruning 10,000 version files; and `restore --at` of one file from a destination of 100,000 files
// with 30 version folders over SFTP on loopback (rclone serve sftp).
//   BENCH_VERSIONS_FILES (100000), BENCH_VERSIONS_RUNS (3)
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { setTimeout } from "node:timers";
import { join } from "node:path";
import { stringify } from "yaml";
import { cli, median, rcloneEnv } from "./common.mjs";

const count = Number(process.env.BENCH_VERSIONS_FILES ?? 100_000);
const runs = Number(process.env.BENCH_VERSIONS_RUNS ?? 3);
const CHANGED = 1_000;
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-versions-"));
const env = rcloneEnv({ XDG_CACHE_HOME: join(work, "cache") });
const block = Buffer.alloc(1024, 7);
const fileOf = (root, i) => join(root, `d${i % 100}`, `f${i}.bin`);

/** count files of 1 KB under root, in 100 folders. */
function tree(dir, modified) {
  for (let i = 0; i < 100; i++) mkdirSync(join(dir, `d${i}`), { recursive: true });
  for (let i = 0; i < count; i++) {
    writeFileSync(fileOf(dir, i), block);
    if (modified) utimesSync(fileOf(dir, i), modified, modified);
  }
}

const cloudsync = (dir, ...args) => {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: dir, env, encoding: "utf8", maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`cloudsync ${args.join(" ")}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};

// 1. A sync that replaces 1,000 files, with and without versions.
const source = join(work, "source");
tree(source);
const config = (dir, task) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cloudsync.yaml"), stringify({ version: 1, credentials: { disk: { type: "local" } }, tasks: { t: { direction: "push", transfer_mode: "sync", path: source, credential: "disk", ...task } } }));
  cloudsync(dir, "apply", "--auto-approve", "-q");
  cloudsync(dir, "run", "t", "-q");
  return dir;
};
const withVersions = config(join(work, "with"), { folder: join(work, "dest-with"), versions: { keep: "30d" } });
const without = config(join(work, "without"), { folder: join(work, "dest-without") });
const timed = { with: [], without: [] };
for (let round = 0; round < runs; round++) {
  const changedAt = new Date(Date.now() + (round + 1) * 60_000);
  for (let i = round * CHANGED; i < (round + 1) * CHANGED; i++) {
    writeFileSync(fileOf(source, i % count), Buffer.alloc(1024, round + 8));
    utimesSync(fileOf(source, i % count), changedAt, changedAt);
  }
  spawnSync("sync");
  const steps = [() => timed.with.push(cloudsync(withVersions, "run", "t", "-q")), () => timed.without.push(cloudsync(without, "run", "t", "-q"))];
  for (const step of round % 2 ? steps.reverse() : steps) step();
}
const [w, wo] = [median(timed.with), median(timed.without)];

// 2. Pruning 10,000 version files (10 expired folders of 1,000).
const pruneDir = join(work, "prune");
const pruneDest = join(work, "dest-prune");
for (let s = 0; s < 10; s++) {
  const folder = join(pruneDest, ".cloudsync-versions", `2025-01-${String(s + 10).padStart(2, "0")}T000000Z`);
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < 1_000; i++) writeFileSync(join(folder, `f${i}.bin`), block);
}
mkdirSync(pruneDir);
writeFileSync(join(pruneDir, "cloudsync.yaml"), stringify({ version: 1, credentials: { disk: { type: "local" } }, tasks: { t: { direction: "push", transfer_mode: "sync", path: source, credential: "disk", folder: pruneDest, versions: { keep: "30d" } } } }));
cloudsync(pruneDir, "apply", "--auto-approve", "-q");
const pruneMs = cloudsync(pruneDir, "versions", "t", "--prune", "-q");

// 3. restore --at of one file over SFTP: 100,000 files at the destination, 30 version folders.
const served = join(work, "sftp-root");
const sftpDest = join(served, "dest");
tree(sftpDest, new Date("2026-01-01T00:00:00Z"));
for (let s = 0; s < 30; s++) {
  const folder = join(sftpDest, ".cloudsync-versions", `2026-02-${String(s + 1).padStart(2, "0")}T000000Z`, "d7");
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < 100; i++) {
    writeFileSync(join(folder, `f${7 + i * 100}.bin`), block);
    utimesSync(join(folder, `f${7 + i * 100}.bin`), new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z"));
  }
}
const port = 20_000 + Math.floor(Math.random() * 20_000);
const server = spawn("rclone", ["serve", "sftp", served, "--addr", `127.0.0.1:${port}`, "--user", "bench", "--pass", "bench-pass", "--dir-cache-time", "0s"], { env, stdio: "ignore" });
await new Promise((resolve, reject) => {
  const deadline = Date.now() + 15_000;
  const attempt = () => {
    const socket = createConnection({ port, host: "127.0.0.1" }, () => resolve(socket.end()));
    socket.on("error", () => (Date.now() > deadline ? reject(new Error("sftp server did not start")) : setTimeout(attempt, 100)));
  };
  attempt();
});
const restoreDir = join(work, "restore");
mkdirSync(restoreDir);
writeFileSync(
  join(restoreDir, "cloudsync.yaml"),
  stringify({ version: 1, credentials: { nas: { type: "sftp", host: "127.0.0.1", port, user: "bench", pass: "bench-pass" } }, tasks: { t: { direction: "push", transfer_mode: "sync", path: source, credential: "nas", folder: "dest", versions: { keep: "365d" } } } }),
);
cloudsync(restoreDir, "apply", "--auto-approve", "-q");
const restores = [];
for (let round = 0; round < runs; round++) restores.push(cloudsync(restoreDir, "restore", "t", "--at", "2026-02-14T12:00:00Z", "--path", "d7/f1507.bin", "--to", join(work, `restored-${round}`), "-q"));
server.kill("SIGTERM");

console.log(`\nversions (${count.toLocaleString("en")} files of 1 KB, median of ${runs}, node ${process.version})\n`);
console.log("| measurement | ms | × | target |");
console.log("|---|---:|---:|---|");
console.log(`| sync replacing ${CHANGED.toLocaleString("en")} files, no versions (local → local) | ${wo.toFixed(0)} | 1.00 | |`);
console.log(`| the same, versions kept | ${w.toFixed(0)} | ${(w / wo).toFixed(3)} | ≤ 1.10 |`);
console.log(`| versions --prune of 10,000 version files (10 folders) | ${pruneMs.toFixed(0)} | | |`);
console.log(`| restore --at of one file, ${count.toLocaleString("en")} files and 30 version folders, SFTP on loopback | ${median(restores).toFixed(0)} | | ≤ 5,000 |`);
rmSync(work, { recursive: true, force: true });
