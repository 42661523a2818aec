#!/usr/bin/env node
/* global setInterval, clearInterval */
// The service's figures: save → new schedule active, idle cost with 10,000
// scheduled tasks, and 200 tasks due in the same second under max_parallel_runs 4.
//   BENCH_SAVES (50), BENCH_IDLE_TASKS (10000), BENCH_IDLE_SECONDS (60), BENCH_BURST (200)
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { cli } from "./common.mjs";

const saves = Number(process.env.BENCH_SAVES ?? 50);
const idleTasks = Number(process.env.BENCH_IDLE_TASKS ?? 10_000);
const idleSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 60);
const burst = Number(process.env.BENCH_BURST ?? 200);
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-watch-"));
const env = { ...process.env };
delete env.AWS_CA_BUNDLE;

function startWatch(dir) {
  const child = spawn(process.execPath, [cli, "watch"], { cwd: dir, env, stdio: ["ignore", "pipe", "inherit"] });
  const lines = [];
  let buffer = "";
  child.stdout.on("data", (d) => {
    buffer += d;
    const parts = buffer.split("\n");
    buffer = parts.pop();
    for (const line of parts) {
      lines.push({ at: performance.now(), line });
      if (process.env.BENCH_DEBUG) console.error(line);
    }
  });
  const waitFor = async (pattern, from = 0, timeoutMs = 120_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = lines.slice(from).find((l) => pattern.test(l.line));
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}`);
      await sleep(5);
    }
  };
  const stop = async () => {
    child.kill("SIGTERM");
    await new Promise((r) => child.on("exit", r));
  };
  return { child, lines, waitFor, stop };
}

const source = join(work, "source");
mkdirSync(source);
writeFileSync(join(source, "a.txt"), "a");
const task = (extra) => ({ direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: join(work, "target"), ...extra });
const writeConfig = (dir, tasks, settings = {}) =>
  writeFileSync(join(dir, "cloudsync.yaml"), stringify({ version: 1, settings: { timezone: "UTC", ...settings }, credentials: { disk: { type: "local" } }, tasks }));
const percentile = (list, p) => [...list].sort((a, b) => a - b)[Math.min(list.length - 1, Math.floor(list.length * p))];

// 1. Save → new schedule active.
if (saves > 0) {
  const dir = join(work, "saves");
  mkdirSync(dir);
  writeConfig(dir, { t: task({ schedule: "0 1 * * *" }) });
  const watch = startWatch(dir);
  await watch.waitFor(/start: applied/);
  const latencies = [];
  for (let i = 0; i < saves; i++) {
    const hour = (i % 20) + 2;
    const from = watch.lines.length;
    const start = performance.now();
    writeConfig(dir, { t: task({ schedule: `0 ${hour} * * *` }) });
    const hit = await watch.waitFor(new RegExp(`scheduled t: 0 ${hour} \\* \\* \\*`), from);
    latencies.push(hit.at - start);
    await sleep(150);
  }
  await watch.stop();
  console.log(`\nwatch: save → new schedule active, ${saves} saves (includes the 100 ms debounce)\n`);
  console.log("| p50 ms | p95 ms | target |");
  console.log("|---:|---:|---|");
  console.log(`| ${percentile(latencies, 0.5).toFixed(0)} | ${percentile(latencies, 0.95).toFixed(0)} | p50 ≤ 300 |`);
}

/** A port nothing listens on. */
async function freePort() {
  const { createServer } = await import("node:net");
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// 2. Idle with scheduled tasks (a home server's 200, and 10,000), and a scrape of their metrics.
const idleRows = [];
async function idle(count, scrape) {
  const dir = join(work, `idle-${count}`);
  mkdirSync(dir);
  const port = await freePort();
  // Due in three hours half a day away, so that none runs while the service is measured idle; each
  // writes a place of its own (10,000 "writes into the same place" warnings took the exact, slow path).
  const quietHour = (offset) => (new Date().getUTCHours() + 10 + offset) % 24;
  writeConfig(dir, Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${i}`, task({ schedule: `${i % 60} ${quietHour(i % 3)} * * *`, folder: join(work, "idle-target", String(i)) })])), { metrics: { listen: `127.0.0.1:${port}` } });
  const watch = startWatch(dir);
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${watch.child.pid}/status`, "utf8"))[1]) / 1024;
  // The start's peak (applying the tasks), looked at every 50 ms until the idle part begins.
  let startPeak = 0;
  const startSampler = setInterval(() => (startPeak = Math.max(startPeak, rss())), 50);
  await watch.waitFor(/start: applied/, 0, 300_000);
  const appliedAt = Date.now();
  await watch.waitFor(/serving metrics on/, 0, 60_000);
  if (scrape) {
    // Scrape time as Prometheus sees it: request to last byte, bytes read but not decoded (Prometheus asks for gzip;
    // plain too), against a GET of the same server's 404 page (the HTTP round trip alone), interleaved.
    const { get } = await import("node:http");
    const time = (path, gzip) =>
      new Promise((resolve, reject) => {
        const start = performance.now();
        get({ host: "127.0.0.1", port, path, headers: gzip ? { "accept-encoding": "gzip" } : {} }, (response) => {
          let bytes = 0;
          response.on("data", (chunk) => (bytes += chunk.length));
          response.on("end", () => resolve({ ms: performance.now() - start, bytes }));
        }).on("error", reject);
      });
    await time("/metrics", false); // the first scrape after start renders the tasks' part once
    const gzipped = [];
    const plain = [];
    const baseline = [];
    let size = { plain: 0, gzip: 0 };
    for (let i = 0; i < 30; i++) {
      baseline.push((await time("/nothing", false)).ms);
      const g = await time("/metrics", true);
      const p = await time("/metrics", false);
      gzipped.push(g.ms);
      plain.push(p.ms);
      size = { plain: p.bytes, gzip: g.bytes };
    }
    console.log(`\nwatch: GET /metrics with ${count.toLocaleString("en")} tasks (${(size.plain / 1e6).toFixed(1)} MB, ${(size.gzip / 1e6).toFixed(2)} MB gzipped), 30 scrapes\n`);
    console.log("| gzip p50 ms | gzip p95 ms | plain p50 ms | plain p95 ms | HTTP round trip alone p50 ms | target |");
    console.log("|---:|---:|---:|---:|---:|---|");
    console.log(`| ${percentile(gzipped, 0.5).toFixed(1)} | ${percentile(gzipped, 0.95).toFixed(1)} | ${percentile(plain, 0.5).toFixed(1)} | ${percentile(plain, 0.95).toFixed(1)} | ${percentile(baseline, 0.5).toFixed(1)} | ≤ 50 ms |`);
  }
  await sleep(Math.max(3000, appliedAt + 15_000 - Date.now()));
  clearInterval(startSampler);
  const ticks = () => {
    const stat = readFileSync(`/proc/${watch.child.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 Hz)
  };
  const before = ticks();
  let peak = rss();
  for (let s = 0; s < idleSeconds; s++) {
    await sleep(1000);
    peak = Math.max(peak, rss());
  }
  const cpu = ((ticks() - before) / 100 / idleSeconds) * 100;
  const last = rss();
  await watch.stop();
  idleRows.push(`| ${count.toLocaleString("en")} | ${startPeak.toFixed(0)} | ${peak.toFixed(0)} | ${last.toFixed(0)} | ${cpu.toFixed(2)} | ${count <= 200 ? "≤ 100 MB, ≤ 0.5 %" : "≤ 150 MB, ≤ 1 %"} |`);
}
if (idleTasks > 0) {
  await idle(200, false);
  if (idleTasks > 200) await idle(idleTasks, true);
  console.log(`\nwatch: scheduled tasks, ${idleSeconds} s idle (with /metrics served)\n`);
  console.log("| tasks | RSS MB at start (peak, applying) | idle RSS MB (peak) | idle RSS MB (at the end) | idle CPU % | targets (idle) |");
  console.log("|---:|---:|---:|---:|---:|---|");
  for (const row of idleRows) console.log(row);
}

