#!/usr/bin/env node
// What each piece of speed machinery saves a user, at 20, 100 and 1,000 tasks: V8's code cache
// (`validate` with and without it, fresh processes), and the YAML subset parser (the load of the
// file on its quick path against yaml@2 with source positions, each in a fresh process, cold, as a
// command meets it). Part of `npm run bench`. BENCH_MACHINERY_RUNS (15).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { cli, median, root } from "./common.mjs";
import { largeConfig } from "./generate.mjs";

const runs = Number(process.env.BENCH_MACHINERY_RUNS ?? 15);
const work = mkdtempSync(join(tmpdir(), "cloudsync-bench-machinery-"));
const env = { ...process.env, XDG_CACHE_HOME: join(work, "cache") };
const data = join(work, "data");
for (let t = 0; t < 1000; t++) mkdirSync(join(data, String(t)), { recursive: true });

// The loader alone, bundled as the CLI bundles it: prints how long one load took, quick or exact.
const loader = join(work, "load.mjs");
writeFileSync(
  join(work, "load-entry.ts"),
  `import { readFileSync } from "node:fs";
import { loadConfig } from ${JSON.stringify(join(root, "src/config/load.ts"))};
const [file, path] = process.argv.slice(2);
const text = readFileSync(file, "utf8");
const start = performance.now();
const loaded = await loadConfig(file, text, { env: process.env, readFile: (p) => readFileSync(p, "utf8") }, { quick: path === "quick" });
if (!loaded.config) throw new Error("the file did not load");
console.log(performance.now() - start);
`,
);
await build({
  entryPoints: [join(work, "load-entry.ts")],
  outfile: loader,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20.19",
  logLevel: "warning",
  alias: { "ajv/dist/runtime/ucs2length": join(root, "src/config/code-points.ts") },
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
});

const wall = (args, extraEnv = {}) => {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`${args.join(" ")} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};
const loadMs = (file, path) => {
  const result = spawnSync(process.execPath, [loader, file, path], { env, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`load failed: ${result.stderr}`);
  return Number(result.stdout);
};

console.log(`speed machinery: what each piece saves (median of ${runs}, node ${process.version})\n`);
console.log("| tasks | validate ms | without the code cache | saved | load, subset parser ms | load, yaml@2 ms | saved |");
console.log("|---:|---:|---:|---:|---:|---:|---:|");
for (const tasks of [20, 100, 1000]) {
  const file = join(work, `tasks-${tasks}.yaml`);
  writeFileSync(file, largeConfig(tasks, Math.min(100, tasks), 0, data));
  const cached = [cli, "-c", file, "validate"];
  wall(cached);
  const samples = { cached: [], uncached: [], quick: [], exact: [] };
  for (let round = 0; round < runs; round++) {
    samples.cached.push(wall(cached));
    samples.uncached.push(wall(cached, { NODE_DISABLE_COMPILE_CACHE: "1" }));
    samples.quick.push(loadMs(file, "quick"));
    samples.exact.push(loadMs(file, "exact"));
  }
  const [c, u, q, e] = [samples.cached, samples.uncached, samples.quick, samples.exact].map(median);
  console.log(`| ${tasks} | ${c.toFixed(1)} | ${u.toFixed(1)} | ${(u - c).toFixed(1)} | ${q.toFixed(1)} | ${e.toFixed(1)} | ${(e - q).toFixed(1)} |`);
}
rmSync(work, { recursive: true, force: true });
