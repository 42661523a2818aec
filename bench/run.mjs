#!/usr/bin/env node
// npm run bench: wall-time figures of the built CLI, as a table. Each figure is the
// median of several runs in fresh processes, also as a ratio over bare `node -e 0`.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { largeConfig } from "./generate.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/cloudsync.js");
const runs = Number(process.env.BENCH_RUNS ?? 15);
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-"));
const big = join(work, "cloudsync.yaml");
writeFileSync(big, largeConfig(1000, 100));

function time(command, args) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const node = process.execPath;
const cases = [
  { name: "node -e 0 (baseline)", args: ["-e", "0"], target: "" },
  { name: "cloudsync --version (module loading)", args: [cli, "--version"], target: "" },
  { name: "validate examples/quickstart-local.yaml", args: [cli, "-c", "examples/quickstart-local.yaml", "validate"], target: "" },
  { name: "validate 1,000 tasks / 100 credentials", args: [cli, "-c", big, "validate"], target: "≤ 3×" },
  {
    name: "  for scale: yaml@2 parseDocument of that file alone",
    args: ["-e", `require("yaml").parseDocument(require("fs").readFileSync(${JSON.stringify(big)}, "utf8"))`],
    target: "",
  },
];

// Rounds interleave the commands, so a slow spell of the machine hits all of them alike.
const samples = cases.map(() => []);
for (let round = 0; round < runs; round++) cases.forEach((c, i) => samples[i].push(time(node, c.args)));
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
const nodeStart = median(samples[0]);
const rows = cases.map((c, i) => [c.name, median(samples[i]), c.target]);

console.log(`cloudsync benchmarks (median of ${runs} runs, node ${process.version})\n`);
console.log("| measurement | median ms | × node start-up | target |");
console.log("|---|---:|---:|---|");
for (const [name, ms, target] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${(ms / nodeStart).toFixed(2)} | ${target} |`);
rmSync(work, { recursive: true, force: true });
