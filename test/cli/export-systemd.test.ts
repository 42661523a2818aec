// export systemd as a user runs it: units written from the applied tasks,
// checked by systemd's own verifier, their command run as systemd would run
// it, and a second export that leaves exactly the new set behind.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../helpers/cli.js";
import { writeTree } from "../helpers/tree.js";
import { Workspace } from "../helpers/workspace.js";

const HAS_SYSTEMD_ANALYZE = existsSync("/usr/bin/systemd-analyze");
let dir: ReturnType<typeof tempDir>;
let ws: Workspace;
const units = () => join(ws.dir, "units");
const unit = (name: string) => readFileSync(join(units(), name), "utf8");

function tasks(overrides: Record<string, unknown> = {}) {
  const source = join(dir.path, "source");
  const task = (folder: string, extra: Record<string, unknown>) => ({ direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: join(dir.path, folder), ...extra });
  return {
    settings: { timezone: "Europe/Berlin" },
    credentials: { disk: { type: "local" } },
    tasks: {
      photos: task("photos", { schedule: "15 4 * * *", catchup: true, check: { schedule: "0 5 * * sun" } }),
      thirteenth: task("thirteenth", { schedule: "0 0 13 * 5" }),
      seconds: task("seconds", { schedule: "30 */10 * * * *" }),
      night: task("night", { schedule: "30 2 * * *" }),
      resting: task("resting", { schedule: "daily", enabled: false }),
      manual: task("manual", {}),
      ...overrides,
    },
  };
}

/** ExecStart= read back as systemd does: words, double quotes with backslash escapes, %% and $$. */
function execStart(text: string): string[] {
  const line = /^ExecStart=(.*)$/m.exec(text)![1]!;
  const words: string[] = [];
  for (const match of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) words.push((match[1] !== undefined ? match[1].replace(/\\(.)/g, "$1") : match[2]!).replace(/%%/g, "%").replace(/\$\$/g, "$"));
  return words;
}

beforeAll(async () => {
  dir = tempDir();
  writeTree(join(dir.path, "source"), { "a.txt": "a" });
  ws = new Workspace(join(dir.path, "ws"));
  await ws.apply(tasks());
});
afterAll(() => dir.remove());

