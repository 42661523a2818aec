// A task's page, its versions, its logs and its live states, in Debian's chromium against the built
// CLI's service: the YAML as written, the commands to copy, the chart; browsing the destination as it
// was and restoring from it; a log that stops following while read; a running check with Abort;
// a run from a terminal with full progress; the service going away and coming back; focus kept.
import { spawn } from "node:child_process";
import { readFileSync, utimesSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, cli, tempDir, testEnv } from "../helpers/cli.js";
import { launchBrowser, screenshot } from "../helpers/browser.js";
import { openDashboard, startDashboard, type Dashboard } from "../helpers/dashboard.js";
import { readTree, writeTree } from "../helpers/tree.js";
import { until } from "../helpers/wait.js";

const ZONE = "Europe/Berlin";
let browser: Browser;
const scratch = tempDir();
let s: Dashboard;
let dir: string;

const HOUR = 3_600_000;
/** Many small files sent slowly: a log that grows for a while. */
const MANY_FILES = Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`f${String(i).padStart(4, "0")}.txt`, "x".repeat(200)]));

beforeAll(async () => {
  browser = await launchBrowser();
  dir = join(scratch.path, "tasks");
  const at = (name: string) => join(dir, name);
  // Kept: the files as they were two hours ago, then changed and deleted by a second run.
  writeTree(at("kept"), { "a.txt": "first", "sub/b.txt": "beta", "sub/c.txt": "gamma" });
  const twoHoursAgo = new Date(Date.now() - 2 * HOUR);
  for (const file of ["a.txt", "sub/b.txt", "sub/c.txt"]) utimesSync(join(at("kept"), file), twoHoursAgo, twoHoursAgo);
  writeTree(at("many"), MANY_FILES);
  writeTree(at("big"), { "big.bin": Buffer.alloc(2_500_000, 7) });
  writeTree(at("big-copy"), { "big.bin": Buffer.alloc(2_500_000, 7) });
  writeFileSync(at("a-file"), "a file, not a folder");
  s = await startDashboard(
    dir,
    {
      settings: { timezone: ZONE },
      credentials: { disk: { type: "local" } },
      tasks: {
        kept: { description: "Documents, with a month of versions", direction: "push", transfer_mode: "sync", path: at("kept"), credential: "disk", folder: at("kept-dst"), schedule: "15 1 * * *", versions: { keep: "30d" } },
        many: { direction: "push", transfer_mode: "copy", path: at("many"), credential: "disk", folder: at("many-dst"), bwlimit: "40k", transfers: 1 },
        // A check that reads both sides slowly: long enough to be seen running and aborted.
        verify: { direction: "push", transfer_mode: "copy", path: at("big"), credential: "disk", folder: at("big-copy"), bwlimit: "300k" },
        slow: { direction: "push", transfer_mode: "copy", path: at("big"), credential: "disk", folder: at("slow-dst"), bwlimit: "300k", transfers: 1 },
        // Two destinations, one of which cannot be written.
        both: { direction: "push", transfer_mode: "copy", path: at("kept"), destinations: { near: { credential: "disk", folder: at("near") }, nowhere: { credential: "disk", folder: join(at("a-file"), "nowhere") } } },
      },
    },
    {
      before: async () => {
        const run = async (...args: string[]) => {
          const result = await cli(args, { cwd: dir });
          expect(result.code, `${args.join(" ")}: ${result.stderr}`).toBe(0);
        };
        await run("apply", "--auto-approve");
        await run("run", "kept");
        writeFileSync(at("kept/a.txt"), "second");
        rmSync(at("kept/sub/c.txt"));
        writeFileSync(at("kept/new.txt"), "new since");
        await run("run", "kept");
        await run("check", "kept");
        await run("run", "many", "--dry-run");
        expect((await cli(["run", "both"], { cwd: dir })).code).not.toBe(0);
      },
    },
  );
}, 120_000);
afterAll(async () => {
  await s?.stop();
  await browser?.close();
  scratch.remove();
});

