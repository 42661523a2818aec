#!/usr/bin/env node
/* global document, requestAnimationFrame, setTimeout, window, EventSource, Event, fetch */
// The dashboard, measured in Debian's chromium against the built CLI's service: with 1,000 and
// 10,000 tasks, the first screen of rows (from the start of navigation, the page's own mark), each
// chip of the summary bar, a search and a sort (from the click to the next painted frame), an event
// reaching the page, and what the page downloads, compressed. Part of `npm run bench`.
//   BENCH_RUNS (5), BENCH_WEB_TASKS ("1000,10000"), CHROMIUM (/usr/bin/chromium)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { gzipSync } from "node:zlib";
import { stringify } from "yaml";
import { cli, median, rcloneEnv } from "./common.mjs";

const runs = Number(process.env.BENCH_RUNS ?? 5);
const sizes = (process.env.BENCH_WEB_TASKS ?? "1000,10000").split(",").map(Number);
const chromium = process.env.CHROMIUM ?? "/usr/bin/chromium";
const env = rcloneEnv();

if (!existsSync(chromium)) {
  console.log("\n(dashboard figures skipped: no chromium)");
  process.exit(0);
}
const { chromium: playwright } = await import("playwright-core");
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-dashboard-"));
const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** N tasks (a tenth disabled, a few failed, a few run) and the service serving them. */
async function serviceWith(count) {
  const dir = join(work, `tasks-${count}`);
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src", "a.txt"), "a");
  const port = await freePort();
  const tasks = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `task-${String(i).padStart(5, "0")}`,
      { description: i % 2 ? `Task number ${i}, to the NAS` : "", direction: "push", transfer_mode: "copy", path: i % 250 === 1 ? join(dir, "missing") : join(dir, "src"), credential: "disk", folder: join(dir, `dst-${i}`), schedule: `${i % 60} ${i % 24} * * *`, enabled: i % 10 !== 0 },
    ]),
  );
  writeFileSync(join(dir, "cloudsync.yaml"), stringify({ version: 1, settings: { web: { listen: `127.0.0.1:${port}` } }, credentials: { disk: { type: "local" } }, tasks }));
  spawnSync(process.execPath, [cli, "apply", "--auto-approve", "-q"], { cwd: dir, env });
  for (let i = 1; i < Math.min(count, 1000); i += 250) spawnSync(process.execPath, [cli, "run", `task-${String(i).padStart(5, "0")}`, "-q"], { cwd: dir, env });
  const service = spawn(process.execPath, [cli, "watch"], { cwd: dir, env, stdio: ["ignore", "pipe", "inherit"] });
  let log = "";
  service.stdout.on("data", (d) => (log += d));
  while (!/serving the dashboard/.test(log)) await sleep(50);
  const token = readFileSync(join(dir, ".cloudsync", "dashboard.token"), "utf8").trim();
  return {
    url: `http://127.0.0.1:${port}/`,
    token,
    stop: () => {
      service.kill("SIGTERM");
      return new Promise((resolve) => service.on("exit", resolve));
    },
  };
}

/** Milliseconds from a click (or typing) to the next frame painted after the page has drawn its answer. */
const timed = (page, action) =>
  page.evaluate(async (what) => {
    const start = performance.now();
    if (what.kind === "click") document.querySelector(what.selector).click();
    else {
      const input = document.querySelector(what.selector);
      input.value = what.value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - start;
  }, action);

const browser = await playwright.launch({ executablePath: chromium, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"] });
const rows = [];
let assets = null;
let latencies = [];
for (const count of sizes) {
  const service = await serviceWith(count);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${service.url}login?token=${service.token}`);
  const firstScreens = [];
  for (let i = 0; i < runs + 1; i++) {
    await page.goto(service.url);
    await page.waitForFunction(() => performance.getEntriesByName("cloudsync:first-screen").length > 0);
    const at = await page.evaluate(() => performance.getEntriesByName("cloudsync:first-screen")[0].startTime);
    if (i > 0) firstScreens.push(at); // the first load also fills the server's caches
  }
  const filters = [];
  for (let i = 0; i < runs; i++) {
    for (const chip of ["failed", "never", "disabled", "all"]) {
      filters.push(await timed(page, { kind: "click", selector: `.summary .chip.${chip}` }));
      if (chip !== "all") filters.push(await timed(page, { kind: "click", selector: `.summary .chip.${chip}` }));
    }
  }
  const searches = [];
  const sorts = [];
  for (let i = 0; i < runs; i++) {
    searches.push(await timed(page, { kind: "input", selector: 'input[type="search"]', value: `nas ${i}` }));
    searches.push(await timed(page, { kind: "input", selector: 'input[type="search"]', value: "" }));
    for (const sort of ["state", "next", "last", "name"]) {
      sorts.push(
        await page.evaluate(async (value) => {
          const start = performance.now();
          const select = document.querySelector("select");
          select.value = value;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
          return performance.now() - start;
        }, sort),
      );
    }
  }
  const drawn = await page.locator("tbody tr[data-task]").count();
  rows.push({ count, first: median(firstScreens), filter: median(filters), filterMax: Math.max(...filters), search: median(searches), sort: median(sorts), drawn });

  if (assets === null) {
    // An event reaching the page: a run's start, from the server's stamp to the page's hands (one clock).
    await page.evaluate(() => {
      window.__seen = [];
      const events = new EventSource("/api/v1/events");
      events.addEventListener("run.started", (e) => window.__seen.push({ at: JSON.parse(e.data).at, received: Date.now() }));
      return new Promise((resolve) => (events.onopen = resolve));
    });
    const headers = { authorization: `Bearer ${service.token}`, "content-type": "application/json" };
    for (let i = 0; i < 10; i++) {
      await fetch(`${service.url}api/v1/tasks/task-${String(i + 2).padStart(5, "0")}/run`, { method: "POST", headers, body: "{}" });
      await page.waitForFunction((n) => window.__seen.length > n, i);
    }
    latencies = (await page.evaluate(() => window.__seen)).map(({ at, received }) => received - Date.parse(at));
    assets = {};
    for (const [name, path] of [["html", ""], ["js", "assets/app.js"], ["css", "assets/app.css"]]) {
      const body = Buffer.from(await (await fetch(`${service.url}${path}`, { headers })).arrayBuffer());
      assets[name] = gzipSync(body, { level: 9 }).length;
    }
  }
  await page.close();
  await service.stop();
}
await browser.close();
rmSync(work, { recursive: true, force: true });

console.log(`\ndashboard: Debian's chromium at 1280×800, medians of ${runs} (filters: every chip on and off; search: typing and clearing; sort: each order)\n`);
console.log("| tasks | first screen ms | filter ms (max) | search ms | sort ms | rows drawn | targets |");
console.log("|---:|---:|---:|---:|---:|---:|---|");
for (const r of rows) console.log(`| ${r.count.toLocaleString("en")} | ${r.first.toFixed(0)} | ${r.filter.toFixed(0)} (${r.filterMax.toFixed(0)}) | ${r.search.toFixed(0)} | ${r.sort.toFixed(0)} | ${r.drawn} | 1,000: ≤ 300 first screen, ≤ 100 filters; 10,000 usable |`);
const total = assets.html + assets.js + assets.css;
console.log(`\nevent → page p50 ${median(latencies)} ms (max ${Math.max(...latencies)}); page assets compressed ${(total / 1024).toFixed(1)} KB (html ${(assets.html / 1024).toFixed(1)}, js ${(assets.js / 1024).toFixed(1)}, css ${(assets.css / 1024).toFixed(1)}; target ≤ 150 KB)`);
