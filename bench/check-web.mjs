#!/usr/bin/env node
/* global window, EventSource, fetch */
// Verification and the dashboard, measured: `cloudsync check` of 10,000 files
// against raw `rclone check` of the same (interleaved, median of 5), and the
// page with 1,000 tasks in Debian's chromium: first render, an event reaching
// the page, and the size of what it downloads. Part of `npm run bench`.
//   BENCH_CHECK_FILES (10000), BENCH_RUNS (5), BENCH_WEB_TASKS (1000), CHROMIUM (/usr/bin/chromium)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { stringify } from "yaml";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist/cloudsync.js");
const checkFiles = Number(process.env.BENCH_CHECK_FILES ?? 10_000);
const runs = Number(process.env.BENCH_RUNS ?? 5);
const webTasks = Number(process.env.BENCH_WEB_TASKS ?? 1000);
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

// 1. check against raw rclone check.
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

// 2. The page, with many tasks.
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(chromium)) {
  console.log("\n(dashboard figures skipped: no chromium)");
} else {
  const { chromium: playwright } = await import("playwright-core");
  const port = await new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
  const web = join(work, "web");
  mkdirSync(join(web, "src"), { recursive: true });
  writeFileSync(join(web, "src", "a.txt"), "a");
  const tasks = Object.fromEntries(Array.from({ length: webTasks }, (_, i) => [`task-${i}`, { description: `Task number ${i}`, direction: "push", transfer_mode: "copy", path: join(web, "src"), credential: "disk", folder: join(web, `dst-${i}`), schedule: `${i % 60} ${i % 24} * * *` }]));
  writeFileSync(join(web, "cloudsync.yaml"), stringify({ version: 1, settings: { web: { listen: `127.0.0.1:${port}` } }, credentials: { disk: { type: "local" } }, tasks }));
  const service = spawn(process.execPath, [cli, "watch"], { cwd: web, env, stdio: ["ignore", "pipe", "inherit"] });
  let log = "";
  service.stdout.on("data", (d) => (log += d));
  while (!/serving the dashboard/.test(log)) await sleep(50);
  const url = `http://127.0.0.1:${port}/`;
  const browser = await playwright.launch({ executablePath: chromium, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const renders = [];
  const complete = [];
  for (let i = 0; i < runs + 1; i++) {
    await page.goto(url);
    // From the start of navigation to the list in the page (its first rows), and to the last row drawn: the page's own marks.
    await page.waitForSelector(`tr[data-task="task-${webTasks - 1}"]`);
    const mark = (name) => page.evaluate((n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN, name);
    const first = await mark("cloudsync:first-rows");
    const last = await mark("cloudsync:all-rows");
    if (i > 0) {
      // the first load also fills the server's caches
      renders.push(first);
      complete.push(last);
    }
  }
  // An event reaching the page: a run's start, from the server's stamp to the page's hands (one clock).
  await page.evaluate(() => {
    window.__seen = [];
    const events = new EventSource("/api/v1/events");
    events.addEventListener("run.started", (e) => window.__seen.push({ at: JSON.parse(e.data).at, received: Date.now() }));
    return new Promise((resolve) => (events.onopen = resolve));
  });
  const latencies = [];
  for (let i = 0; i < 10; i++) {
    await fetch(`${url}api/v1/tasks/task-${i}/run`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    await page.waitForFunction((n) => window.__seen.length > n, i);
  }
  for (const { at, received } of await page.evaluate(() => window.__seen)) latencies.push(received - Date.parse(at));
  const sizes = {};
  for (const [name, path] of [["html", ""], ["js", "assets/app.js"], ["css", "assets/app.css"]]) {
    const body = Buffer.from(await (await fetch(`${url}${path}`)).arrayBuffer());
    sizes[name] = gzipSync(body, { level: 9 }).length;
  }
  await browser.close();
  service.kill("SIGTERM");
  await new Promise((resolve) => service.on("exit", resolve));
  const total = sizes.html + sizes.js + sizes.css;
  console.log(`\ndashboard: ${webTasks.toLocaleString("en")} tasks, Debian's chromium (median of ${runs} loads; 10 events)\n`);
  console.log("| first render ms | every row drawn ms | event → page p50 ms | max ms | page assets, compressed | targets |");
  console.log("|---:|---:|---:|---:|---:|---|");
  console.log(`| ${median(renders).toFixed(0)} | ${median(complete).toFixed(0)} | ${median(latencies)} | ${Math.max(...latencies)} | ${(total / 1024).toFixed(1)} KB (html ${(sizes.html / 1024).toFixed(1)}, js ${(sizes.js / 1024).toFixed(1)}, css ${(sizes.css / 1024).toFixed(1)}) | ≤ 200 ms (first render), ≤ 1,000 ms, ≤ 150 KB |`);
}
rmSync(work, { recursive: true, force: true });