const row = (page: Page, task: string) => page.locator(`tr[data-task="${task}"]`);
const badge = (page: Page, task: string) => row(page, task).locator("td.state > .badge");
/** The focused control's accessible label (or text); "BODY" when focus was dropped. */
const focused = (page: Page) => page.evaluate<string>("document.activeElement === document.body ? 'BODY' : (document.activeElement.getAttribute('aria-label') ?? document.activeElement.textContent)");

describe("a task's page", () => {
  it("groups the settings, shows the entry as written with FILE:LINE, the commands to copy, a chart and the runs with checks and dry runs told apart", async () => {
    const page = await openDashboard(browser, s, { at: "/#/task/kept" });
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await page.locator(".task-page .groups").waitFor();
    expect(await page.locator(".group h4").allInnerTexts()).toEqual(["Transfer", "Remote", "Schedule", "Scripts", "Safety", "Advanced"]);
    expect(await page.getByRole("region", { name: "Safety settings" }).innerText()).toMatch(/Keep versions\s+keep: 30d/);
    expect(await page.getByRole("region", { name: "Schedule settings" }).innerText()).toMatch(/Schedule\s+15 1 \* \* \* \(At 01:15\)/);

    // The entry exactly as the file has it, and where.
    const file = readFileSync(join(dir, "cloudsync.yaml"), "utf8");
    const line = file.split("\n").findIndex((l) => /^ {2}kept:$/.test(l)) + 1;
    expect(await page.getByRole("region", { name: "As written" }).locator("code").innerText()).toBe(`cloudsync.yaml:${line}`);
    const written = await page.getByRole("region", { name: "As written" }).locator("pre").innerText();
    expect(file).toContain(written.trimEnd());
    expect(written).toMatch(/^ {2}kept:\n {4}description: Documents, with a month of versions\n/);

    const commands = page.getByRole("region", { name: "From the command line" });
    expect(await commands.locator("pre").innerText()).toContain("cloudsync run kept --dry-run\ncloudsync check kept\n");
    await commands.getByRole("button", { name: "Copy the commands" }).click();
    await commands.getByRole("button", { name: "Copy the commands" }).filter({ hasText: "Copied" }).waitFor();
    expect(await page.evaluate("navigator.clipboard.readText()")).toBe(await commands.locator("pre").innerText());

    // Two runs in the chart; the check says what it found, not "0 files".
    expect(await page.locator(".chart rect.bar").count()).toBe(2);
    expect(await page.locator(".chart svg").getAttribute("aria-label")).toMatch(/^Duration and bytes of the last 2 runs/);
    const runs = page.getByRole("region", { name: "Runs and checks" }).locator("tbody tr");
    expect(await runs.first().innerText()).toMatch(/check\s+SUCCESS\s+\S+\s+3 matched/);
    expect(await runs.nth(1).innerText()).toMatch(/run\s+SUCCESS\s+\S+\s+2 files, \d+ B, 1 deleted/);
    await screenshot(page, "task-page-versions");
    await page.close();
  });

  it("browses the destination as it was an hour ago, downloads a file of then, and restores a folder of then into a new directory", async () => {
    const page = await openDashboard(browser, s, { at: "/#/task/kept" });
    const versions = page.getByRole("region", { name: "Versions: the destination as it was" });
    await versions.locator("table.listing").waitFor();
    // Now: the current files.
    expect(await versions.locator("table.listing tbody th").allInnerTexts()).toEqual(["sub/", "a.txt", "new.txt"]);
    // An hour ago, in the page's zone: a.txt as it was (from its version), c.txt back, new.txt not yet there.
    const hourAgo = new Intl.DateTimeFormat("sv-SE", { dateStyle: "short", timeStyle: "short", timeZone: ZONE }).format(new Date(Date.now() - HOUR)).replace(" ", "T");
    await versions.getByLabel("As it was at").fill(hourAgo);
    await versions.locator("table.listing tbody th").filter({ hasText: "from the version of" }).waitFor();
    expect(await versions.locator("table.listing tbody th").allInnerTexts()).toEqual(["sub/", expect.stringMatching(/^a\.txt from the version of \S+$/)]);
    const [download] = await Promise.all([page.waitForEvent("download"), versions.getByRole("link", { name: "Download a.txt" }).click()]);
    expect(download.suggestedFilename()).toBe("a.txt");
    expect(readFileSync((await download.path())!, "utf8")).toBe("first");

    await versions.getByRole("button", { name: "Open folder sub" }).click();
    await versions.locator("table.listing tbody th").filter({ hasText: "c.txt" }).waitFor();
    const into = join(dir, "sub-as-it-was");
    await versions.getByLabel(/Restore sub\/ into a new or empty directory/).fill(into);
    const restore = versions.getByRole("button", { name: "Restore 2 files" });
    await restore.waitFor();
    await restore.click();
    await versions.getByText(`Restored 2 files (9 B) into ${into}.`).waitFor();
    expect(Object.keys(readTree(into)).sort()).toEqual(["sub/b.txt", "sub/c.txt"]);
    expect(readFileSync(join(into, "sub", "c.txt"), "utf8")).toBe("gamma");
    await page.close();
  });
});

