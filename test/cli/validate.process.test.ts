import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { CLI, cli, STACK_TRACE, testEnv } from "../helpers/cli.js";
import { scratchDirectory } from "../helpers/scratch.js";

const dir = scratchDirectory();
const { file } = dir;

describe("cloudsync validate", () => {
  it("warns about an rclone the file names that this machine lacks, found as runs would find it (relative to the process's directory)", async () => {
    const name = file("rclone.yaml", "version: 1\nsettings:\n  rclone: ./bin/rclone\n");
    const missing = await cli(["-c", name, "validate"], { cwd: dir.path });
    expect(missing).toMatchObject({ code: 0, stdout: "rclone.yaml is valid: 0 credentials, 0 tasks.\n" });
    expect(missing.stderr).toMatch(/^rclone\.yaml:3:11: warning: "\.\/bin\/rclone" is not a program on this machine \(no executable file there\)/);
    mkdirSync(join(dir.path, "bin"), { recursive: true });
    execFileSync("ln", ["-s", execFileSync("which", ["rclone"], { encoding: "utf8" }).trim(), join(dir.path, "bin/rclone")]);
    expect(await cli(["-c", name, "validate"], { cwd: dir.path })).toMatchObject({ code: 0, stderr: "" });
  });

  it("no colour without a terminal; FORCE_COLOR=1 forces it, FORCE_COLOR=0 and NO_COLOR turn it off", async () => {
    const result = await cli(["-c", "examples/does-not-exist.yaml", "validate"]);
    expect(result.stderr).not.toContain("\u001b[");
    expect((await cli(["-c", "examples/does-not-exist.yaml", "validate"], { env: { FORCE_COLOR: "1" } })).stderr).toContain("\u001b[31m");
    // On a terminal, where colour is the default.
    const onTerminal = (env: Record<string, string>) =>
      execa("script", ["-qec", `node ${CLI} -c examples/does-not-exist.yaml validate`, "/dev/null"], { env: testEnv({ NO_COLOR: undefined, FORCE_COLOR: undefined, ...env }), reject: false });
    expect((await onTerminal({})).stdout).toContain("\u001b[31m");
    for (const off of [{ FORCE_COLOR: "0" }, { FORCE_COLOR: "false" }, { NO_COLOR: "1" }]) expect((await onTerminal(off as unknown as Record<string, string>)).stdout).not.toContain("\u001b[");
  });
});

describe("cloudsync init, schema, --version, --help", () => {
  it("a reader that goes away early (| head) ends quietly, with no stack trace", async () => {
    const result = await execa("sh", ["-c", `node ${JSON.stringify(CLI)} schema | head -c 10`], { env: testEnv(), reject: false });
    expect(result.stdout).toBe('{\n  "$sche');
    expect(result.stderr).toBe("");
  });
});

describe("hostile files are cheap", () => {
  it("a configuration, a saved plan or a TrueNAS export that never ends (/dev/zero) is refused at 64 MiB; a pipe is read", async () => {
    const endless = await cli(["-c", "/dev/zero", "validate"], { cwd: dir.path });
    expect(endless.code).toBe(1);
    expect(endless.stderr).toMatch(/^\/dev\/zero:1:1: error: is larger than 64 MiB/m);
    const plan = await cli(["-c", "examples/quickstart-local.yaml", "apply", "/dev/zero"], { env: { CLOUDSYNC_STATE_DIR: join(dir.path, "state-zero") } });
    expect(plan).toMatchObject({ code: 1, stderr: expect.stringMatching(/cannot apply \/dev\/zero: it is not a cloudsync plan file \(larger than 64 MiB\)/) });
    const exported = await cli(["import", "truenas", "/dev/zero"], { cwd: dir.path });
    expect(exported).toMatchObject({ code: 1, stderr: expect.stringMatching(/\/dev\/zero is larger than 64 MiB.*cloudsync\.query/) });
    for (const result of [endless, plan, exported]) expect(result.stderr).not.toMatch(STACK_TRACE);
    const piped = await cli(["-c", "/dev/stdin", "validate"], { input: readFileSync("examples/quickstart-local.yaml", "utf8") });
    expect(piped, piped.stderr).toMatchObject({ code: 0, stdout: "/dev/stdin is valid: 1 credential, 2 tasks.\n" });
  });
});
