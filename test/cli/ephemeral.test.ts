// run --ephemeral as a CronJob's container runs it: a file nobody applied,
// no state directory, the result on stdout and the log on stderr, with
// notifications and the metrics textfile as for any run.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir } from "../helpers/cli.js";
import { httpReceiver } from "../helpers/receivers.js";
import { writeTree } from "../helpers/tree.js";

let dir: ReturnType<typeof tempDir>;
let http: Awaited<ReturnType<typeof httpReceiver>>;
let work: string;
let tmp: string;

function write(config: Record<string, unknown>): void {
  writeFileSync(join(work, "cloudsync.yaml"), stringify({ version: 1, ...config }));
}

const ephemeral = (args: string[], env: Record<string, string> = {}) => cli(args, { cwd: work, env: { TMPDIR: tmp, HOOK: "hook-key-123456789", ...env } });

beforeAll(async () => {
  dir = tempDir();
  http = await httpReceiver();
  work = join(dir.path, "work");
  tmp = join(dir.path, "tmp");
  mkdirSync(work);
  mkdirSync(tmp);
  writeTree(join(dir.path, "source"), { "a.txt": "a", "sub/b.txt": "b" });
  write({
    settings: { metrics: { textfile: join(dir.path, "cloudsync.prom") } },
    notifications: { hook: { type: "webhook", url: http.url("/hook/${HOOK}"), events: ["success", "failure"] } },
    credentials: { disk: { type: "local" } },
    tasks: { t: { direction: "push", transfer_mode: "sync", path: join(dir.path, "source"), credential: "disk", folder: join(dir.path, "target"), notify: ["hook"] } },
  });
});
afterAll(async () => {
  await http.close();
  dir.remove();
});

describe("run --ephemeral", () => {
  it("runs the file as it stands with no applied state: the record on stdout, the log on stderr, nothing left behind", async () => {
    const result = await ephemeral(["run", "t", "--ephemeral", "--scheduled"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ task: "t", state: "SUCCESS", files: 2 });
    expect(result.stderr).toMatch(/--- run \S+ SUCCESS \(2 files/);
    expect(readFileSync(join(dir.path, "target", "sub", "b.txt"), "utf8")).toBe("b");
    expect(existsSync(join(work, ".cloudsync"))).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it("notifies and writes the metrics textfile as any run does", async () => {
    const hook = await http.waitFor((r) => r.path === "/hook/hook-key-123456789", "the success notification");
    expect(JSON.parse(hook.body)).toMatchObject({ event: "success", task: "t" });
    expect(readFileSync(join(dir.path, "cloudsync.prom"), "utf8")).toMatch(/^cloudsync_task_last_run_state\{task="t",state="SUCCESS"\} 1$/m);
  });

  it("keeps the record where --state-dir says, and checks ephemerally too", async () => {
    const state = join(dir.path, "kept");
    const ran = await ephemeral(["--state-dir", state, "run", "t", "--ephemeral", "--scheduled", "-q"]);
    expect(ran.code).toBe(0);
    expect(ran.stderr).toBe("");
    const { run_id } = JSON.parse(ran.stdout);
    expect(JSON.parse(readFileSync(join(state, "runs", "t", `${run_id}.json`), "utf8"))).toMatchObject({ state: "SUCCESS", trigger: "schedule" });
    expect(existsSync(join(state, "state.json"))).toBe(false);
    const checked = await ephemeral(["check", "t", "--ephemeral"]);
    expect(checked.code, checked.stderr).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ kind: "check", state: "SUCCESS" });
  });

  it("validates first: a broken file runs nothing and says why, located", async () => {
    writeFileSync(join(work, "broken.yaml"), "version: 1\ntasks:\n  t:\n    direction: sideways\n");
    const result = await ephemeral(["-c", "broken.yaml", "run", "t", "--ephemeral"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broken.yaml:4:16: error: "direction" cannot be "sideways"');
    const missing = await ephemeral(["run", "nope", "--ephemeral"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("there is no task nope");
  });
});
