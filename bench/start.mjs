#!/usr/bin/env node
// How soon rclone starts: from a command's start (`cloudsync run`, `cloudsync check`) and from the
// moment a scheduled run or check is due in the service, to the moment rclone starts, against bare
// `node -e 0`. rclone is a stand-in that notes when it starts and then runs the real one. Fresh
// processes, interleaved, medians. Part of `npm run bench`.
//   BENCH_RUNS (21), BENCH_SERVICE_SAMPLES (12)
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { cli, median } from "./common.mjs";

const runs = Number(process.env.BENCH_RUNS ?? 21);
const serviceSamples = Number(process.env.BENCH_SERVICE_SAMPLES ?? 12);
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-start-"));
const env = { ...process.env };
delete env.AWS_CA_BUNDLE;
const withoutCerts = { ...env };
delete withoutCerts.NODE_EXTRA_CA_CERTS;

// The stand-in: one line per start, "<epoch ns> <args>", then the real rclone in its place.
const starts = join(work, "starts.log");
const rclone = join(work, "rclone");
const real = spawnSync("sh", ["-c", "command -v rclone"], { encoding: "utf8" }).stdout.trim();
writeFileSync(rclone, `#!/bin/sh\necho "$(date +%s%N) $*" >> ${starts}\nexec ${real} "$@"\n`);
chmodSync(rclone, 0o755);
const startsOf = (pattern) =>
  readFileSync(starts, "utf8")
    .trim()
    .split("\n")
    .filter((line) => pattern.test(line))
    .map((line) => Number(BigInt(line.split(" ")[0]) / 1000n) / 1000);

const source = join(work, "source");
mkdirSync(source);
for (let i = 0; i < 3; i++) writeFileSync(join(source, `f${i}.txt`), `file ${i}\n`);
const ws = join(work, "ws");
mkdirSync(ws);
const task = (extra) => ({ direction: "push", transfer_mode: "copy", path: source, credential: "disk", ...extra });
writeFileSync(
  join(ws, "cloudsync.yaml"),
  stringify({
    version: 1,
    settings: { rclone, timezone: "UTC" },
    credentials: { disk: { type: "local" } },
    tasks: {
      t: task({ folder: join(work, "target") }),
      // In the service: a run due every third second, and a check the second after.
      s: task({ folder: join(work, "scheduled"), schedule: "*/3 * * * * *" }),
      c: task({ folder: join(work, "target"), check: { schedule: "1-59/3 * * * * *" } }),
    },
  }),
);
spawnSync(process.execPath, [cli, "apply", "--auto-approve", "-q"], { cwd: ws, env });
spawnSync(process.execPath, [cli, "run", "t", "-q"], { cwd: ws, env });

/** Milliseconds from spawning the command to rclone's start (the first rclone start, when `pattern` is null: the whole command). */
function commandToRclone(args, environment) {
  rmSync(starts, { force: true });
  const start = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: ws, env: environment, stdio: "ignore" });
  if (result.status !== 0) throw new Error(`${args.join(" ")} exited with ${result.status}`);
  return startsOf(/ (copy|check) /)[0] - start;
}
function bare(environment) {
  const start = Date.now();
  spawnSync(process.execPath, ["-e", "0"], { env: environment });
  return Date.now() - start;
}

const rows = { node: [], run: [], check: [], nodeBare: [], runBare: [], checkBare: [] };
// One untimed round: the code caches of both environments are written.
for (let i = 0; i <= runs; i++) {
  const sample = {
    node: bare(env),
    run: commandToRclone([cli, "run", "t", "-q"], env),
    check: commandToRclone([cli, "check", "t", "-q"], env),
    nodeBare: bare(withoutCerts),
    runBare: commandToRclone([cli, "run", "t", "-q"], withoutCerts),
    checkBare: commandToRclone([cli, "check", "t", "-q"], withoutCerts),
  };
  if (i > 0) for (const [key, value] of Object.entries(sample)) rows[key].push(value);
}

// The service: from the due second to rclone's start, for scheduled runs and checks.
rmSync(starts, { force: true });
const service = spawn(process.execPath, [cli, "watch"], { cwd: ws, env, stdio: "ignore" });
const enough = () => {
  try {
    return startsOf(/ copy /).length > serviceSamples + 1 && startsOf(/ check /).length > serviceSamples + 1;
  } catch {
    return false;
  }
};
while (!enough()) await sleep(200);
service.kill("SIGTERM");
await new Promise((resolve) => service.on("exit", resolve));
// The first of each is the start's catch-up or a second nobody waited for: left out.
const lateness = (pattern) =>
  startsOf(pattern)
    .slice(1)
    .map((at) => at % 1000);
const serviceRun = lateness(/ copy /);
const serviceCheck = lateness(/ check /);

const node = median(rows.node);
const nodeBare = median(rows.nodeBare);
console.log(`\nrclone's start: from the command's start (fresh processes, median of ${runs}, interleaved) or the due second (the service, median of ${serviceRun.length})\n`);
console.log("| from | ms | × node -e 0 | target |");
console.log("|---|---:|---:|---|");
console.log(`| node -e 0 (baseline) | ${node.toFixed(0)} | 1.00 | |`);
console.log(`| cloudsync run → rclone starts | ${median(rows.run).toFixed(0)} | ${(median(rows.run) / node).toFixed(2)} | ≤ 1.5× |`);
console.log(`| cloudsync check → rclone starts | ${median(rows.check).toFixed(0)} | ${(median(rows.check) / node).toFixed(2)} | ≤ 1.5× |`);
console.log(`| the service: a run due → rclone starts | ${median(serviceRun).toFixed(0)} | ${(median(serviceRun) / node).toFixed(2)} | ≤ 1.5× |`);
console.log(`| the service: a check due → rclone starts | ${median(serviceCheck).toFixed(0)} | ${(median(serviceCheck) / node).toFixed(2)} | ≤ 1.5× |`);
console.log(`| without NODE_EXTRA_CA_CERTS: node -e 0 | ${nodeBare.toFixed(0)} | 1.00 | |`);
console.log(`| without NODE_EXTRA_CA_CERTS: cloudsync run → rclone starts | ${median(rows.runBare).toFixed(0)} | ${(median(rows.runBare) / nodeBare).toFixed(2)} | |`);
console.log(`| without NODE_EXTRA_CA_CERTS: cloudsync check → rclone starts | ${median(rows.checkBare).toFixed(0)} | ${(median(rows.checkBare) / nodeBare).toFixed(2)} | |`);
rmSync(work, { recursive: true, force: true });