// 3. Many tasks due in the same second.
if (burst > 0) {
  const dir = join(work, "burst");
  mkdirSync(dir);
  const due = new Date(Date.now() + 8000);
  due.setUTCMilliseconds(0);
  const cron = `${due.getUTCSeconds()} ${due.getUTCMinutes()} ${due.getUTCHours()} * * *`;
  writeConfig(dir, Object.fromEntries(Array.from({ length: burst }, (_, i) => [`b${i}`, task({ schedule: cron, folder: join(work, "burst-target", String(i)) })])), { max_parallel_runs: 4 });
  const watch = startWatch(dir);
  await watch.waitFor(/start: applied/);
  const runsDir = join(dir, ".cloudsync", "runs");
  const records = () =>
    readdirSync(runsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(runsDir, d.name)).filter((n) => n.endsWith(".json")).map((n) => JSON.parse(readFileSync(join(runsDir, d.name, n), "utf8"))));
  for (;;) {
    await sleep(500);
    let done = [];
    try {
      done = records().filter((r) => r.state !== "RUNNING");
    } catch {
      continue;
    }
    if (done.length >= burst) break;
  }
  await sleep(1000);
  const all = records();
  await watch.stop();
  const perTask = new Map();
  for (const r of all) perTask.set(r.task, (perTask.get(r.task) ?? 0) + 1);
  const once = [...perTask.values()].every((n) => n === 1) && perTask.size === burst;
  const delays = all.map((r) => Date.parse(r.started_at) - due.getTime());
  console.log(`\nwatch: ${burst} tasks due in the same second, max_parallel_runs 4\n`);
  console.log("| runs | each exactly once | all SUCCESS | start delay p50 ms | p95 ms | max ms |");
  console.log("|---:|---|---|---:|---:|---:|");
  console.log(`| ${all.length} | ${once ? "yes" : "NO"} | ${all.every((r) => r.state === "SUCCESS") ? "yes" : "NO"} | ${percentile(delays, 0.5)} | ${percentile(delays, 0.95)} | ${Math.max(...delays)} |`);
}
rmSync(work, { recursive: true, force: true });
