// The dashboard's Fleet view in Debian's chromium: three services sharing one
// folder (the local backend), the page of one read-only and one behind its own
// token; hosts with their counts, a host's tasks unfolded, a forged file shown
// untrusted, a killed host turning STALE on the open page; axe-core clean.
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signedHostFile } from "../../src/fleet/host-file.js";
import { tempDir } from "../helpers/cli.js";
import { launchBrowser, screenshot } from "../helpers/browser.js";
import { axeViolations, openDashboard, startDashboard, type Dashboard, type PageOptions } from "../helpers/dashboard.js";
import { writeTree } from "../helpers/tree.js";

const KEY = "fleet-key-of-the-page-tests-42";
const TOKEN = "a-token-of-the-second-host-0123";

let browser: Browser;
const scratch = tempDir();
const hosts: Dashboard[] = [];
const shared = join(scratch.path, "shared");

function hostConfig(n: number, web: Record<string, unknown>) {
  const dir = join(scratch.path, `host-${n}`);
  writeTree(join(dir, "source"), { "a.txt": "a" });
  const task = (extra: Record<string, unknown>) => ({ direction: "push", transfer_mode: "copy", path: join(dir, "source"), credential: "disk", ...extra });
  const tasks: Record<string, unknown> = { [`photos-${n}`]: task({ folder: join(dir, "copy"), schedule: "0 3 * * *" }), [`docs-${n}`]: task({ folder: join(dir, "docs"), enabled: n !== 3 }) };
  if (n === 2) tasks.broken = task({ path: join(dir, "not-mounted"), folder: join(dir, "b") });
  return {
    dir,
    config: {
      settings: { web, fleet: { publish: { credential: "disk", folder: shared }, key: "${FLEET_KEY}", host: `host-${n}`, stale_after: "4s" } },
      credentials: { disk: { type: "local" } },
      tasks,
    },
  };
}

beforeAll(async () => {
  browser = await launchBrowser();
  const webs = [{ read_only: true }, { token: "${WEB_TOKEN}" }, {}];
  for (const [i, web] of webs.entries()) {
    const { dir, config } = hostConfig(i + 1, web);
    hosts.push(await startDashboard(dir, config, { secrets: { FLEET_KEY: KEY, WEB_TOKEN: TOKEN }, ...(i === 1 ? { token: TOKEN } : {}) }));
  }
  // A run that fails on host-2, and a file someone forged.
  expect((await hosts[1]!.api("/api/v1/tasks/broken/run", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" })).status).toBe(200);
  writeTree(shared, { "mallory.json": signedHostFile({ host: "mallory", written_at: new Date().toISOString(), every_s: 300, cloudsync: "0.1.0", rclone: null, serial: 1, tasks: [] }, "another-key-entirely-0123") });
}, 120_000);
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.stop()));
  await browser?.close();
  scratch.remove();
});

async function openFleet(host: Dashboard, options: PageOptions = {}): Promise<Page> {
  const page = await openDashboard(browser, host, options);
  await page.getByRole("link", { name: "Fleet" }).click();
  await page.locator('li.host[data-host="host-3"]').waitFor({ timeout: 20_000 });
  return page;
}

describe("the Fleet view", () => {
  it("shows every host with its counts, a host's tasks unfolded, the forged file untrusted; read-only and behind a token alike", async () => {
    for (const host of [hosts[0]!, hosts[1]!]) {
      const page = await openFleet(host);
      expect(page.url()).toMatch(/#\/fleet$/);
      const host2 = page.locator('li.host[data-host="host-2"]');
      await host2.locator('ul.counts li:has(.badge:text("FAILED"))').waitFor({ timeout: 20_000 });
      expect(await host2.locator("summary").innerText()).toMatch(/host-2[\s\S]*OK[\s\S]*last seen[\s\S]*FAILED\s*1[\s\S]*PENDING\s*2/);
      await host2.locator("summary").click();
      const broken = host2.locator('tr[data-task="broken"]');
      expect(await broken.innerText()).toMatch(/broken\s+FAILED[\s\S]*(does not exist|not found|no such)/i);
      expect(await page.locator('li.host[data-host="mallory"]').innerText()).toMatch(/mallory\s+UNTRUSTED\s+its signature does not match/);
      expect(await page.locator("li.host").evaluateAll((items) => items.map((i) => i.getAttribute("data-host")))).toEqual(["host-1", "host-2", "host-3", "mallory"]);
      // The fleet is read-only everywhere: no action on it.
      expect(await page.locator("section.fleet button").count()).toBe(0);
      await page.close();
    }
  }, 90_000);

  it("has no axe-core violation, light, dark and on a phone", async () => {
    for (const options of [{ colorScheme: "light" }, { colorScheme: "dark" }, { viewport: { width: 390, height: 844 } }] as PageOptions[]) {
      const page = await openFleet(hosts[0]!, options);
      await page.locator('li.host[data-host="host-2"] summary').click();
      expect(await axeViolations(page)).toEqual([]);
      expect(await page.evaluate<boolean>("document.documentElement.scrollWidth <= innerWidth")).toBe(true);
      await screenshot(page, `fleet-${options.viewport ? "390" : "1280"}-${options.colorScheme ?? "light"}`);
      await page.close();
    }
  }, 90_000);

  it("a killed host turns STALE on the open page, without a reload", async () => {
    const page = await openFleet(hosts[0]!);
    const host3 = page.locator('li.host[data-host="host-3"]');
    expect(await host3.locator(".badge").first().innerText()).toBe("OK");
    await hosts[2]!.stop("SIGKILL");
    await host3.locator('.badge:text("STALE")').waitFor({ timeout: 30_000 });
    expect(await page.locator(".fleet-summary").innerText()).toMatch(/4 hosts[\s\S]*1 STALE[\s\S]*1 UNTRUSTED/);
    await page.close();
  }, 60_000);
});