describe("several destinations", () => {
  it("are shown apart: in the row, on the task's page, and to choose from when browsing and restoring", async () => {
    const page = await openDashboard(browser, s);
    const chips = row(page, "both").getByRole("list", { name: "both's destinations" });
    expect(await chips.locator("li").evaluateAll((items) => items.map((li) => `${li.getAttribute("data-destination")} ${li.textContent}`))).toEqual(["near near SUCCESS", "nowhere nowhere FAILED"]);
    expect(await badge(page, "both").innerText()).toBe("FAILED");
    await page.goto(`${s.url}/#/task/both`);
    const destinations = page.getByRole("region", { name: "Destinations" });
    await destinations.waitFor();
    expect(await destinations.locator("tbody tr").allInnerTexts()).toEqual([expect.stringMatching(/^near\s+SUCCESS\s+disk:.*near\s*$/), expect.stringMatching(/^nowhere\s+FAILED\s+disk:.*a-file\/nowhere\s+\S/)]);
    const versions = page.getByRole("region", { name: "Versions: the destination as it was" });
    expect(await versions.getByLabel("Destination").locator("option").allInnerTexts()).toEqual(["near", "nowhere"]);
    await versions.locator("table.listing").waitFor();
    expect(await versions.locator("table.listing tbody th").allInnerTexts()).toEqual(["sub/", "a.txt", "new.txt"]);
    await page.goto(`${s.url}/#/`);
    await page.getByRole("group", { name: "Actions: both" }).locator("summary").click();
    await page.getByRole("button", { name: "Restore: both" }).click();
    expect(await page.getByRole("dialog").getByLabel("From the destination").locator("option").allInnerTexts()).toEqual(["near", "nowhere"]);
    await page.close();
  });
});

