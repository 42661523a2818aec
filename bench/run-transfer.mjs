#!/usr/bin/env node
// cloudsync run against the equivalent raw rclone command on the same data,
// local → local and local → SFTP (rclone serve sftp on loopback), and the peak
// memory of a dry run over a large tree. Part of `npm run bench`.
//   BENCH_FILES (2000), BENCH_MB (500), BENCH_RUNS (5), BENCH_TREE (100000)
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/cloudsync.js");
const files = Number(process.env.BENCH_FILES ?? 2000);
const megabytes = Number(process.env.BENCH_MB ?? 500);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const treeSize = Number(process.env.BENCH_TREE ?? 100_000);
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-run-"));
const env = { ...process.env, RCLONE_CONFIG: "/dev/null" };
delete env.AWS_CA_BUNDLE;

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

const ws = join(work, "ws");
mkdirSync(ws);
writeFileSync(
  join(ws, "cloudsync.yaml"),
  stringify({
    version: 1,
    credentials: Object.fromEntries(Object.entries(targets).map(([name, t]) => [name, t.credential])),
    tasks: {
      ...Object.fromEntries(Object.entries(targets).map(([name, t]) => [name, { direction: "push", transfer_mode: "copy", path: source, credential: name, folder: t.folder }])),
    },
  }),
);
execFileSync(process.execPath, [cli, "apply", "--auto-approve"], { cwd: ws, env: rawEnv, stdio: "ignore" });

const time = (command, args) => {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: ws, env: rawEnv, stdio: ["ignore", "ignore", "pipe"] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

console.log(`\ncloudsync run vs raw rclone: ${files} files, ${megabytes} MB, copy into an empty destination, median of ${runs}\n`);
console.log("| target | raw rclone ms | cloudsync run ms | ratio | target |");
console.log("|---|---:|---:|---:|---|");
for (const [name, target] of Object.entries(targets)) {
  const raw = [];
  const ours = [];
  const rawRun = () => raw.push(time("rclone", ["copy", source, target.raw, "--transfers", "4"]));
  const ourRun = () => ours.push(time(process.execPath, [cli, "run", name, "--quiet"]));
  for (let i = 0; i < runs; i++) {
    // Alternate who goes first, and flush dirty pages before each, so neither pays for the other's writes.
    for (const step of i % 2 ? [ourRun, rawRun] : [rawRun, ourRun]) {
      target.clear();
      execFileSync("sync");
      step();
    }
  }
  console.log(`| ${name} | ${median(raw).toFixed(0)} | ${median(ours).toFixed(0)} | ${(median(ours) / median(raw)).toFixed(3)} | ≤ 1.05 |`);
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
