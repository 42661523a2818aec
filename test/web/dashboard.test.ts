// The dashboard in a real browser: the built CLI's service on a free port,
// real local and SFTP tasks, Debian's chromium.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { get, request } from "node:http";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cli, isRunning, testEnv } from "../helpers/cli.js";
import { launchBrowser, screenshot } from "../helpers/browser.js";
import { openDashboard, startDashboard, type Dashboard } from "../helpers/dashboard.js";
import { freePort, PASSWORD, withSftpServer } from "../helpers/servers.js";
import { writeTree } from "../helpers/tree.js";
import { awaitValue, until } from "../helpers/wait.js";

const server = withSftpServer();
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
}, 30_000);
afterAll(async () => {
  await browser?.close();
});

const SECRETS = { SFTP_PASS: PASSWORD, CRYPT_PASS: "crypt-pass-for-the-page-7Yh", WEB_TOKEN: "web-token-for-the-dashboard-1234" };
let counter = 0;

/** A workspace with a service on a free port; `web` is merged into settings.web. */
async function service(web: Record<string, unknown> = {}, extraTasks: Record<string, unknown> = {}) {
  const dir = join(server.base, `dash-${++counter}`);
  const source = join(dir, "source");
  const slowSource = join(dir, "slow-source");
  writeTree(source, { "a.txt": "alpha", "sub/b.txt": "beta" });
  writeTree(slowSource, { "big.bin": Buffer.alloc(2_500_000, 7) });
  const config = {
    settings: { web },
    credentials: { disk: { type: "local" }, nas: { ...server.sftp.credential, pass: "${SFTP_PASS}" } },
    tasks: {
      offsite: { description: "To the NAS over SFTP", direction: "push", transfer_mode: "sync", path: source, credential: "nas", folder: `dash-${counter}`, schedule: "30 2 * * *", encryption: { password: "${CRYPT_PASS}" } },
      slow: { direction: "push", transfer_mode: "copy", path: slowSource, credential: "disk", folder: join(dir, "slow-target"), bwlimit: "300k", transfers: 1 },
      broken: { direction: "push", transfer_mode: "copy", path: join(dir, "not-mounted"), credential: "disk", folder: join(dir, "target") },
      ...extraTasks,
    },
  };
  return startDashboard(dir, config, { secrets: SECRETS, token: web.token ? SECRETS.WEB_TOKEN : undefined });
}

const open = (s: Dashboard, viewport = { width: 1280, height: 900 }) => openDashboard(browser, s, { viewport });

const row = (page: Page, task: string) => page.locator(`tr[data-task="${task}"]`);
const badge = (page: Page, task: string) => row(page, task).locator("td.state > .badge");
/** One of a row's less used actions, in its More menu. */
async function moreOf(page: Page, task: string, action: string): Promise<void> {
  await page.getByRole("group", { name: `Actions: ${task}` }).locator("summary").click();
  await page.getByRole("button", { name: `${action}: ${task}` }).click();
}

