// The task list as people live with it, in Debian's chromium against the built CLI's service: one
// clock, finding things (chips, search, sorting, the address), dense rows, phone cards, axe-core,
// and lists of 1,000 and 10,000 tasks.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir } from "../helpers/cli.js";
import { launchBrowser, screenshot } from "../helpers/browser.js";
import { axeViolations, openDashboard, rowsOnScreen, startDashboard, type Dashboard, type PageOptions } from "../helpers/dashboard.js";
import { writeTree } from "../helpers/tree.js";
import { until } from "../helpers/wait.js";

const ZONE = "Pacific/Auckland";
const CRYPT = "crypt-pass-of-the-list-4Qz";
const LONG_FOLDER = "very/long/path/to/the/backup/destination/of/the/family/photos/folder";

let browser: Browser;
const scratch = tempDir();
let s: Dashboard;

/** 38 tasks: most never run, three failing, two disabled, one encrypted, one with a run, a dry run and a check, one overdue. */
function someTasks(dir: string): Record<string, unknown> {
  const source = join(dir, "source");
  const task = (extra: Record<string, unknown> = {}) => ({ direction: "push", transfer_mode: "copy", path: source, credential: "disk", schedule: "0 3 * * *", ...extra });
  const tasks: Record<string, unknown> = {};
  for (let i = 0; i < 30; i++) {
    const name = `photos-${String(i).padStart(2, "0")}`;
    tasks[name] = task({ folder: join(dir, "dst", name, i === 4 ? LONG_FOLDER : ""), ...(i % 2 ? { description: "Family photos to the NAS, every night at three" } : {}) });
  }
  for (let i = 1; i <= 3; i++) tasks[`broken-${i}`] = task({ path: join(dir, "not-mounted"), folder: join(dir, "dst", `broken-${i}`) });
  for (let i = 1; i <= 2; i++) tasks[`off-${i}`] = task({ folder: join(dir, "dst", `off-${i}`), enabled: false });
  tasks.secret = task({ folder: join(dir, "dst", "secret"), encryption: { password: "${CRYPT}" } });
  tasks.mixed = task({ folder: join(dir, "dst", "mixed") });
  tasks.stale = task({ folder: join(dir, "dst", "stale"), max_age: "1s" });
  return tasks;
}

beforeAll(async () => {
  browser = await launchBrowser();
  const dir = join(scratch.path, "some");
  writeTree(join(dir, "source"), { "a.txt": "alpha", "sub/b.txt": "beta" });
  s = await startDashboard(
    dir,
    { settings: { timezone: ZONE }, credentials: { disk: { type: "local" } }, tasks: someTasks(dir) },
    {
      secrets: { CRYPT },
      before: async () => {
        const run = async (...args: string[]) => (await cli(args, { cwd: dir, env: { CRYPT } })).code;
        expect(await run("apply", "--auto-approve")).toBe(0);
        for (const args of [["run", "broken-1"], ["run", "broken-2"], ["run", "broken-3"], ["run", "mixed"], ["run", "mixed", "--dry-run"], ["check", "mixed"], ["run", "secret"]]) await run(...args);
      },
    },
  );
}, 120_000);
afterAll(async () => {
  await s?.stop();
  await browser?.close();
  scratch.remove();
});

const open = (options: PageOptions = {}) => openDashboard(browser, s, options);
const row = (page: Page, task: string) => page.locator(`tr[data-task="${task}"]`);
const shownTasks = (page: Page) => page.locator("tbody tr[data-task]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-task")));

/** A time as the page must show it: in the schedules' zone. */
const inZone = (iso: string) => new Intl.DateTimeFormat("sv-SE", { dateStyle: "short", timeStyle: "short", timeZone: ZONE }).format(new Date(iso));

