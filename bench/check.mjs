#!/usr/bin/env node
// Verification, measured: `cloudsync check` of 10,000 files against raw
// `rclone check` of the same (interleaved, median of 5). Part of `npm run bench`.
//   BENCH_CHECK_FILES (10000), BENCH_RUNS (5)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/cloudsync.js");
const checkFiles = Number(process.env.BENCH_CHECK_FILES ?? 10_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-check-"));
const env = { ...process.env, RCLONE_CONFIG: "/dev/null" };
delete env.AWS_CA_BUNDLE;
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const time = (command, args, options) => {
  const start = performance.now();
  const result = spawnSync(command, args, { env, stdio: "ignore", ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
  return performance.now() - start;
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
writeFileSync(join(ws, "cloudsync.yaml"), stringify({ version: 1, credentials: { disk: { type: "local" } }, tasks: { t: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: target } } }));
spawnSync(process.execPath, [cli, "apply", "--auto-approve", "-q"], { cwd: ws, env });
const raw = [];
const ours = [];
for (let i = 0; i < runs; i++) {
  const rawRun = () => raw.push(time("rclone", ["check", source, target, "-q"]));
  const ourRun = () => ours.push(time(process.execPath, [cli, "check", "t", "-q"], { cwd: ws }));
  if (i % 2 === 0) {
    rawRun();
    ourRun();
  } else {
    ourRun();
    rawRun();
  }
}
console.log(`\ncheck: ${checkFiles.toLocaleString("en")} files, local → local, median of ${runs} (interleaved)\n`);
console.log("| raw rclone check ms | cloudsync check ms | ratio | target |");
console.log("|---:|---:|---:|---|");
console.log(`| ${median(raw).toFixed(0)} | ${median(ours).toFixed(0)} | ${(median(ours) / median(raw)).toFixed(2)} | ≤ 1.05 |`);

rmSync(work, { recursive: true, force: true });
