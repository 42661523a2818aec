// One source, several destinations, through the built CLI and real rclone:
// a local folder, an SFTP server and an S3 bucket in one task, one of them
// failing; and a cloudsync killed with -9 during the second destination.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { CLI, cli, isRunning, testEnv } from "../helpers/cli.js";
import { withEveryEndpoint } from "../helpers/servers.js";
import { digests, readTree, writeTree } from "../helpers/tree.js";
import { until } from "../helpers/wait.js";

const servers = withEveryEndpoint();
const bytes = (text: string) => Buffer.from(text);

function workspace(name: string, task: Record<string, unknown>, credentials: Record<string, unknown>, env: Record<string, string> = {}) {
  const dir = join(servers.base, `work-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "cloudsync.yaml"), stringify({ version: 1, credentials, tasks: { [name]: task } }));
  const run = (...args: string[]) => cli(args, { cwd: dir, env });
  return { dir, run };
}

describe("a task with several destinations", () => {
  it("writes to a local folder, an SFTP server and S3 in one run; one failing fails the run and says which, the others hold the copy", async () => {
    const { local, sftp, s3 } = servers.endpoints;
    const source = join(servers.base, "three", "source");
    const files = { "a.txt": bytes("alpha"), "sub/b.txt": bytes("beta") };
    writeTree(source, files);
    const localFolder = join(local.root!, "three");
    const ws = workspace(
      "three",
      {
        direction: "push",
        transfer_mode: "sync",
        path: source,
        parallel: 2,
        destinations: {
          disk: { credential: "disk", folder: localFolder },
          nas: { credential: "nas", folder: "three-nas" },
          cloud: { credential: "cloud", bucket: "bucket", folder: "three-cloud", encryption: { password: "${CRYPT}" } },
          locked: { credential: "wrong", folder: "three-locked" },
        },
      },
      { disk: { type: "local" }, nas: { ...sftp.credential, pass: "${PASS}" }, wrong: { ...sftp.credential, pass: "not-the-password" }, cloud: s3.credential },
      { PASS: String(sftp.credential.pass), CRYPT: "crypt-password-for-destinations" },
    );
    expect((await ws.run("apply", "--auto-approve", "-q")).code).toBe(0);
    const ran = await ws.run("run", "three", "--json");
    expect(ran.code).toBe(1);
    const record = JSON.parse(ran.stdout);
    expect(record).toMatchObject({ state: "FAILED", destinations: { disk: { state: "SUCCESS" }, nas: { state: "SUCCESS" }, cloud: { state: "SUCCESS" }, locked: { state: "FAILED" } } });
    expect(record.error).toMatch(/^1 of 4 destinations did not succeed\nlocked: FAILED — .*(authenticate|handshake)/);
    expect(readTree(localFolder)).toEqual(digests(files));
    expect(readTree(join(sftp.root!, "three-nas"))).toEqual(digests(files));

    const status = JSON.parse((await ws.run("status", "--json")).stdout);
    expect(status.tasks[0].destinations.map((d: { name: string; state: string }) => `${d.name} ${d.state}`)).toEqual(["disk SUCCESS", "nas SUCCESS", "cloud SUCCESS", "locked FAILED"]);
    const history = (await ws.run("history", "three")).stdout;
    expect(history).toMatch(/→ locked\s+FAILED/);
    const check = JSON.parse((await ws.run("check", "three", "--destination", "cloud", "--json")).stdout);
    expect(check).toMatchObject({ state: "SUCCESS", destinations: { cloud: { state: "SUCCESS" } } });
    expect(Object.keys(check.destinations)).toEqual(["cloud"]);
    const logs = (await ws.run("logs", "three", "--run", record.run_id, "--destination", "nas")).stdout;
    expect(logs).toMatch(/--- sync: .* → nas:three-nas/);
    expect(logs).not.toMatch(/three-locked|three-cloud/);
  });

  it("a cloudsync killed with -9 during the second destination leaves a record status reads as ABORTED there, and the next run ends what it left", async () => {
    // A second try (system tests are retried once) starts from nothing.
    rmSync(join(servers.base, "killed"), { recursive: true, force: true });
    rmSync(join(servers.base, "work-killed"), { recursive: true, force: true });
    const source = join(servers.base, "killed", "source");
    writeTree(source, { "a.txt": bytes("alpha") });
    const calls = join(servers.base, "killed", "calls");
    const rclone = join(servers.base, "killed", "rclone");
    const real = "rclone";
    // The second destination's rclone takes its time, long enough to be killed under.
    writeFileSync(rclone, `#!/bin/sh\ncase "$1 $3" in "copy "*second*) echo "$$" >> ${calls}; sleep 60 ;; esac\nexec ${real} "$@"\n`);
    chmodSync(rclone, 0o755);
    const ws = workspace(
      "killed",
      { direction: "push", transfer_mode: "copy", path: source, destinations: { first: { credential: "disk", folder: join(servers.base, "killed", "first") }, second: { credential: "disk", folder: join(servers.base, "killed", "second") } } },
      { disk: { type: "local" } },
    );
    writeFileSync(join(ws.dir, "cloudsync.yaml"), readFileSync(join(ws.dir, "cloudsync.yaml"), "utf8").replace("version: 1\n", `version: 1\nsettings:\n  rclone: ${rclone}\n`));
    expect((await ws.run("apply", "--auto-approve", "-q")).code).toBe(0);
    const child = spawn(process.execPath, [CLI, "run", "killed", "-q"], { cwd: ws.dir, env: testEnv(), stdio: "ignore" });
    await until(() => existsSync(calls), "the second destination's rclone starts", 20_000);
    const stuck = Number(readFileSync(calls, "utf8").trim());
    // Killed at once: the record may not name the process group yet (on a busy machine the stand-in can run before
    // the spawn returns in cloudsync); the next run finds that rclone by the log file its arguments name.
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));

    const status = JSON.parse((await ws.run("status", "--json")).stdout);
    expect(status.tasks[0]).toMatchObject({ state: "ABORTED", destinations: [{ name: "first", state: "SUCCESS" }, { name: "second", state: "ABORTED" }] });
    // The next run ends the rclone the dead one left, marks that run ABORTED for good, and runs.
    writeFileSync(rclone, `#!/bin/sh\nexec ${real} "$@"\n`);
    const next = await ws.run("run", "killed", "--json");
    expect(JSON.parse(next.stdout)).toMatchObject({ state: "SUCCESS", destinations: { first: { state: "SUCCESS" }, second: { state: "SUCCESS" } } });
    expect(isRunning(stuck)).toBe(false);
    const history = JSON.parse((await ws.run("history", "killed", "--json")).stdout);
    expect(history.runs.map((r: { state: string }) => r.state)).toEqual(["SUCCESS", "ABORTED"]);
    expect(history.runs[1].destinations).toMatchObject({ first: { state: "SUCCESS" }, second: { state: "ABORTED" } });
  }, 60_000);
});