describe("the task list", () => {
  it("has one clock: every time in settings.timezone, named in the header, relative, exact on hover and for screen readers, in the logs too", async () => {
    const page = await open();
    expect(await page.locator("header .zone").innerText()).toBe(`Times in ${ZONE}`);
    const last = row(page, "mixed").locator("td.when").first().locator("time");
    const at = (await last.getAttribute("datetime"))!;
    expect(await last.getAttribute("title")).toBe(inZone(at));
    expect(await last.locator("[aria-hidden=true]").innerText()).toMatch(/^(now|\d+ (sec|min)\. ago)$/);
    expect(await last.locator(".sr-only").textContent()).toBe(`${await last.locator("[aria-hidden=true]").innerText()} (${inZone(at)})`);
    const next = row(page, "mixed").locator("td.when").nth(1).locator("time");
    expect(await next.getAttribute("title")).toBe(inZone((await next.getAttribute("datetime"))!));
    expect(await next.innerText()).toMatch(/^in \d+ (hr|min)\./);

    // The log's lines too: their times in the zone, to the second.
    await row(page, "broken-1").locator("td.state > .badge").click();
    const line = page.getByRole("dialog").locator(".line").first();
    await line.waitFor();
    const stamp = (await line.locator("time").getAttribute("datetime"))!;
    expect(await line.locator("time").innerText()).toBe(new Intl.DateTimeFormat("sv-SE", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone: ZONE }).format(new Date(stamp)));
    await page.close();
  });

  it("finds things: chips count and filter, `/` searches, sorting, all kept in the address; the title counts the failed", async () => {
    const page = await open();
    expect(await page.title()).toBe("(3 failed) cloudsync");
    const chips = page.getByRole("group", { name: "Filter by state" });
    expect(await chips.innerText()).toMatch(/All\s*38[\s\S]*Failed\s*3[\s\S]*Overdue\s*1[\s\S]*Never run\s*\d+[\s\S]*Disabled\s*2/);
    await chips.getByRole("button", { name: /^Failed/ }).click();
    await expect.poll(() => shownTasks(page)).toEqual(["broken-1", "broken-2", "broken-3"]);
    expect(page.url()).toContain("filter=failed");
    // A reload (or a shared link) shows the same.
    await page.reload();
    await page.waitForSelector("table.tasks");
    await expect.poll(() => shownTasks(page)).toEqual(["broken-1", "broken-2", "broken-3"]);
    expect(await chips.getByRole("button", { name: /^Failed/ }).getAttribute("aria-pressed")).toBe("true");
    await chips.getByRole("button", { name: /^Failed/ }).click();
    expect(await page.locator("tbody tr[data-task]").count()).toBeGreaterThan(10);

    await chips.getByRole("button", { name: /^Overdue/ }).click();
    await expect.poll(() => shownTasks(page)).toEqual(["stale"]);
    await chips.getByRole("button", { name: /^Overdue/ }).click();

    // `/` goes to the search box; words match names, descriptions and paths.
    await page.locator("body").press("/");
    expect(await page.evaluate("document.activeElement.type")).toBe("search");
    await page.keyboard.type("photos-1");
    await expect.poll(() => shownTasks(page)).toEqual(["photos-10", "photos-11", "photos-12", "photos-13", "photos-14", "photos-15", "photos-16", "photos-17", "photos-18", "photos-19"]);
    expect(page.url()).toContain("q=photos-1");
    await page.getByRole("searchbox").fill("nas three");
    await expect.poll(async () => (await shownTasks(page)).length).toBe(15);
    await page.getByRole("searchbox").fill("");

    // Sorting: the worst first by state; the most recent first by last run.
    await page.getByLabel("Sort by").selectOption("state");
    await expect.poll(async () => (await shownTasks(page)).slice(0, 3)).toEqual(["broken-1", "broken-2", "broken-3"]);
    expect(page.url()).toContain("sort=state");
    await page.getByLabel("Sort by").selectOption("last");
    await expect.poll(async () => (await shownTasks(page))[0]).toBe("secret");
    await page.close();
  });

  it("is dense at 1280×800: at least ten tasks on the screen, one line each, no word broken, long paths shortened in the middle", async () => {
    const page = await open({ viewport: { width: 1280, height: 800 } });
    expect(await rowsOnScreen(page)).toBeGreaterThanOrEqual(10);
    const layout = await page.locator("tbody tr[data-task]").evaluateAll((rows) =>
      rows.map((r) => ({
        height: Math.round(r.getBoundingClientRect().height),
        // A name or a schedule broken over two lines has two boxes.
        nameLines: r.querySelector("th.name a")!.getClientRects().length,
        cellsOverflowing: [...r.querySelectorAll("th, td")].filter((cell) => cell.scrollHeight > cell.clientHeight + 1).length,
      })),
    );
    for (const r of layout) expect(r).toEqual({ height: 56, nameLines: 1, cellsOverflowing: 0 });
    const path = row(page, "photos-04").locator(".path");
    expect(await path.getAttribute("title")).toContain(LONG_FOLDER);
    expect(await path.locator("[aria-hidden=true]").innerText()).toMatch(/^\/.*….*folder$/);
    // Disabled tasks dimmed and said so; the encrypted one marked.
    expect(await row(page, "off-1").getAttribute("class")).toContain("disabled");
    expect(await row(page, "off-1").innerText()).toContain("disabled");
    const background = (task: string) => row(page, task).locator("td.state").evaluate((cell) => (globalThis as unknown as { getComputedStyle: (e: unknown) => { backgroundColor: string } }).getComputedStyle(cell).backgroundColor);
    expect(await background("off-1")).not.toBe(await background("photos-00"));
    // Only the rows near the screen are drawn: the encrypted one is found by searching.
    await page.getByRole("searchbox").fill("secret");
    expect(await row(page, "secret").locator(".lock").textContent()).toBe("encrypted");
    await page.getByRole("searchbox").fill("");
    // The last runs and checks at a glance: a dry run and a check told apart from the run.
    const strip = row(page, "mixed").getByRole("list", { name: "mixed: the last 3 runs and checks" });
    expect(await strip.locator(".tick").evaluateAll((ticks) => ticks.map((t) => t.className))).toEqual(["tick good run", "tick good run dry", "tick good check"]);
    expect(await strip.getByRole("button").first().getAttribute("aria-label")).toMatch(/^run SUCCESS, \d{4}-\d\d-\d\d \d\d:\d\d$/);
    await page.close();
  });

  it("on a 390-pixel phone, tasks are cards with no sideways scroll and no word broken", async () => {
    const page = await open({ viewport: { width: 390, height: 844 } });
    expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    const cards = await page.locator("tbody tr[data-task]").evaluateAll((rows) => rows.map((r) => ({ height: Math.round(r.getBoundingClientRect().height), nameLines: r.querySelector("th.name a")!.getClientRects().length, right: r.getBoundingClientRect().right })));
    for (const card of cards) {
      expect(card.height).toBe(150);
      expect(card.nameLines).toBe(1);
      expect(card.right).toBeLessThanOrEqual(390);
    }
    expect(await row(page, "photos-01").locator('td[data-label="Next run"]').innerText()).toMatch(/^in \d+ (hr|min)\.[\s\S]*At 03:00$/);
    await page.close();
  });

  it("has no axe-core violation in light, dark and on a phone, with the menu, a dialog and a task page open; screenshots kept", async () => {
    for (const [name, options] of [
      ["list-1280-light", { viewport: { width: 1280, height: 800 }, colorScheme: "light" }],
      ["list-1280-dark", { viewport: { width: 1280, height: 800 }, colorScheme: "dark" }],
      ["list-390-light", { viewport: { width: 390, height: 844 }, colorScheme: "light" }],
      ["list-390-dark", { viewport: { width: 390, height: 844 }, colorScheme: "dark" }],
    ] as const) {
      const page = await open(options);
      await screenshot(page, name, { fullPage: false });
      expect(await axeViolations(page), name).toEqual([]);
      await page.getByRole("group", { name: "Actions: mixed" }).locator("summary").click();
      expect(await axeViolations(page), `${name}, menu open`).toEqual([]);
      await page.keyboard.press("Escape");
      await row(page, "mixed").locator("td.state > .badge").click();
      await page.getByRole("dialog").locator(".line").first().waitFor();
      expect(await axeViolations(page), `${name}, logs`).toEqual([]);
      await page.close();
    }
    for (const scheme of ["light", "dark"] as const) {
      const page = await open({ at: "/#/task/mixed", viewport: { width: 1280, height: 800 }, colorScheme: scheme });
      await page.locator(".task-page .groups").waitFor();
      await page.locator(".browser table.listing").waitFor();
      await screenshot(page, `task-page-${scheme}`);
      expect(await axeViolations(page), `task page, ${scheme}`).toEqual([]);
      await page.close();
    }
  }, 120_000);
});