describe("export systemd", () => {
  it("writes a service and a timer per enabled scheduled task and check, and says what it left out", async () => {
    const result = await ws.cli(["export", "systemd", "--out", "units"]);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(units()).sort()).toEqual(
      ["night", "photos", "photos.check", "seconds", "thirteenth"].flatMap((n) => [`cloudsync-${n}.service`, `cloudsync-${n}.timer`]).sort(),
    );
    expect(result.stdout).toContain("Not exported: manual (no schedule: it runs only when started), resting (disabled).");
    expect(result.stdout).toContain("systemctl daemon-reload && systemctl enable --now cloudsync-night.timer cloudsync-photos.timer cloudsync-photos.check.timer");
    // 02:30 does not exist in Berlin on the day the clocks go forward: said, naming the task.
    expect(result.stderr).toMatch(/^warning: task night: its schedule "30 2 \* \* \*" has runs at local times a daylight-saving change skips or repeats in Europe\/Berlin/m);
    expect(result.stderr).not.toContain("task photos");
  });

  it.runIf(HAS_SYSTEMD_ANALYZE)("every unit passes systemd-analyze verify", () => {
    const names = readdirSync(units()).map((n) => join(units(), n));
    const verified = spawnSync("systemd-analyze", ["verify", "--man=no", ...names], { encoding: "utf8" });
    expect(verified.stderr).toBe("");
    expect(verified.status).toBe(0);
  });

  it("timers fire on the task's schedule in its time zone, both day fields as cron reads them, catch-up as Persistent=", () => {
    expect(unit("cloudsync-photos.timer")).toContain("OnCalendar=*-*-* 04:15:00 Europe/Berlin\n");
    expect(unit("cloudsync-photos.timer")).toContain("Persistent=true");
    expect(unit("cloudsync-photos.check.timer")).toContain("OnCalendar=Sun *-*-* 05:00:00 Europe/Berlin\n");
    expect(unit("cloudsync-photos.check.timer")).toContain("Unit=cloudsync-photos.check.service");
    expect(unit("cloudsync-thirteenth.timer").match(/^OnCalendar=.*$/gm)).toEqual(["OnCalendar=*-*-13 00:00:00 Europe/Berlin", "OnCalendar=Fri *-*-* 00:00:00 Europe/Berlin"]);
    expect(unit("cloudsync-thirteenth.timer")).not.toContain("Persistent=");
    expect(unit("cloudsync-seconds.timer")).toContain("OnCalendar=*-*-* *:00..50/10:30 Europe/Berlin\n");
    for (const name of readdirSync(units()).filter((n) => n.endsWith(".timer"))) expect(unit(name)).toContain("AccuracySec=1s");
  });

  it("the service's command runs the task with the same file and state directory", async () => {
    const service = unit("cloudsync-photos.service");
    expect(service).toMatch(/^Type=oneshot$/m);
    const [command, ...args] = execStart(service);
    expect(args.slice(-4)).toEqual(["run", "photos", "--scheduled", "--quiet"]);
    // Run from elsewhere, as systemd would (its working directory is /).
    const ran = await execa(command!, args, { cwd: "/", reject: false });
    expect(ran.exitCode, ran.stderr).toBe(0);
    expect(readFileSync(join(dir.path, "photos", "a.txt"), "utf8")).toBe("a");
    const history = JSON.parse((await ws.cli(["history", "photos", "--json"])).stdout);
    expect(history.runs[0]).toMatchObject({ task: "photos", state: "SUCCESS", trigger: "schedule" });
    const [, ...checkArgs] = execStart(unit("cloudsync-photos.check.service"));
    expect(checkArgs.slice(-4)).toEqual(["check", "photos", "--scheduled", "--quiet"]);
  });

  it("a second export leaves exactly the new set: units no task makes are removed, other files kept", async () => {
    writeFileSync(join(units(), "my-own.service"), "[Service]\nExecStart=/bin/true\n");
    writeFileSync(join(units(), "cloudsync-handmade.timer"), "[Timer]\nOnCalendar=daily\n");
    await ws.apply(tasks({ thirteenth: { direction: "push", transfer_mode: "copy", path: join(dir.path, "source"), credential: "disk", folder: join(dir.path, "thirteenth"), schedule: "0 0 13 * 5", enabled: false } }));
    const result = await ws.cli(["export", "systemd", "--out", "units", "--json"]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.removed).toEqual(["cloudsync-thirteenth.service", "cloudsync-thirteenth.timer"]);
    expect(json.skipped).toContainEqual({ task: "thirteenth", message: "disabled" });
    expect(json.files.map((f: { name: string }) => f.name)).toContain("cloudsync-photos.timer");
    expect(existsSync(join(units(), "my-own.service"))).toBe(true);
    expect(existsSync(join(units(), "cloudsync-handmade.timer"))).toBe(true);
    expect(existsSync(join(units(), "cloudsync-thirteenth.timer"))).toBe(false);
  });

  it("a schedule systemd cannot say is an error naming the task, and nothing is written", async () => {
    const other = new Workspace(join(dir.path, "ws-w"));
    await other.apply(tasks({ payday: { direction: "push", transfer_mode: "copy", path: join(dir.path, "source"), credential: "disk", folder: join(dir.path, "payday"), schedule: "0 9 15W * *" } }));
    const result = await other.cli(["export", "systemd", "--out", "units"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('task payday: its schedule "0 9 15W * *" cannot be a systemd timer: the nearest weekday (15W) has no systemd equivalent');
    expect(result.stderr).toContain("nothing was written");
    expect(existsSync(join(other.dir, "units"))).toBe(false);
  });

  it("prints the units without --out; user units read a secrets file under the home directory", async () => {
    const printed = await ws.cli(["export", "systemd", "--user", "-q"]);
    expect(printed.code).toBe(0);
    expect(printed.stderr).toBe("");
    expect(printed.stdout).toContain("# ---- cloudsync-photos.service\n");
    expect(printed.stdout).toContain("EnvironmentFile=-%h/.config/cloudsync/secrets.env");
    expect(printed.stdout).not.toContain("ProtectSystem=");
    const none = await ws.cli(["export", "systemd", "--no-env-file"]);
    expect(none.stdout).not.toContain("EnvironmentFile");
  });

  it.runIf(HAS_SYSTEMD_ANALYZE)("user units pass systemd-analyze --user verify", async () => {
    const out = join(dir.path, "user-units");
    expect((await ws.cli(["export", "systemd", "--user", "--out", out, "-q"])).code).toBe(0);
    const runtime = join(dir.path, "runtime");
    mkdirSync(runtime, { mode: 0o700 });
    const names = readdirSync(out).map((n) => join(out, n));
    const verified = spawnSync("systemd-analyze", ["--user", "verify", "--man=no", ...names], { encoding: "utf8", env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
    expect(verified.stderr).toBe("");
    expect(verified.status).toBe(0);
  });

  it("--credentials hands the file's ${credential:NAME}s to the units (LoadCredential=, or LoadCredentialEncrypted=) instead of an environment file", async () => {
    const credentials = join(dir.path, "credentials");
    writeTree(credentials, { "hook-token": "s3cret-token\n" });
    const secretive = new Workspace(join(dir.path, "ws-credentials"), { CREDENTIALS_DIRECTORY: credentials });
    await secretive.apply({
      ...tasks(),
      notifications: { team: { type: "webhook", url: "http://127.0.0.1:9/hook", headers: { Authorization: "Bearer ${credential:hook-token}" } } },
    });
    const out = join(dir.path, "credential-units");
    const plain = await secretive.cli(["export", "systemd", "--credentials", "plain", "--out", out, "-q"]);
    expect(plain.code, plain.stderr).toBe(0);
    const service = readFileSync(join(out, "cloudsync-photos.service"), "utf8");
    expect(service).toContain("\nLoadCredential=hook-token:/etc/credstore/hook-token\n");
    expect(service).not.toContain("EnvironmentFile");
    if (HAS_SYSTEMD_ANALYZE) {
      const verified = spawnSync("systemd-analyze", ["verify", "--man=no", ...readdirSync(out).map((n) => join(out, n))], { encoding: "utf8" });
      expect(verified.stderr).toBe("");
    }
    // As systemd starts it: the credential in $CREDENTIALS_DIRECTORY, nothing else in the environment.
    const [command, ...args] = execStart(service);
    const ran = await execa(command!, args, { cwd: "/", reject: false, extendEnv: false, env: { PATH: process.env.PATH, CREDENTIALS_DIRECTORY: credentials } });
    expect(ran.exitCode, ran.stderr).toBe(0);

    const encrypted = await secretive.cli(["export", "systemd", "--credentials", "encrypted", "--credentials-dir", "/srv/creds"]);
    expect(encrypted.stdout).toContain("\nLoadCredentialEncrypted=hook-token:/srv/creds/hook-token\n");
    const user = await secretive.cli(["export", "systemd", "--user", "--credentials", "plain"]);
    expect(user.stdout).toContain("\nLoadCredential=hook-token:%h/.config/credstore/hook-token\n");
    // Asked where the file reads none: said.
    expect((await ws.cli(["export", "systemd", "--credentials", "plain"])).stderr).toContain("reads no ${credential:NAME}: the units load no credentials");
  });

  it("refuses when nothing is applied: the units run the applied tasks", async () => {
    const empty = new Workspace(join(dir.path, "ws-empty"));
    writeFileSync(join(empty.dir, "cloudsync.yaml"), "version: 1\n");
    const result = await empty.cli(["export", "systemd"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nothing is applied yet");
  });
});
