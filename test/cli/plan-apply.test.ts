import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STACK_TRACE } from "../helpers/cli.js";
import { cliInProcess as cli } from "../helpers/cli-in-process.js";
import { CONFIG, SECRETS, twoTaskDirectory } from "./fixtures/two-tasks.js";

const dir = twoTaskDirectory();
const { write, state } = dir;
const run = (args: string[], env: Record<string, string> = SECRETS) => cli(args, { cwd: dir.path, env });

describe("plan → apply → plan", () => {
  it("goes from everything to add, through apply, to no changes", async () => {
    const first = await run(["plan"]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('+ task "photos" {');
    expect(first.stdout).toContain('task "docs" will DELETE files in /mnt/docs that are not in disk:/backup/docs when it runs');
    expect(first.stdout.trimEnd().endsWith("Plan: 4 to add, 0 to change, 0 to destroy.")).toBe(true);
    expect((await run(["plan", "--detailed-exitcode"])).code).toBe(2);
    expect(existsSync(join(dir.path, ".cloudsync"))).toBe(false);

    const refused = await run(["apply"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("refusing to apply without a terminal");
    expect(existsSync(join(dir.path, ".cloudsync/state.json"))).toBe(false);

    const applied = await run(["apply", "--auto-approve"]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("Apply complete! Resources: 4 added, 0 changed, 0 destroyed.");
    expect(statSync(join(dir.path, ".cloudsync")).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir.path, ".cloudsync/state.json")).mode & 0o777).toBe(0o600);
    expect(state()).toMatchObject({ format_version: 1, serial: 1, tasks: { photos: { schedule: "0 0 * * *" } } });

    const again = await run(["plan", "--detailed-exitcode"]);
    expect(again).toMatchObject({ code: 0, stdout: "No changes. The applied state matches the configuration.\n" });
    expect((await run(["apply", "--auto-approve"])).stdout).toContain("No changes.");
    expect(state().serial).toBe(1);
  });

  it("shows updates field by field and deletions, and --json in SPEC's shape", async () => {
    await run(["apply", "--auto-approve"]);
    write(CONFIG.replace("schedule: daily", "schedule: hourly").replace(/ {2}docs:[\s\S]*$/, ""));
    const plan = await run(["plan"]);
    expect(plan.stdout).toContain('~ schedule = "0 0 * * *" → "0 * * * *"');
    expect(plan.stdout).toContain('- task "docs" {');
    expect(plan.stdout).toContain("Plan: 0 to add, 1 to change, 1 to destroy.");
    const json = JSON.parse((await run(["plan", "--json"])).stdout);
    expect(json).toMatchObject({
      format_version: 1,
      changes: [
        { address: "task.docs", action: "delete", changed_fields: expect.arrayContaining(["direction"]) },
        { address: "task.photos", action: "update", changed_fields: ["schedule"] },
      ],
      summary: { add: 0, change: 1, destroy: 1 },
    });
  });

  it("shows a changed value behind ${VAR} as a change, never the value", async () => {
    await run(["apply", "--auto-approve"]);
    const changed = { ...SECRETS, SECRET: "very-secret-value-2" };
    const plan = await run(["plan"], changed);
    expect(plan.stdout).toContain("~ secret_access_key = (sensitive value)");
    expect(plan.stdout).toContain("used by task photos");
    const json = await run(["plan", "--json"], changed);
    for (const output of [plan.stdout, plan.stderr, json.stdout, json.stderr]) expect(output).not.toContain("very-secret-value");
  });

  it("exits 1 on an invalid configuration and changes nothing", async () => {
    await run(["apply", "--auto-approve"]);
    const before = readFileSync(join(dir.path, ".cloudsync/state.json"), "utf8");
    write(CONFIG.replace("schedule: daily", "schedule: dialy"));
    for (const args of [["plan"], ["apply", "--auto-approve"]]) {
      const result = await run(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('cloudsync.yaml:17:15: error: schedule "dialy" is not a preset');
    }
    expect(readFileSync(join(dir.path, ".cloudsync/state.json"), "utf8")).toBe(before);
  });
});

describe("saved plans", () => {
  it("apply PLANFILE applies exactly the saved plan, which holds no secret", async () => {
    const plan = await run(["plan", "--out", "p.json"]);
    expect(plan.code).toBe(0);
    expect(statSync(join(dir.path, "p.json")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir.path, "p.json"), "utf8")).not.toContain("very-secret-value");
    const applied = await run(["apply", "p.json"]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain("4 added");
  });

  it.each([
    ["the state moved on", async () => void (await run(["apply", "--auto-approve"])), "the applied state has moved on"],
    ["the file changed", async () => write(CONFIG.replace("daily", "weekly")), "cloudsync.yaml has changed"],
    ["a ${VAR} changed", async () => undefined, "a value behind ${…} in the configuration has changed"],
  ])("is refused when %s since", async (_, change, reason) => {
    await run(["plan", "--out", "p.json"]);
    await change();
    const env = reason.includes("${") ? { ...SECRETS, SECRET: "other" } : SECRETS;
    const result = await run(["apply", "p.json"], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("the saved plan p.json is stale");
    expect(result.stderr).toContain(reason);
  });

  it("refuses a file that is not a plan", async () => {
    write("{}", "p.json");
    const result = await run(["apply", "p.json"]);
    expect(result).toMatchObject({ code: 1 });
    expect(result.stderr).toContain("cannot apply p.json: it is not a cloudsync plan file");
  });
});

describe("the state directory", () => {
  it("a damaged state file is an error naming the backup, never a reset", async () => {
    await run(["apply", "--auto-approve"]);
    write(CONFIG.replace("daily", "weekly"));
    await run(["apply", "--auto-approve"]);
    const path = join(dir.path, ".cloudsync/state.json");
    writeFileSync(path, readFileSync(path, "utf8").slice(0, 100));
    for (const args of [["plan"], ["apply", "--auto-approve"], ["status"]]) {
      const result = await run(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("the state file");
      expect(result.stderr).toContain("is damaged: it is not valid JSON");
      expect(result.stderr).toContain("state.backup.json");
      expect(result.stderr).not.toMatch(STACK_TRACE);
    }
    expect(JSON.parse(readFileSync(join(dir.path, ".cloudsync/state.backup.json"), "utf8")).serial).toBe(1);
  });

  it("a state written by a newer cloudsync is refused, never overwritten (the version policy)", async () => {
    await run(["apply", "--auto-approve"]);
    const path = join(dir.path, ".cloudsync/state.json");
    const newer = JSON.stringify({ ...state(), format_version: 2 });
    writeFileSync(path, newer);
    write(CONFIG.replace("daily", "weekly"));
    for (const args of [["plan"], ["apply", "--auto-approve"], ["status"]]) {
      const result = await run(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("it was written by a newer cloudsync (format 2); upgrade cloudsync");
      expect(result.stderr).not.toMatch(STACK_TRACE);
    }
    expect(readFileSync(path, "utf8")).toBe(newer);
  });

  it("an unusable state directory is a one-line reason", async () => {
    write("not a directory", "blocker");
    const result = await run(["--state-dir", "blocker/state", "apply", "--auto-approve"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cloudsync: error: cannot (read the state file|create the state directory) .*blocker\/state.*: a part of the path is not a directory/);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  it("is found by --state-dir, $CLOUDSYNC_STATE_DIR and settings.state_dir", async () => {
    await run(["--state-dir", "a", "apply", "--auto-approve"]);
    await cli(["apply", "--auto-approve"], { cwd: dir.path, env: { ...SECRETS, CLOUDSYNC_STATE_DIR: "b" } });
    mkdirSync(join(dir.path, "conf"));
    writeFileSync(join(dir.path, "conf/cloudsync.yaml"), CONFIG.replace("version: 1", "version: 1\nsettings:\n  state_dir: ../c"));
    await run(["-c", "conf/cloudsync.yaml", "apply", "--auto-approve"]);
    for (const d of ["a", "b", "c"]) expect(existsSync(join(dir.path, d, "state.json"))).toBe(true);
  });
});

describe("status", () => {
  it("lists applied tasks with their next run", async () => {
    await run(["apply", "--auto-approve"]);
    const result = await run(["status", "--json"]);
    expect(result.code).toBe(0);
    const { tasks } = JSON.parse(result.stdout);
    expect(tasks).toMatchObject([
      { name: "docs", description: "", enabled: true, schedule: null, state: "PENDING", last_run: null, last_error: null, last_success: null, last_check: null, next_run: null },
      { name: "photos", description: "", enabled: true, schedule: "0 0 * * *", state: "PENDING", last_run: null, last_error: null, last_success: null, next_run: expect.stringMatching(/T\d\d:00:00\.000Z$/) },
    ]);
    const text = await run(["status"]);
    expect(text.stdout).toMatch(/photos\s+yes\s+0 0 \* \* \* \(At 00:00\)\s+PENDING/);
    expect(text.stdout).not.toMatch(/not applied/);
    // An edit not yet applied is pointed out.
    const file = join(dir.path, "cloudsync.yaml");
    const before = readFileSync(file, "utf8");
    writeFileSync(file, before.replace("schedule: daily", "schedule: hourly"));
    expect((await run(["status"])).stdout).toMatch(/cloudsync\.yaml has changes that are not applied; cloudsync plan shows them/);
    writeFileSync(file, before);
  });
});