describe("the dashboard", () => {
  it("lists the tasks with their states; Run now goes RUNNING with moving progress, then SUCCESS, without a reload", async () => {
    const s = await service();
    try {
      const page = await open(s);
      expect(await page.locator("tbody tr[data-task]").count()).toBe(3);
      expect(await row(page, "offsite").innerText()).toMatch(/offsite\s+encrypted\s+To the NAS over SFTP[\s\S]*PENDING[\s\S]*never[\s\S]*in \d+ hr\.[\s\S]*At 02:30/);
      await screenshot(page, "task-list");
      // Run now, by keyboard as well as it works by mouse.
      await page.getByRole("button", { name: "Run now: slow" }).focus();
      await page.keyboard.press("Enter");
      await page.waitForSelector('tr[data-task="slow"] td.state .badge:text("RUNNING")');
      // The button that was used turns into Abort, and keeps the focus.
      expect(await page.evaluate("document.activeElement.getAttribute('aria-label')")).toBe("Abort: slow");
      const bar = row(page, "slow").locator("progress");
      await bar.waitFor();
      const first = Number(await bar.getAttribute("value"));
      await until(async () => Number(await bar.getAttribute("value")) > first, "the progress moves");
      expect(await row(page, "slow").innerText()).toMatch(/\d+% · [\d.]+ (KiB|MiB) of 2\.38 MiB · [\d.]+ KiB\/s · \S+ left/);
      await screenshot(page, "task-running");
      await page.waitForSelector('tr[data-task="slow"] td.state .badge:text("SUCCESS")', { timeout: 20_000 });
      expect(existsSync(join(s.dir, "slow-target", "big.bin"))).toBe(true);
      // Check: the remote holds what was sent; the task page's history shows the check.
      await moreOf(page, "slow", "Check");
      await page.getByRole("status").filter({ hasText: /slow: check \S+ SUCCESS/ }).waitFor({ timeout: 20_000 });
      await page.goto(`${s.url}/#/task/slow`);
      await page.locator(".history").getByText("check", { exact: true }).waitFor();
      await page.goto(`${s.url}/#/`);
      await page.waitForSelector("table.tasks");

      // The SFTP task, encrypted, runs from the page too.
      await page.getByRole("button", { name: "Run now: offsite" }).click();
      await page.waitForSelector('tr[data-task="offsite"] td.state .badge:text("SUCCESS")', { timeout: 20_000 });
      // A dry run is told apart: a hollow mark in the strip, and the task's state stays what its last real run made it.
      await moreOf(page, "broken", "Dry run");
      await row(page, "broken").locator(".tick.dry.bad").waitFor();
      expect(await row(page, "broken").getByRole("button", { name: /^dry run FAILED, / }).count()).toBe(1);
      expect(await badge(page, "broken").innerText()).toBe("PENDING");
      await page.close();
    } finally {
      await s.stop();
    }
  }, 90_000);

  it("a failing task shows FAILED with its error; the logs dialog shows the log and downloads it as a .log file", async () => {
    const s = await service();
    try {
      const page = await open(s);
      await page.getByRole("button", { name: "Run now: broken" }).click();
      await page.waitForSelector('tr[data-task="broken"] td.state .badge:text("FAILED")');
      expect(await row(page, "broken").locator(".error").getAttribute("title")).toContain("does not exist: is the disk mounted?");
      await badge(page, "broken").click();
      const dialog = page.getByRole("dialog");
      await dialog.getByRole("log").filter({ hasText: "FAILED" }).waitFor();
      // Sizes and durations for people; the failing line stands out.
      expect(await dialog.locator(".line.err").last().innerText()).toMatch(/--- run \S+ FAILED \(0 files, 0 B, 0 deleted, 0s\): path .* does not exist/);
      await screenshot(page, "logs-dialog");
      const [download] = await Promise.all([page.waitForEvent("download"), dialog.getByRole("link", { name: "Download logs" }).click()]);
      expect(download.suggestedFilename()).toMatch(/^broken-\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{4}\.log$/);
      const saved = readFileSync((await download.path())!, "utf8");
      expect(saved).toMatch(/--- run \S+ of task broken/);
      await page.keyboard.press("Escape");
      await page.getByRole("dialog").waitFor({ state: "detached" });
      await page.close();
    } finally {
      await s.stop();
    }
  }, 60_000);

  it("Abort stops a slow run: ABORTED, and no rclone left", async () => {
    const s = await service();
    try {
      const page = await open(s);
      await page.getByRole("button", { name: "Run now: slow" }).click();
      await row(page, "slow").locator("progress").waitFor();
      const record = await awaitValue(() => {
        try {
          const dir = join(s.dir, ".cloudsync", "runs", "slow");
          const found = readdirSync(dir).filter((n) => n.endsWith(".json")).map((n) => JSON.parse(readFileSync(join(dir, n), "utf8")));
          return found.find((r: { process_group: unknown }) => r.process_group) as { process_group: { pgid: number } } | undefined;
        } catch {
          return undefined;
        }
      }, "rclone runs");
      await page.getByRole("button", { name: "Abort: slow" }).click();
      await page.waitForSelector('tr[data-task="slow"] td.state .badge:text("ABORTED")', { timeout: 20_000 });
      expect(isRunning(record.process_group.pgid)).toBe(false);
      await page.close();
    } finally {
      await s.stop();
    }
  }, 60_000);

  it("a run held at max_delete shows HELD with its reason and an Approve button; Approve lets the next run through", async () => {
    const mirrorSource = join(server.base, `held-source-${counter + 1}`);
    writeTree(mirrorSource, { "a.txt": "a", "b.txt": "b", "c.txt": "c" });
    const s = await service({}, { mirror: { direction: "push", transfer_mode: "sync", path: mirrorSource, credential: "disk", folder: join(server.base, `held-target-${counter + 1}`), max_delete: 1 } });
    try {
      const page = await open(s);
      await page.getByRole("button", { name: "Run now: mirror" }).click();
      await page.waitForSelector('tr[data-task="mirror"] td.state .badge:text("SUCCESS")');
      for (const name of ["a.txt", "b.txt", "c.txt"]) rmSync(join(mirrorSource, name));
      writeTree(mirrorSource, { "z.txt": "z" });
      await page.getByRole("button", { name: "Run now: mirror" }).click();
      await page.waitForSelector('tr[data-task="mirror"] td.state .badge:text("HELD")');
      expect(await row(page, "mirror").locator(".error").innerText()).toMatch(/max_delete: this run would delete more than 1 file/);
      await page.getByRole("button", { name: "Approve: mirror's next run may delete beyond max_delete" }).click();
      await until(() => /approved run \S+ of mirror/.test(s.log()), "the approval in the service log");
      await page.getByRole("button", { name: "Run now: mirror" }).click();
      await page.waitForSelector('tr[data-task="mirror"] td.state .badge:text("SUCCESS")');
      const history = (await (await s.api("/api/v1/history?task=mirror&limit=1")).json()) as { runs: { state: string; approval?: { by: string } }[] };
      expect(history.runs[0]).toMatchObject({ state: "SUCCESS", approval: { by: "the dashboard (from 127.0.0.1)" } });
      await page.close();
    } finally {
      await s.stop();
    }
  }, 60_000);

  it("Restore browses the destination, previews again on every change, confirms a sync into a non-empty directory, adds exactly what was previewed, and runs it", async () => {
    const s = await service();
    try {
      const page = await open(s);
      await page.getByRole("button", { name: "Run now: offsite" }).click();
      await page.waitForSelector('tr[data-task="offsite"] td.state .badge:text("SUCCESS")', { timeout: 20_000 });
      const before = readFileSync(join(s.dir, "cloudsync.yaml"), "utf8");
      await moreOf(page, "offsite", "Restore");
      const dialog = page.getByRole("dialog");
      // The destination, browsed through its encryption: names as they were sent.
      await dialog.getByRole("button", { name: "Open folder sub" }).click();
      await dialog.locator("table.listing").getByText("b.txt").waitFor();
      const into = dialog.getByLabel("Restore into (an absolute directory on the server)");
      await into.fill(join(s.dir, "first-try"));
      await dialog.locator("pre.entry").filter({ hasText: join(s.dir, "first-try") }).waitFor();
      // Changed: previewed again, without asking; the old entry is never the one added.
      await into.fill(join(s.dir, "restored"));
      await dialog.locator("pre.entry").filter({ hasText: `path: ${join(s.dir, "restored")}` }).waitFor();
      const entry = await dialog.locator("pre.entry").innerText();
      expect(entry).toMatch(/offsite-restore:\n\s+description: .*\n[\s\S]*direction: pull[\s\S]*enabled: false/);
      expect(entry).toContain("password: ${CRYPT_PASS}");
      expect(readFileSync(join(s.dir, "cloudsync.yaml"), "utf8")).toBe(before);

      // A sync into a directory with files in it: said so, and only with a yes.
      writeTree(join(s.dir, "filled"), { "mine.txt": "keep me?" });
      await into.fill(join(s.dir, "filled"));
      await dialog.getByLabel("Transfer mode").selectOption("sync");
      const yes = dialog.getByLabel(/Yes: make .*filled equal to the remote/);
      await yes.waitFor();
      expect(await dialog.getByRole("button", { name: "Add to the file" }).isDisabled()).toBe(true);
      await yes.check();
      await dialog.locator("pre.entry").filter({ hasText: `path: ${join(s.dir, "filled")}` }).waitFor();
      await dialog.getByLabel("Transfer mode").selectOption("copy");
      await into.fill(join(s.dir, "restored"));
      await dialog.locator("pre.entry").filter({ hasText: `path: ${join(s.dir, "restored")}` }).waitFor();
      await screenshot(page, "restore-dialog");

      await dialog.getByRole("button", { name: "Add to the file" }).click();
      await dialog.getByText("Added offsite-restore to the file:").waitFor();
      const after = readFileSync(join(s.dir, "cloudsync.yaml"), "utf8");
      // Only lines were added, and they are the entry previewed.
      expect(after.startsWith(before.replace(/\n$/, ""))).toBe(true);
      expect(after).toContain(entry.trimEnd().split("\n").slice(1).join("\n"));
      // Once the service has applied it: Run it now.
      const runIt = dialog.getByRole("button", { name: "Run it now: offsite-restore" });
      await runIt.waitFor();
      await until(async () => !(await runIt.isDisabled()), "the new task is applied");
      await runIt.click();
      // Started, or the reason it was not (the dialog's alert), before the dialog closes.
      await page.locator("header p.live").filter({ hasText: /offsite-restore: run \S+ started/ }).or(dialog.getByRole("alert")).waitFor();
      expect(await page.locator("header p.live").innerText()).toMatch(/offsite-restore: run \S+ started/);
      await page.keyboard.press("Escape");
      await page.waitForSelector('tr[data-task="offsite-restore"] td.state .badge:text("SUCCESS")', { timeout: 45_000 });
      expect(readFileSync(join(s.dir, "restored", "a.txt"), "utf8")).toBe("alpha");
      expect(readFileSync(join(s.dir, "restored", "sub", "b.txt"), "utf8")).toBe("beta");
      await page.close();
    } finally {
      await s.stop();
    }
  }, 90_000);

  it("a broken save is shown with its FILE:LINE:COLUMN; an unapplied change with its plan; the task page shows settings, where it is defined and its runs", async () => {
    const s = await service();
    try {
      const page = await open(s);
      const file = join(s.dir, "cloudsync.yaml");
      const good = readFileSync(file, "utf8");
      writeFileSync(file, good.replace("transfer_mode: copy", "transfer_mode: teleport"));
      await page.getByText("cloudsync.yaml has errors").waitFor();
      expect(await page.locator(".diagnostics").innerText()).toMatch(/cloudsync\.yaml:\d+:\d+: error: "transfer_mode" cannot be "teleport"/);
      await screenshot(page, "health-rejected");
      writeFileSync(file, good);
      await page.getByText("cloudsync.yaml has errors").waitFor({ state: "detached" });

      await page.goto(`${s.url}/#/task/offsite`);
      await page.locator(".task-page dl").first().waitFor();
      const text = await page.locator(".task-page").innerText();
      expect(text).toMatch(/As written\s+cloudsync\.yaml:\d+\s/);
      expect(text).toContain("password: (sensitive)");
      expect(text).toMatch(/pass\s+\(sensitive\)/);
      await page.getByRole("button", { name: "Check the credential" }).click();
      await page.getByText("credential nas (sftp): OK").waitFor({ timeout: 20_000 });
      await screenshot(page, "task-page");
      await page.close();
    } finally {
      await s.stop();
    }
  }, 60_000);

  it("an answer that comes back late does not undo a newer one: the broken file, fixed meanwhile, is not shown again", async () => {
    const s = await service();
    try {
      const page = await open(s);
      const file = join(s.dir, "cloudsync.yaml");
      const good = readFileSync(file, "utf8");
      // Answers that tell of the broken file are held back until the fixed file has been answered for.
      let releaseLate!: () => void;
      const late = new Promise<void>((resolve) => (releaseLate = resolve));
      let heldOne!: () => void;
      const held = new Promise<void>((resolve) => (heldOne = resolve));
      let fixedAnswered!: () => void;
      const fixed = new Promise<void>((resolve) => (fixedAnswered = resolve));
      const fulfilled: Promise<void>[] = [];
      await page.route("**/api/v1/health", async (route) => {
        const response = await route.fetch();
        const body = await response.text();
        const answer = async () => route.fulfill({ response, body });
        if (body.includes('"rejected"')) {
          heldOne();
          fulfilled.push(late.then(answer));
        } else {
          await answer();
          if (body.includes('"applied"')) fixedAnswered();
        }
      });
      writeFileSync(file, good.replace("transfer_mode: copy", "transfer_mode: teleport"));
      await held;
      // The service too has seen the broken file (else mending it would be no change to it, and tell nothing).
      await until(() => /the configuration has errors/.test(s.log()), "the service rejects the broken file");
      writeFileSync(file, good);
      await fixed;
      releaseLate();
      await Promise.all(fulfilled);
      // The late answers have been delivered; what the page shows is the newer one.
      await page.evaluate("new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))");
      expect(await page.getByText("cloudsync.yaml has errors").count()).toBe(0);
      await page.close();
    } finally {
      await s.stop();
    }
  }, 60_000);

  it("a broken file the service never saw (mended before it looked) does not stay on the page: it asks again", async () => {
    const s = await service();
    try {
      const page = await open(s);
      // Answers tell of a broken file, as those read between a save and its mending would; then no more. The
      // service, seeing the file as it applied it, has nothing to tell.
      let broken = true;
      await page.route("**/api/v1/health", async (route) => {
        const response = await route.fetch();
        const health = (await response.json()) as { config: { state: string; diagnostics: unknown[] } };
        if (broken) health.config = { ...health.config, state: "rejected", diagnostics: [{ severity: "error", message: "broken for a moment", file: "cloudsync.yaml", line: 1, column: 1 }] };
        await route.fulfill({ response, json: health });
      });
      await page.reload();
      await page.getByText("cloudsync.yaml has errors").waitFor();
      broken = false;
      await page.getByText("cloudsync.yaml has errors").waitFor({ state: "detached", timeout: 10_000 });
      await page.close();
    } finally {
      await s.stop();
    }
  }, 60_000);

  it("is readable on a phone: no sideways scrolling, every cell labelled", async () => {
    const s = await service();
    try {
      const page = await open(s, { width: 390, height: 844 });
      expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
      expect(await row(page, "offsite").locator('td[data-label="Next run"]').innerText()).toContain("At 02:30");
      await screenshot(page, "phone");
      await page.close();
    } finally {
      await s.stop();
    }
  }, 60_000);

  it("a run started from the command line while the service runs shows live on the page", async () => {
    const s = await service();
    try {
      const page = await open(s);
      const run = spawn(process.execPath, [CLI, "run", "slow"], { cwd: s.dir, env: testEnv(SECRETS), stdio: "ignore" });
      const exited = new Promise((resolve) => run.on("exit", resolve));
      await page.waitForSelector('tr[data-task="slow"] td.state .badge:text("RUNNING")', { timeout: 15_000 });
      await page.waitForSelector('tr[data-task="slow"] td.state .badge:text("SUCCESS")', { timeout: 30_000 });
      await exited;
      await page.close();
    } finally {
      await s.stop();
    }
  }, 60_000);
});

