#!/usr/bin/env node
// cloudsync run against raw rclone on many small files, local → local: wall
// time and the CPU (user + system) of the whole process tree, as GNU time
// counts it (each program and every child it waited for). Part of `npm run bench`.
//   BENCH_MANY (100000 files of 1 KB), BENCH_MANY_RUNS (3)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { cli, rcloneEnv } from "./common.mjs";

const count = Number(process.env.BENCH_MANY ?? 100_000);
const runs = Number(process.env.BENCH_MANY_RUNS ?? 3);
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-many-"));
const env = rcloneEnv();

const source = join(work, "source");
const target = join(work, "target");
const block = Buffer.alloc(1024, 7);
for (let i = 0; i < count; i++) {
  const dir = join(source, `d${i % 100}`);
  if (i < 100) mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `f${i}.bin`), block);
}
writeFileSync(
  join(work, "cloudsync.yaml"),
  stringify({ version: 1, credentials: { disk: { type: "local" } }, tasks: { many: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: target } } }),
);
execFileSync(process.execPath, [cli, "apply", "--auto-approve", "--quiet"], { cwd: work, env });

/** Wall seconds and CPU seconds (user + system, children included). */
function measure(command, args) {
  rmSync(target, { recursive: true, force: true });
  execFileSync("sync");
  const result = spawnSync("/usr/bin/time", ["-f", "%e %U %S", command, ...args], { cwd: work, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${result.stderr}`);
  const [wall, user, system] = result.stderr.trim().split("\n").at(-1).split(" ").map(Number);
  return { wall, cpu: user + system };
}

const raw = [];
const ours = [];
for (let i = 0; i < runs; i++) {
  // Alternate who goes first, so a slow spell of the disk hits both alike.
  const steps = [() => raw.push(measure("rclone", ["copy", source, target, "--transfers", "4"])), () => ours.push(measure(process.execPath, [cli, "run", "many", "--quiet"]))];
  for (const step of i % 2 ? steps.reverse() : steps) step();
}
const median = (list, key) => [...list.map((m) => m[key])].sort((a, b) => a - b)[Math.floor(list.length / 2)];
console.log(`\ncloudsync run vs raw rclone copy: ${count.toLocaleString("en")} files of 1 KB, local → local, median of ${runs}\n`);
console.log("| measure | raw rclone | cloudsync run | ratio | target |");
console.log("|---|---:|---:|---:|---|");
for (const [key, name, goal] of [["wall", "wall s", "≤ 1.03"], ["cpu", "CPU s (user + system, whole tree)", "≤ 1.10"]]) {
  console.log(`| ${name} | ${median(raw, key).toFixed(2)} | ${median(ours, key).toFixed(2)} | ${(median(ours, key) / median(raw, key)).toFixed(3)} | ${goal} |`);
}
rmSync(work, { recursive: true, force: true });