describe("a thousand tasks and ten thousand", () => {
  /** N tasks, never run, all applied; the service started. */
  async function manyTasks(count: number): Promise<Dashboard> {
    const dir = join(scratch.path, `many-${count}`);
    mkdirSync(join(dir, "source"), { recursive: true });
    writeFileSync(join(dir, "source", "a.txt"), "a");
    const tasks: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) tasks[`task-${String(i).padStart(5, "0")}`] = { direction: "push", transfer_mode: "copy", path: join(dir, "source"), credential: "disk", folder: join(dir, "dst", String(i)), schedule: `${i % 60} ${i % 24} * * *`, enabled: i % 10 !== 0 };
    return startDashboard(dir, { credentials: { disk: { type: "local" } }, tasks });
  }

  it("1,000 tasks: only the rows near the screen are drawn; filters and search work on all; no axe-core violation", async () => {
    const many = await manyTasks(1000);
    try {
      const page = await openDashboard(browser, many, { viewport: { width: 1280, height: 800 } });
      expect(await page.locator("tbody tr[data-task]").count()).toBeLessThan(60);
      expect(await page.locator("table.tasks").getAttribute("aria-rowcount")).toBe("1001");
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole("group", { name: "Filter by state" }).getByRole("button", { name: /^Disabled/ }).click();
      expect(await page.getByRole("status").filter({ hasText: /of 1000 tasks/ }).innerText()).toBe("100 of 1000 tasks");
      await page.getByRole("searchbox").fill("task-0099");
      await expect.poll(() => shownTasks(page)).toEqual(["task-00990"]);
      await page.close();
    } finally {
      await many.stop();
    }
  }, 120_000);

  it("10,000 tasks stay usable: scrolling to the end draws the last rows, and the page holds a few dozen", async () => {
    const many = await manyTasks(10_000);
    try {
      const page = await openDashboard(browser, many, { viewport: { width: 1280, height: 800 } });
      expect(await page.locator("tbody tr[data-task]").count()).toBeLessThan(60);
      await page.evaluate("window.scrollTo(0, document.body.scrollHeight)");
      await until(async () => (await page.locator('tr[data-task="task-09999"]').count()) === 1, "the last task is drawn");
      expect(await page.locator("tbody tr[data-task]").count()).toBeLessThan(60);
      expect(await page.locator('tr[data-task="task-09999"]').getAttribute("aria-rowindex")).toBe("10001");
      await page.close();
    } finally {
      await many.stop();
    }
  }, 180_000);
});
