// Completion as each shell runs it: bash through its completion function,
// zsh typed into a new interactive shell (the first TAB must complete), fish
// through `complete -C`. Names come from the file in use, never applied here.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { CLI, tempDir, testEnv } from "../helpers/cli.js";
import { cliInProcess as cli } from "../helpers/cli-in-process.js";
import { until } from "../helpers/wait.js";

const dir = tempDir();
const bin = join(dir.path, "bin");
const work = join(dir.path, "work");
afterAll(() => dir.remove());
const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;
const env = () => testEnv({ PATH: `${bin}:${process.env.PATH}`, HOME: dir.path, NO_COLOR: "1" });

const task = (path: string) => ({ direction: "push", transfer_mode: "copy", path, credential: "disk", folder: "/backup" });

beforeAll(() => {
  mkdirSync(bin, { recursive: true });
  mkdirSync(join(work, "restore-here"), { recursive: true });
  writeFileSync(join(bin, "cloudsync"), `#!/bin/sh\nexec ${process.execPath} ${CLI} "$@"\n`);
  chmodSync(join(bin, "cloudsync"), 0o755);
  // Nothing is applied: the names come from the files.
  writeFileSync(join(work, "cloudsync.yaml"), stringify({ version: 1, credentials: { disk: { type: "local" }, nas: { type: "sftp", host: "nas" } }, tasks: { photos: task("/srv/photos"), docs: task("/srv/docs") } }));
  writeFileSync(join(work, "other.yaml"), stringify({ version: 1, credentials: { offsite: { type: "local" } }, notifications: { team: { type: "webhook", url: "http://127.0.0.1:9/x" } }, tasks: { music: task("/srv/music") } }));
});

describe("cloudsync completion", () => {
  it.each([
    ["bash", ["-n"]],
    ["zsh", ["-n"]],
    ["fish", ["--no-execute"]],
  ])("%s: a script the shell reads", async (shell, check) => {
    if (!has(shell)) return;
    const result = await cli(["completion", shell]);
    expect(result.code).toBe(0);
    const file = join(dir.path, `completion.${shell}`);
    writeFileSync(file, result.stdout);
    expect(spawnSync(shell, [...check, file]).status).toBe(0);
  });

  it("bash: commands, options, names from the file in use (-c before the command too), files and directories", async () => {
    const script = (await cli(["completion", "bash"])).stdout;
    const complete = (line: string) =>
      execFileSync("bash", ["-c", `${script}\nCOMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _cloudsync; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: work, env: env(), encoding: "utf8" })
        .trim()
        .split("\n")
        .sort();
    expect(complete("cloudsync ru")).toEqual(["run"]);
    expect(complete("cloudsync run ''")).toEqual(["docs", "photos"]);
    expect(complete("cloudsync run --dr")).toEqual(["--dry-run"]);
    expect(complete("cloudsync -c other.yaml run ''")).toEqual(["music"]);
    expect(complete("cloudsync --config other.yaml --json logs ''")).toEqual(["music"]);
    for (const command of ["history", "logs", "check", "abort", "restore"]) expect(complete(`cloudsync ${command} ''`)).toEqual(["docs", "photos"]);
    expect(complete("cloudsync credentials verify ''")).toEqual(["disk", "nas"]);
    expect(complete("cloudsync credentials ''")).toEqual(["verify"]);
    expect(complete("cloudsync buckets list ''")).toEqual(["disk", "nas"]);
    expect(complete("cloudsync -c other.yaml notify test ''")).toEqual(["team"]);
    expect(complete("cloudsync -c oth")).toEqual(["other.yaml"]);
    expect(complete("cloudsync restore photos --path rest")).toEqual(["restore-here"]);
    expect(complete("cloudsync export systemd --out rest")).toEqual(["restore-here"]);
    expect(complete("cloudsync completion ''")).toEqual(["bash", "fish", "zsh"]);
    expect((await cli(["completion", "powershell"])).stderr).toContain("give bash, zsh or fish");
  }, 60_000);

  it("zsh: the first TAB of a new shell completes (the script autoloaded from $fpath), after -c FILE as well", async () => {
    if (!has("zsh") || !has("script")) return;
    const functions = join(dir.path, "zsh-functions");
    mkdirSync(functions, { recursive: true });
    writeFileSync(join(functions, "_cloudsync"), (await cli(["completion", "zsh"])).stdout);
    // A terminal for zsh (script gives it one); the screen is read as it is drawn.
    const shell = spawn("script", ["-q", "-c", "zsh -f -i", "/dev/null"], { cwd: work, env: env() });
    let screen = "";
    shell.stdout.on("data", (chunk: Buffer) => (screen += chunk.toString()));
    try {
      shell.stdin.write(`PS1='ready> '; fpath=(${functions} $fpath); autoload -U compinit; compinit -u -D\n`);
      await until(() => screen.includes("ready> "), "zsh is ready");
      shell.stdin.write("cloudsync -c other.yaml credentials verify \t");
      await until(() => screen.includes("verify offsite"), "the first TAB completes the credential", 20_000);
      shell.stdin.write("\u0015cloudsync history \t");
      await until(() => /history (docs|photos)|docs\s+photos/.test(screen), "TAB completes a task of ./cloudsync.yaml", 20_000);
    } finally {
      shell.kill("SIGKILL");
    }
  }, 60_000);

  it("fish: the same names and files", async () => {
    if (!has("fish")) return;
    const file = join(dir.path, "cloudsync.fish");
    writeFileSync(file, (await cli(["completion", "fish"])).stdout);
    const complete = (line: string) =>
      execFileSync("fish", ["--no-config", "-c", `source ${file}; complete -C '${line}'`], { cwd: work, env: env(), encoding: "utf8" })
        .trim()
        .split("\n")
        .map((l) => l.split("\t")[0]!)
        .sort();
    expect(complete("cloudsync ru")).toEqual(["run"]);
    expect(complete("cloudsync -c other.yaml check ")).toEqual(["music"]);
    expect(complete("cloudsync credentials verify ")).toEqual(["disk", "nas"]);
    expect(complete("cloudsync restore photos --path rest")).toEqual(["restore-here/"]);
  }, 60_000);
});