describe("the logs dialog", () => {
  it("follows a running log, stops following while the reader scrolls up, follows again from the bottom, and moves between runs", async () => {
    const page = await openDashboard(browser, s);
    await page.getByRole("button", { name: "Run now: many" }).click();
    await page.waitForSelector('tr[data-task="many"] td.state > .badge:text("RUNNING")');
    await badge(page, "many").click();
    const dialog = page.getByRole("dialog");
    const log = dialog.getByRole("log");
    const lines = () => log.locator(".line").count();
    await until(async () => (await lines()) > 60, "the log fills", 20_000);
    const scroll = () => log.evaluate((el) => ({ top: el.scrollTop, bottom: el.scrollHeight - el.clientHeight }));
    await until(async () => ((s) => s.top >= s.bottom - 2)(await scroll()), "the log is followed");

    await log.evaluate((el) => el.scrollTo({ top: 0 }));
    await dialog.getByText("Running: following paused while you read.").waitFor();
    const seen = await lines();
    await until(async () => (await lines()) > seen + 20, "more lines come", 20_000);
    expect((await scroll()).top).toBe(0);

    await dialog.getByRole("button", { name: "Follow again" }).click();
    await dialog.getByText("Running: the log follows.").waitFor();
    await until(async () => ((s) => s.top >= s.bottom - 2)(await scroll()), "the log is followed again");

    // The run before this one: the dry run.
    await dialog.getByRole("button", { name: "Previous run" }).click();
    await dialog.getByRole("heading", { name: /^Logs: many, dry run / }).waitFor();
    // The first run has none before it: its button is off, and the focus moves next to it rather than to the page.
    expect(await dialog.getByRole("button", { name: "Previous run" }).isDisabled()).toBe(true);
    expect(await focused(page)).toBe("Next run");
    await dialog.getByRole("button", { name: "Next run" }).click();
    await dialog.getByRole("heading", { name: /^Logs: many, run / }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("button", { name: "Abort: many" }).click();
    await page.waitForSelector('tr[data-task="many"] td.state > .badge:text("ABORTED")', { timeout: 20_000 });
    await page.close();
  }, 60_000);
});

describe("states told right", () => {
  it("a running check shows RUNNING and can be aborted; afterwards the task's state is its last run's, and the strip has the aborted check", async () => {
    const page = await openDashboard(browser, s);
    const started = await s.api("/api/v1/tasks/verify/check", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ download: true }) });
    expect(started.status).toBe(200);
    await page.waitForSelector('tr[data-task="verify"] td.state > .badge:text("RUNNING")');
    expect(await row(page, "verify").locator("td.state").innerText()).toContain("checking");
    const abort = page.getByRole("button", { name: "Abort: verify" });
    await abort.focus();
    await page.keyboard.press("Enter");
    await row(page, "verify").locator(".tick.check.warn").waitFor({ timeout: 20_000 });
    expect(await badge(page, "verify").innerText()).toBe("PENDING");
    // The button that was used is Run now again, and has kept the focus.
    expect(await focused(page)).toBe("Run now: verify");
    await page.close();
  }, 60_000);

  it("a run started from a terminal shows the same progress as the service's: bytes of the total, speed, time left", async () => {
    const page = await openDashboard(browser, s);
    const run = spawn(process.execPath, [CLI, "run", "slow"], { cwd: dir, env: testEnv(), stdio: "ignore" });
    const exited = new Promise((resolve) => run.on("exit", resolve));
    await page.waitForSelector('tr[data-task="slow"] td.state > .badge:text("RUNNING")', { timeout: 15_000 });
    await until(async () => /\d+% · [\d.]+ (KiB|MiB) of 2\.38 MiB · [\d.]+ KiB\/s · \S+ left/.test(await row(page, "slow").innerText()), "the full progress", 15_000);
    await page.waitForSelector('tr[data-task="slow"] td.state > .badge:text("SUCCESS")', { timeout: 30_000 });
    await exited;
    await page.close();
  }, 60_000);

  it("a service that stops answering is said so, since when, and turns the actions off with the reason; they come back with it", async () => {
    const page = await openDashboard(browser, s);
    const runNow = page.getByRole("button", { name: "Run now: kept" });
    expect(await runNow.isDisabled()).toBe(false);
    await s.stop();
    const alert = page.getByRole("alert").filter({ hasText: "The service is not answering" });
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.innerText()).toMatch(/last heard from (now|\d+ sec\. ago)/);
    expect(await page.locator("header .service").innerText()).toMatch(/^Service not answering/);
    expect(await runNow.isDisabled()).toBe(true);
    expect(await runNow.getAttribute("title")).toBe("The service is not answering: actions wait until it is back.");
    await screenshot(page, "service-down");
    await s.start();
    await alert.waitFor({ state: "detached", timeout: 15_000 });
    expect(await runNow.isDisabled()).toBe(false);
    await page.close();
  }, 60_000);

  it("focus stays with the control used: a menu's action returns it to the menu, a closed dialog to what opened it", async () => {
    const page = await openDashboard(browser, s);
    const more = page.getByRole("group", { name: "Actions: kept" }).locator("summary");
    await more.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Logs: kept" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("dialog").getByRole("log").locator(".line").first().waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    expect(await focused(page)).toBe("More: kept");
    await page.close();
  });
});
