#!/usr/bin/env node
// cloudsync run against the equivalent raw rclone command on the same data,
// local → local and local → SFTP (rclone serve sftp on loopback), and the peak
// memory of a dry run over a large tree. Part of `npm run bench`.
//   BENCH_FILES (2000), BENCH_MB (500), BENCH_RUNS (5), BENCH_TREE (100000)
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { cli, median, rcloneEnv, timedRclone } from "./common.mjs";

const files = Number(process.env.BENCH_FILES ?? 2000);
const megabytes = Number(process.env.BENCH_MB ?? 500);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const treeSize = Number(process.env.BENCH_TREE ?? 100_000);
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-run-"));
const env = rcloneEnv();

function makeTree(dir, count, bytesEach) {
  const chunk = Buffer.alloc(bytesEach, 7);
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `d${i % 50}`);
    if (i < 50) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.bin`), chunk);
  }
}

const source = join(work, "source");
makeTree(source, files, Math.floor((megabytes * 1024 * 1024) / files));

const sftpRoot = join(work, "sftp-root");
mkdirSync(sftpRoot);
const port = 40000 + Math.floor(Math.random() * 20000);
// No listing cache: the target is cleared behind the server's back between runs.
const server = spawn("rclone", ["serve", "sftp", sftpRoot, "--addr", `127.0.0.1:${port}`, "--user", "u", "--pass", "p", "--dir-cache-time", "0s"], { env, stdio: "ignore" });
await sleep(1500);

const targets = {
  local: { credential: { type: "local" }, folder: join(work, "local-target"), raw: join(work, "local-target"), clear: () => rmSync(join(work, "local-target"), { recursive: true, force: true }) },
  sftp: {
    credential: { type: "sftp", host: "127.0.0.1", port, user: "u", pass: "${BENCH_SFTP_PASS}" },
    folder: "target",
    raw: "rawsftp:target",
    clear: () => rmSync(join(sftpRoot, "target"), { recursive: true, force: true }),
  },
};
const rawEnv = {
  ...env,
  BENCH_SFTP_PASS: "p",
  RCLONE_CONFIG_RAWSFTP_TYPE: "sftp",
  RCLONE_CONFIG_RAWSFTP_HOST: "127.0.0.1",
  RCLONE_CONFIG_RAWSFTP_PORT: String(port),
  RCLONE_CONFIG_RAWSFTP_USER: "u",
  RCLONE_CONFIG_RAWSFTP_PASS: execFileSync("rclone", ["obscure", "p"], { env, encoding: "utf8" }).trim(),
};

// Both sides run rclone through a stand-in that notes how long the real one took.
const { path: timedRcloneCommand, lastMs: lastRcloneMs } = timedRclone(work);

const ws = join(work, "ws");
mkdirSync(ws);
writeFileSync(
  join(ws, "cloudsync.yaml"),
  stringify({
    version: 1,
    settings: { rclone: timedRcloneCommand },
    credentials: Object.fromEntries(Object.entries(targets).map(([name, t]) => [name, t.credential])),
    tasks: {
      ...Object.fromEntries(Object.entries(targets).map(([name, t]) => [name, { direction: "push", transfer_mode: "copy", path: source, credential: name, folder: t.folder }])),
    },
  }),
);
execFileSync(process.execPath, [cli, "apply", "--auto-approve"], { cwd: ws, env: rawEnv, stdio: "ignore" });

// Raw rclone with the flags cloudsync passes (its filter file holds the same lines): only cloudsync's own cost differs.
const filters = join(work, "filters");
writeFileSync(filters, "- .zfs/\n- .cloudsync-snapshots/\n- .cloudsync-snapshot-*/\n- /.cloudsync-versions/\n");
const SAME_FLAGS = ["--use-json-log", "--stats", "1s", "--stats-log-level", "NOTICE", "-v", "--retries", "1", "--transfers", "4", "--filter-from", filters];

const time = (command, args, environment = rawEnv) => {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ws, env: environment, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1e9 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}`);
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  return { wall, rclone: lastRcloneMs() };
};

// This VM sets NODE_EXTRA_CA_CERTS, which Node 20 reads at every start (~30 ms); most machines do not.
const withoutCerts = { ...rawEnv };
delete withoutCerts.NODE_EXTRA_CA_CERTS;
const goals = { local: "≤ 1.05", sftp: "≤ 1.03" };

console.log(`\ncloudsync run vs raw rclone with the same flags: ${files} files, ${megabytes} MB, copy into an empty destination, median of ${runs}\n`);
console.log("| target | raw rclone ms | cloudsync run ms | ratio | without NODE_EXTRA_CA_CERTS ms | ratio | rclone inside ÷ alone | cloudsync's own ms (wall − rclone's) | target |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---|");
for (const [name, target] of Object.entries(targets)) {
  const raw = [];
  const ours = [];
  const bare = [];
  const rawRun = () => raw.push(time(timedRcloneCommand, ["copy", source, target.raw, ...SAME_FLAGS]));
  const ourRun = () => ours.push(time(process.execPath, [cli, "run", name, "--quiet"]));
  const bareRun = () => bare.push(time(process.execPath, [cli, "run", name, "--quiet"], withoutCerts));
  for (let i = 0; i < runs; i++) {
    // Rotate who goes first, and flush dirty pages before each, so none pays for another's writes.
    const steps = [rawRun, ourRun, bareRun];
    for (const step of [...steps.slice(i % 3), ...steps.slice(0, i % 3)]) {
      target.clear();
      execFileSync("sync");
      step();
    }
  }
  const wall = (list) => median(list.map((t) => t.wall));
  const r = wall(raw);
  const inside = median(ours.map((t) => t.rclone)) / median(raw.map((t) => t.rclone));
  const own = median(ours.map((t) => t.wall - t.rclone));
  console.log(`| ${name} | ${r.toFixed(0)} | ${wall(ours).toFixed(0)} | ${(wall(ours) / r).toFixed(3)} | ${wall(bare).toFixed(0)} | ${(wall(bare) / r).toFixed(3)} | ${inside.toFixed(3)} | ${own.toFixed(0)} | ${goals[name]} |`);
}
server.kill();

// Peak memory of a dry run over a large tree: the whole process tree (cloudsync and rclone), by GNU time.
if (treeSize > 0) {
  const big = join(work, "big-tree");
  makeTree(big, treeSize, 16);
  writeFileSync(
    join(ws, "cloudsync.yaml"),
    stringify({ version: 1, credentials: { local: { type: "local" } }, tasks: { big: { direction: "push", transfer_mode: "sync", path: big, credential: "local", folder: join(work, "big-target") } } }),
  );
  execFileSync(process.execPath, [cli, "apply", "--auto-approve"], { cwd: ws, env: rawEnv, stdio: "ignore" });
  const peak = (command, args) => {
    const result = spawnSync("/usr/bin/time", ["-f", "peak %M", command, ...args], { cwd: ws, env: rawEnv, encoding: "utf8" });
    return Number(/peak (\d+)/.exec(result.stderr)?.[1]) / 1024;
  };
  const raw = peak("rclone", ["sync", big, join(work, "big-target"), "--dry-run", "-q"]);
  const ours = peak(process.execPath, [cli, "run", "big", "--dry-run", "--quiet"]);
  console.log(`\nDry run over ${treeSize.toLocaleString("en")} files, peak RSS of the largest process: raw rclone ${raw.toFixed(0)} MB, cloudsync run ${ours.toFixed(0)} MB`);
}
rmSync(work, { recursive: true, force: true });
