import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, cli, tempDir, testEnv } from "../helpers/cli.js";
import { Workspace } from "../helpers/workspace.js";

const dir = tempDir();
afterAll(() => dir.remove());
const has = (shell: string) => spawnSync("sh", ["-c", `command -v ${shell}`]).status === 0;

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

  it("bash completes commands, options and the applied tasks' names", async () => {
    const ws = new Workspace(join(dir.path, "ws"));
    await ws.apply({ credentials: { disk: { type: "local" } }, tasks: { photos: { direction: "push", transfer_mode: "copy", path: "/srv/photos", credential: "disk", folder: "/backup/photos" }, docs: { direction: "push", transfer_mode: "copy", path: "/srv/docs", credential: "disk", folder: "/backup/docs" } } });
    const bin = join(dir.path, "bin");
    execFileSync("mkdir", ["-p", bin]);
    writeFileSync(join(bin, "cloudsync"), `#!/bin/sh\nexec ${process.execPath} ${CLI} "$@"\n`);
    chmodSync(join(bin, "cloudsync"), 0o755);
    const script = (await cli(["completion", "bash"])).stdout;
    const complete = (line: string) =>
      execFileSync("bash", ["-c", `${script}\nCOMP_WORDS=(${line}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _cloudsync; printf '%s\\n' "\${COMPREPLY[@]}"`], { cwd: ws.dir, env: testEnv({ PATH: `${bin}:${process.env.PATH}` }), encoding: "utf8" })
        .trim()
        .split("\n");
    expect(complete("cloudsync ru")).toEqual(["run"]);
    expect(complete("cloudsync run ''")).toEqual(expect.arrayContaining(["--dry-run", "photos", "docs"]));
    expect(complete("cloudsync credentials ''")).toEqual(["verify"]);
    expect((await cli(["completion", "powershell"])).stderr).toContain("give bash, zsh or fish");
  }, 30_000);
});
