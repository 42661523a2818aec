// The dashboard as people use it: the built CLI's service on a free port serving a workspace, and
// Debian's chromium logged in through the link `cloudsync dashboard` prints.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { stringify } from "yaml";
import { CLI, testEnv } from "./cli.js";
import { freePort } from "./servers.js";
import { until } from "./wait.js";

export interface Dashboard {
  dir: string;
  url: string;
  port: number;
  token: string;
  /** The API with the token, as a script would call it. */
  api: (path: string, init?: RequestInit) => Promise<Response>;
  log: () => string;
  /** Stops the service (SIGTERM; SIGKILL for a crash). */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  /** Starts the service again on the same port (after stop). */
  start: () => Promise<void>;
}

/**
 * Writes `config` (settings.web.listen set to a free port) into DIR/cloudsync.yaml and starts `cloudsync watch` there.
 * `secrets` are the environment's; `tokenFromFile` when settings.web.token names one of them.
 */
export async function startDashboard(
  dir: string,
  config: Record<string, unknown>,
  options: { secrets?: Record<string, string>; token?: string; /** What to do with the file before the service starts (apply, runs from the CLI). */ before?: () => Promise<void> } = {},
): Promise<Dashboard> {
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const settings = (config.settings ?? {}) as Record<string, unknown>;
  const web = { listen: `127.0.0.1:${port}`, ...((settings.web ?? {}) as Record<string, unknown>) };
  writeFileSync(join(dir, "cloudsync.yaml"), stringify({ version: 1, ...config, settings: { ...settings, web } }));
  await options.before?.();
  let child: ChildProcess;
  let log = "";
  let exited: Promise<unknown>;
  const start = async () => {
    log = "";
    child = spawn(process.execPath, [CLI, "watch"], { cwd: dir, env: testEnv(options.secrets ?? {}), stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (d) => (log += d));
    child.stderr!.on("data", (d) => (log += d));
    exited = new Promise((resolve) => child.on("exit", resolve));
    await until(() => /serving the dashboard/.test(log) || child.exitCode !== null, "the dashboard is served", 20_000);
    if (child.exitCode !== null) throw new Error(`the service ended: ${log}`);
  };
  await start();
  const url = `http://127.0.0.1:${port}`;
  // Every request needs a token: the file's, or the one the service generated into the state directory.
  const token = options.token ?? readFileSync(join(dir, ".cloudsync", "dashboard.token"), "utf8").trim();
  return {
    dir,
    url,
    port,
    token,
    api: (path, init = {}) => fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) } }),
    log: () => log,
    start,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      await exited;
    },
  };
}

export interface PageOptions {
  viewport?: { width: number; height: number };
  colorScheme?: "light" | "dark";
  /** The part of the address after the host ("/#/task/x"). */
  at?: string;
}

/** The page, logged in through the link `cloudsync dashboard` prints; a script error on the page fails the test. */
export async function openDashboard(browser: Browser, s: Pick<Dashboard, "url" | "token">, options: PageOptions = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1280, height: 900 }, colorScheme: options.colorScheme ?? "light", acceptDownloads: true });
  page.on("pageerror", (error) => {
    throw error;
  });
  await page.goto(`${s.url}/login?token=${encodeURIComponent(s.token)}`);
  if (options.at) await page.goto(`${s.url}${options.at}`);
  await page.waitForSelector(options.at?.includes("task/") ? ".task-page" : "table.tasks");
  return page;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary: string }[];
}

/** axe-core's WCAG 2.x A and AA rules (and its best practices) on the page as it is now. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the debugging protocol: the page's Content-Security-Policy (no inline script) stays as it is.
  await page.evaluate(AXE);
  return page.evaluate<AxeViolation[]>(`axe.run(document, { resultTypes: ["violations"] }).then((result) =>
    result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`);
}

/** Rows of the task list wholly on the screen. */
export const rowsOnScreen = (page: Page) =>
  page.evaluate<number>(`[...document.querySelectorAll("tbody tr[data-task]")].filter((row) => row.getBoundingClientRect().top >= 0 && row.getBoundingClientRect().bottom <= innerHeight).length`);
