#!/usr/bin/env node
// One source to three local destinations (`npm run bench`): one task with `destinations` and
// `parallel: 3`, against three separate tasks run one after another, and against three raw
// `rclone copy` run in parallel; each into empty destinations, interleaved, medians.
//   BENCH_DESTINATIONS_FILES (20000), BENCH_DESTINATIONS_RUNS (3)
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { cli, median, rcloneEnv } from "./common.mjs";

const count = Number(process.env.BENCH_DESTINATIONS_FILES ?? 20_000);
const runs = Number(process.env.BENCH_DESTINATIONS_RUNS ?? 3);
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-destinations-"));
const env = rcloneEnv({ XDG_CACHE_HOME: join(work, "cache") });

const source = join(work, "source");
const block = Buffer.alloc(1024, 7);
for (let i = 0; i < 100; i++) mkdirSync(join(source, `d${i}`), { recursive: true });
for (let i = 0; i < count; i++) writeFileSync(join(source, `d${i % 100}`, `f${i}.bin`), block);
const targets = ["a", "b", "c"].map((name) => join(work, `target-${name}`));

const disk = { disk: { type: "local" } };
writeFileSync(
  join(work, "cloudsync.yaml"),
  stringify({
    version: 1,
    credentials: disk,
    tasks: {
      together: { direction: "push", transfer_mode: "copy", path: source, parallel: 3, destinations: Object.fromEntries(targets.map((t, i) => [`dest${i}`, { credential: "disk", folder: t }])) },
      ...Object.fromEntries(targets.map((t, i) => [`apart${i}`, { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: t }])),
    },
  }),
);
spawnSync(process.execPath, [cli, "apply", "--auto-approve", "-q"], { cwd: work, env });

const clean = () => {
  for (const t of targets) rmSync(t, { recursive: true, force: true });
  spawnSync("sync");
};
const timed = (fn) => {
  clean();
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const cloudsync = (...args) => {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: work, env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`cloudsync ${args.join(" ")}: ${result.stderr}`);
};
/** Three raw rclone copies at once, waited for together. */
const rawParallel = () =>
  new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let left = targets.length;
    for (const target of targets) {
      const child = spawn("rclone", ["copy", source, target, "--transfers", "4"], { env, stdio: "ignore" });
      child.on("exit", (code) => {
        if (code !== 0) reject(new Error(`rclone exited ${code}`));
        if (--left === 0) resolve(Number(process.hrtime.bigint() - start) / 1e6);
      });
    }
  });

const samples = { raw: [], together: [], apart: [] };
for (let round = 0; round < runs; round++) {
  const steps = [
    async () => {
      clean();
      samples.raw.push(await rawParallel());
    },
    async () => samples.together.push(timed(() => cloudsync("run", "together", "-q"))),
    async () => samples.apart.push(timed(() => targets.forEach((_, i) => cloudsync("run", `apart${i}`, "-q")))),
  ];
  for (const step of round % 2 ? steps.reverse() : steps) await step();
}
const raw = median(samples.raw);
console.log(`\nthree destinations (${count.toLocaleString("en")} files of 1 KB, local → local, median of ${runs}, node ${process.version})\n`);
console.log("| measurement | ms | × raw parallel | target |");
console.log("|---|---:|---:|---|");
console.log(`| three raw rclone copy at once | ${raw.toFixed(0)} | 1.00 | |`);
console.log(`| one task, three destinations, parallel: 3 (one snapshot, one pair of scripts) | ${median(samples.together).toFixed(0)} | ${(median(samples.together) / raw).toFixed(3)} | ≤ 1.10 |`);
console.log(`| three tasks, one after another | ${median(samples.apart).toFixed(0)} | ${(median(samples.apart) / raw).toFixed(3)} | |`);
rmSync(work, { recursive: true, force: true });