describe("the dashboard's security", () => {
  it("refuses an address beyond loopback without a token", async () => {
    const dir = join(server.base, "beyond");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cloudsync.yaml"), stringify({ version: 1 }));
    const port = await freePort();
    const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, "watch", "--web", `0.0.0.0:${port}`], { cwd: dir, env: testEnv(), stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => resolve({ code, stderr }));
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("refusing to serve the dashboard on 0.0.0.0");
  }, 30_000);

  it("with a token: the login form sets an HttpOnly SameSite=Strict cookie, the API takes Bearer, other origins and hosts are refused", async () => {
    const s = await service({ token: "${WEB_TOKEN}" });
    try {
      expect((await fetch(`${s.url}/api/v1/status`)).status).toBe(401);
      expect((await fetch(`${s.url}/api/v1/status`, { headers: { authorization: "Bearer wrong-token-of-the-right-size" } })).status).toBe(401);
      expect((await fetch(`${s.url}/api/v1/status`, { headers: { authorization: `Bearer ${SECRETS.WEB_TOKEN}` } })).status).toBe(200);
      const bare = await fetch(`${s.url}/`, { redirect: "manual" });
      expect(bare.status).toBe(303);
      expect(bare.headers.get("location")).toBe("/login");
      // Actions: another site's Origin is refused, even with the token.
      const foreign = await fetch(`${s.url}/api/v1/tasks/broken/run`, { method: "POST", headers: { authorization: `Bearer ${SECRETS.WEB_TOKEN}`, origin: "https://evil.example", "content-type": "application/json" }, body: "{}" });
      expect(foreign.status).toBe(403);

      const page = await browser.newPage();
      await page.goto(s.url);
      await page.getByLabel("Token").fill("not it at all, not it at all");
      await page.getByRole("button", { name: "Log in" }).click();
      await page.getByRole("alert").filter({ hasText: "That token is not right." }).waitFor();
      await page.getByLabel("Token").fill(SECRETS.WEB_TOKEN);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.waitForSelector("table.tasks");
      const cookie = (await page.context().cookies()).find((c) => c.name === "cloudsync_session")!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
      await page.getByRole("button", { name: "Run now: broken" }).click();
      await page.waitForSelector('tr[data-task="broken"] td.state .badge:text("FAILED")');
      await page.close();
    } finally {
      await s.stop();
    }
  }, 60_000);

  it("without settings.web.token every request needs the token the service generated (0600 in the state directory); cloudsync dashboard prints the link that logs in", async () => {
    const s = await service();
    try {
      const tokenFile = join(s.dir, ".cloudsync", "dashboard.token");
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect((await fetch(`${s.url}/api/v1/status`)).status).toBe(401);
      // A local user who cannot read the state directory cannot act: no run, no restore over a home directory.
      const restoreBody = JSON.stringify({ path: "/root/.ssh", transfer_mode: "sync", write: true, force: true });
      expect((await fetch(`${s.url}/api/v1/tasks/offsite/restore`, { method: "POST", headers: { "content-type": "application/json" }, body: restoreBody })).status).toBe(401);
      expect((await fetch(`${s.url}/api/v1/tasks/offsite/run`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(401);
      expect((await fetch(`${s.url}/`, { redirect: "manual" })).headers.get("location")).toBe("/login");
      // And with the token, a restore into a home directory's hidden folder is refused all the same.
      const before = readFileSync(join(s.dir, "cloudsync.yaml"), "utf8");
      const refused = await s.api("/api/v1/tasks/offsite/restore", { method: "POST", headers: { "content-type": "application/json" }, body: restoreBody });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(await refused.json())).toContain("root's home directory");
      expect(readFileSync(join(s.dir, "cloudsync.yaml"), "utf8")).toBe(before);

      const printed = await cli(["dashboard"], { cwd: s.dir });
      expect(printed.code, printed.stderr).toBe(0);
      expect(printed.stdout.trim()).toBe(`${s.url}/login?token=${s.token}`);
      // The link trades the token for a session (not the token itself) and leaves it out of the address bar.
      const login = await fetch(printed.stdout.trim(), { redirect: "manual" });
      expect(login.status).toBe(303);
      expect(login.headers.get("location")).toBe("/");
      const cookie = login.headers.get("set-cookie")!;
      expect(cookie).toMatch(/^cloudsync_session=[A-Za-z0-9_-]{40,}; HttpOnly; SameSite=Strict; Path=\//);
      expect(cookie).not.toContain(s.token);
      const session = cookie.split(";")[0]!;
      expect((await fetch(`${s.url}/api/v1/status`, { headers: { cookie: session } })).status).toBe(200);
      // Logging out ends that session, wherever its cookie is kept.
      expect((await fetch(`${s.url}/logout`, { method: "POST", headers: { cookie: session, origin: s.url }, redirect: "manual" })).status).toBe(303);
      expect((await fetch(`${s.url}/api/v1/status`, { headers: { cookie: session } })).status).toBe(401);
    } finally {
      await s.stop();
    }
    // A stopped service gives no link.
    const after = await cli(["dashboard"], { cwd: s.dir });
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("no cloudsync watch serves a dashboard");
  }, 30_000);

  it("wrong tokens slow down; behind an HTTPS reverse proxy login and actions work; another site is refused, naming the Origin", async () => {
    const s = await service({ token: "${WEB_TOKEN}" });
    try {
      const attempt = (token: string, headers: Record<string, string> = {}) =>
        fetch(`${s.url}/login`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: `token=${encodeURIComponent(token)}` });
      for (let i = 0; i < 5; i++) expect((await attempt("not the token, not at all")).status).toBe(403);
      const slowed = await attempt("not the token, not at all");
      expect(slowed.status).toBe(429);
      expect(Number(slowed.headers.get("retry-after"))).toBeGreaterThan(0);
      // Even the right token waits its turn (a guesser learns nothing from trying it then).
      expect((await attempt(SECRETS.WEB_TOKEN)).status).toBe(429);

      // The proxy: the browser is at https://backup.example.com, the service sees http and its own address, or the forwarded host.
      const viaProxy = { "x-forwarded-proto": "https", "x-forwarded-host": "backup.example.com", origin: "https://backup.example.com" };
      const action = await fetch(`${s.url}/api/v1/tasks/broken/run`, { method: "POST", headers: { ...viaProxy, authorization: `Bearer ${SECRETS.WEB_TOKEN}`, "content-type": "application/json" }, body: "{}" });
      expect(action.status, await action.text()).toBe(200);
      // A proxy that passes the browser's Host on (fetch cannot set Host: node:http can).
      const withHost = await new Promise<number>((resolve) => {
        const sent = request({ host: "127.0.0.1", port: s.port, method: "POST", path: "/api/v1/tasks/broken/abort", headers: { host: "backup.example.com", origin: "https://backup.example.com", authorization: `Bearer ${SECRETS.WEB_TOKEN}` } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        });
        sent.end();
      });
      expect(withHost).not.toBe(403); // (400: nothing to abort; the Origin was accepted)
      const foreign = await fetch(`${s.url}/api/v1/tasks/broken/run`, { method: "POST", headers: { authorization: `Bearer ${SECRETS.WEB_TOKEN}`, origin: "https://evil.example", "content-type": "application/json" }, body: "{}" });
      expect(foreign.status).toBe(403);
      expect(((await foreign.json()) as { error: { message: string } }).error.message).toContain("Origin https://evil.example");
    } finally {
      await s.stop();
    }
  }, 30_000);

  it("a client's mistakes are 4xx answers that say what is wrong, never 500", async () => {
    const s = await service();
    try {
      const post = (path: string, body: string) => s.api(path, { method: "POST", headers: { "content-type": "application/json" }, body });
      expect((await post("/api/v1/tasks/broken/run", JSON.stringify({ pad: "x".repeat(70 * 1024) }))).status).toBe(413);
      for (const body of ["null", "[]", "3", '"text"']) expect((await post("/api/v1/tasks/broken/run", body)).status, body).toBe(400);
      expect((await s.api("/api/v1/tasks/%E0%A4%A/runs/x/log")).status).toBe(400);
      await post("/api/v1/tasks/broken/run", "{}");
      const runs = (await (await s.api("/api/v1/history?task=broken")).json()) as { runs: { id: string }[] };
      await until(async () => ((await (await s.api("/api/v1/history?task=broken")).json()) as { runs: { state: string }[] }).runs[0]?.state !== "RUNNING", "the run ends");
      for (const offset of ["-1", "abc", "1.5"]) expect((await s.api(`/api/v1/tasks/broken/runs/${runs.runs[0]!.id}/log?offset=${offset}`)).status, offset).toBe(400);
    } finally {
      await s.stop();
    }
  }, 30_000);

  it("without a token, only loopback host names reach it (no DNS rebinding)", async () => {
    const s = await service();
    try {
      const rebound = await new Promise<number>((resolve) => {
        get({ host: "127.0.0.1", port: s.port, path: "/api/v1/status", headers: { host: `evil.example:${s.port}` } }, (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        });
      });
      expect(rebound).toBe(421);
      const bearer = { headers: { authorization: `Bearer ${s.token}` } };
      expect((await fetch(`http://localhost:${s.port}/api/v1/status`, bearer)).status).toBe(200);
      // A query that makes no sense is a 400, not an empty or cut list.
      for (const limit of ["abc", "-1", "0", "2.5"]) expect((await fetch(`http://localhost:${s.port}/api/v1/history?limit=${limit}`, bearer)).status, limit).toBe(400);
      expect((await fetch(`http://localhost:${s.port}/api/v1/history?limit=3`, bearer)).status).toBe(200);
    } finally {
      await s.stop();
    }
  }, 30_000);

  it("read-only mode shows no action and refuses every one", async () => {
    const s = await service({ read_only: true });
    try {
      const page = await open(s);
      expect(await page.getByRole("button", { name: /now|Abort|Restore|Check|Dry run/ }).count()).toBe(0);
      expect(await page.locator(".top .badge").innerText()).toBe("read-only");
      const refused = await s.api("/api/v1/tasks/broken/run", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("read-only");
      await page.close();
    } finally {
      await s.stop();
    }
  }, 30_000);

  it("no secret reaches the browser: pages, API answers, the event stream", async () => {
    const s = await service({ token: "${WEB_TOKEN}" });
    try {
      const page = await browser.newPage();
      const bodies: string[] = [];
      page.on("response", async (response) => {
        try {
          bodies.push(await response.text());
        } catch {
          // the event stream: read below
        }
      });
      await page.goto(`${s.url}/login`);
      await page.getByLabel("Token").fill(SECRETS.WEB_TOKEN);
      await page.getByRole("button", { name: "Log in" }).click();
      await page.waitForSelector("table.tasks");
      const stream: string[] = [];
      const events = await fetch(`${s.url}/api/v1/events`, { headers: { authorization: `Bearer ${SECRETS.WEB_TOKEN}` } });
      const reader = events.body!.getReader();
      const reading = (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          stream.push(Buffer.from(value as Uint8Array).toString());
        }
      })();
      await page.getByRole("button", { name: "Run now: offsite" }).click();
      await page.waitForSelector('tr[data-task="offsite"] td.state .badge:text("SUCCESS")', { timeout: 20_000 });
      await page.goto(`${s.url}/#/task/offsite`);
      await page.locator(".task-page dl").first().waitFor();
      await page.locator(".history button.link").first().click();
      await page.getByRole("dialog").getByRole("log").filter({ hasText: "SUCCESS" }).waitFor();
      for (const path of ["/api/v1/status", "/api/v1/health", "/api/v1/history", "/api/v1/tasks/offsite"]) {
        bodies.push(await (await fetch(`${s.url}${path}`, { headers: { authorization: `Bearer ${SECRETS.WEB_TOKEN}` } })).text());
      }
      bodies.push(await page.content());
      await reader.cancel();
      await reading.catch(() => undefined);
      const everything = [...bodies, ...stream].join("\n");
      expect(stream.join("")).toContain("event: run.finished");
      for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
      await page.close();
    } finally {
      await s.stop();
    }
  }, 60_000);
});
