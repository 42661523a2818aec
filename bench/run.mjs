#!/usr/bin/env node
// npm run bench: wall-time figures of the built CLI, as a table. Each figure is the
// median of several runs in fresh processes, also as a ratio over bare `node -e 0`.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { largeConfig } from "./generate.mjs";
import { root, cli, median } from "./common.mjs";

const runs = Number(process.env.BENCH_RUNS ?? 15);
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-"));
// The CLI keeps its compiled code in the user's cache directory: here, the bench's own, warmed before timing.
const env = { ...process.env, XDG_CACHE_HOME: join(work, "cache") };
// The tasks' local paths exist, as a user's do (validate warns of each one that does not).
const data = join(work, "data");
for (let t = 0; t < 10000; t++) mkdirSync(join(data, String(t)), { recursive: true });
const twenty = join(work, "twenty.yaml");
writeFileSync(twenty, largeConfig(20, 4, 0, data));
const big = join(work, "cloudsync.yaml");
writeFileSync(big, largeConfig(1000, 100, 0, data));
// The same file with one warning (a secret written in plain text): what it reports has to be placed in the file.
const warned = join(work, "warned.yaml");
writeFileSync(warned, largeConfig(1000, 100, 0, data).replace("secret_access_key: ${S3_SECRET:-secret}", "secret_access_key: written-in-plain-text"));

/** A state directory with `tasks` applied, and a configuration that changes 10 of them. */
function appliedWithTenChanged(tasks) {
  const dir = join(work, `plan-${tasks}`);
  mkdirSync(dir);
  const file = join(dir, "cloudsync.yaml");
  writeFileSync(file, largeConfig(tasks, 100, 0, data));
  const applied = spawnSync(process.execPath, [cli, "-c", file, "apply", "--auto-approve"], { env, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 30 });
  if (applied.status !== 0) throw new Error(`apply failed: ${applied.stderr}`);
  writeFileSync(file, largeConfig(tasks, 100, 10, data));
  return file;
}
const plan1k = appliedWithTenChanged(1000);
const plan10k = appliedWithTenChanged(10000);

function time(command, args, extraEnv = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ["ignore", "ignore", "pipe"] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const node = process.execPath;
const cases = [
  { name: "node -e 0 (baseline)", args: ["-e", "0"], target: "" },
  { name: "cloudsync --version (module loading)", args: [cli, "--version"], target: "" },
  { name: "validate examples/quickstart-local.yaml", args: [cli, "-c", "examples/quickstart-local.yaml", "validate"], target: "" },
  { name: "validate 20 tasks / 4 credentials", args: [cli, "-c", twenty, "validate"], target: "≤ 1.5×" },
  { name: "validate 1,000 tasks / 100 credentials", args: [cli, "-c", big, "validate"], target: "≤ 2.5×" },
  // What a run costs without the compiled code kept from the last one (a read-only home, or the cache turned off).
  { name: "  the same without the code cache", args: [cli, "-c", big, "validate"], env: { NODE_DISABLE_COMPILE_CACHE: "1" }, target: "" },
  { name: "validate 1,000 tasks, one warning", args: [cli, "-c", warned, "validate"], target: "" },
  { name: "plan, 1,000 applied tasks, 10 changed", args: [cli, "-c", plan1k, "plan"], target: "≤ 2.5×" },
  { name: "plan, 10,000 applied tasks, 10 changed", args: [cli, "-c", plan10k, "plan"], target: "≤ 2 s" },
  {
    name: "  for scale: yaml@2 parseDocument of the 1,000-task file alone",
    args: ["-e", `require("yaml").parseDocument(require("fs").readFileSync(${JSON.stringify(big)}, "utf8"))`],
    target: "",
  },
];

// Part of Node's own start-up on machines that set NODE_EXTRA_CA_CERTS (this VM does): loading those certificates.
if (process.env.NODE_EXTRA_CA_CERTS) cases.splice(1, 0, { name: "  node -e 0 with NODE_EXTRA_CA_CERTS unset", args: ["-e", "0"], env: { NODE_EXTRA_CA_CERTS: undefined }, target: "" });

// One untimed run of each writes its code cache. Rounds interleave the commands, so a slow spell of the machine hits all of them alike.
cases.forEach((c) => time(node, c.args, c.env));
const samples = cases.map(() => []);
for (let round = 0; round < runs; round++) cases.forEach((c, i) => samples[i].push(time(node, c.args, c.env)));
const nodeStart = median(samples[0]);
const rows = cases.map((c, i) => [c.name, median(samples[i]), c.target]);

console.log(`cloudsync benchmarks (median of ${runs} runs, node ${process.version})\n`);
console.log("| measurement | median ms | × node start-up | target |");
console.log("|---|---:|---:|---|");
for (const [name, ms, target] of rows) console.log(`| ${name} | ${ms.toFixed(1)} | ${(ms / nodeStart).toFixed(2)} | ${target} |`);

// Wall time on a shared VM wanders; instruction counts under callgrind do not, with V8's helper threads
// kept on the main thread (--single-threaded: otherwise when they run decides what is counted). Slow (~2 min), so optional.
if (process.env.BENCH_INSTRUCTIONS) {
  const instructions = (c) => {
    const args = ["--tool=callgrind", "--callgrind-out-file=/dev/null", node, "--single-threaded", ...c.args];
    // The first run under these flags writes their code cache.
    if (c.args[0] === cli) spawnSync("valgrind", args, { cwd: root, env: { ...env, ...c.env } });
    const result = spawnSync("valgrind", args, { cwd: root, env: { ...env, ...c.env }, encoding: "utf8" });
    const match = /Collected : (\d+)/.exec(result.stderr);
    if (!match) throw new Error(`callgrind failed: ${result.stderr.slice(-500)}`);
    return Number(match[1]);
  };
  const counted = cases.filter((c) => !c.name.startsWith("  for scale") && !c.name.includes("10,000"));
  const base = instructions(counted[0]);
  console.log("\n| measurement (callgrind, --single-threaded) | instructions | × node start-up |");
  console.log("|---|---:|---:|");
  for (const c of counted) {
    const count = c === counted[0] ? base : instructions(c);
    console.log(`| ${c.name} | ${(count / 1e6).toFixed(0)} M | ${(count / base).toFixed(2)} |`);
  }
}
rmSync(work, { recursive: true, force: true });
