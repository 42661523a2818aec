#!/usr/bin/env node
// Verification, measured: `cloudsync check` of 10,000 files against raw
// `rclone check` of the same, and without NODE_EXTRA_CA_CERTS (interleaved,
// median of 5). Part of `npm run bench`.
//   BENCH_CHECK_FILES (10000), BENCH_RUNS (5)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { cli, median, rcloneEnv, timedRclone } from "./common.mjs";

const checkFiles = Number(process.env.BENCH_CHECK_FILES ?? 10_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-check-"));
const env = rcloneEnv();
// Both sides run rclone through a stand-in that notes how long the real one took.
const rclone = timedRclone(work);
const time = (command, args, options) => {
  const start = performance.now();
  const result = spawnSync(command, args, { env, stdio: "ignore", ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
  return { wall: performance.now() - start, rclone: rclone.lastMs() };
};

const source = join(work, "source");
const target = join(work, "target");
for (const dir of [source, target]) {
  for (let i = 0; i < checkFiles; i++) {
    const sub = join(dir, `d${i % 100}`);
    if (i < 100) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.txt`), `file ${i}\n`);
  }
}
const ws = join(work, "ws");
mkdirSync(ws);
writeFileSync(join(ws, "cloudsync.yaml"), stringify({ version: 1, credentials: { disk: { type: "local" } }, settings: { rclone: rclone.path }, tasks: { t: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: target } } }));
spawnSync(process.execPath, [cli, "apply", "--auto-approve", "-q"], { cwd: ws, env });
// This VM sets NODE_EXTRA_CA_CERTS, which Node 20 reads at every start (~30 ms); most machines do not.
const withoutCerts = { ...env };
delete withoutCerts.NODE_EXTRA_CA_CERTS;
const raw = [];
const ours = [];
const bare = [];
const steps = [
  () => raw.push(time(rclone.path, ["check", source, target, "-q"])),
  () => ours.push(time(process.execPath, [cli, "check", "t", "-q"], { cwd: ws })),
  () => bare.push(time(process.execPath, [cli, "check", "t", "-q"], { cwd: ws, env: withoutCerts })),
];
// Interleaved, rotating who goes first.
for (let i = 0; i < runs; i++) for (let k = 0; k < steps.length; k++) steps[(i + k) % steps.length]();
console.log(`\ncheck: ${checkFiles.toLocaleString("en")} files, local → local, median of ${runs} (interleaved)\n`);
console.log("| raw rclone check ms | cloudsync check ms | ratio | without NODE_EXTRA_CA_CERTS ms | ratio | rclone inside ÷ alone | cloudsync's own ms (wall − rclone's) | target |");
console.log("|---:|---:|---:|---:|---:|---:|---:|---|");
const wall = (list) => median(list.map((t) => t.wall));
const r = wall(raw);
const inside = median(ours.map((t) => t.rclone)) / median(raw.map((t) => t.rclone));
const own = median(ours.map((t) => t.wall - t.rclone));
console.log(`| ${r.toFixed(0)} | ${wall(ours).toFixed(0)} | ${(wall(ours) / r).toFixed(3)} | ${wall(bare).toFixed(0)} | ${(wall(bare) / r).toFixed(3)} | ${inside.toFixed(3)} | ${own.toFixed(0)} | ≤ 1.05 |`);

rmSync(work, { recursive: true, force: true });
