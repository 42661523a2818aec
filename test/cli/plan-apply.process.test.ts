import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { execa } from "execa";
import { CLI } from "../helpers/cli.js";
import { SECRETS, twoTaskDirectory } from "./fixtures/two-tasks.js";

const dir = twoTaskDirectory();
const { state } = dir;

describe("apply on a terminal", () => {
  // `script` gives the CLI a real pseudo-terminal, as a person at a shell has.
  const onTerminal = (answer: string) =>
    execa("script", ["-qec", `node ${CLI} apply`, "/dev/null"], { cwd: dir.path, input: `${answer}\n`, env: { ...SECRETS, NO_COLOR: "1" }, reject: false });

  it.runIf(existsSync("/usr/bin/script"))("asks, and applies only on yes; Ctrl-C at the prompt is a cancel, said as such", async () => {
    // ^C typed at the prompt, once it is there: the terminal turns it into SIGINT.
    const prompt = execa("script", ["-qec", `node ${CLI} apply`, "/dev/null"], { cwd: dir.path, env: { ...SECRETS, NO_COLOR: "1" }, reject: false, stdin: "pipe" });
    let shown = "";
    let typed = false;
    prompt.stdout!.on("data", (d: Buffer) => {
      shown += d;
      if (!typed && shown.includes("Enter a value:")) {
        typed = true;
        prompt.stdin!.write("\u0003");
      }
    });
    const interrupted = await prompt;
    expect(interrupted.stdout).toContain("Apply cancelled (interrupted). Nothing was changed.");
    expect(interrupted.exitCode).toBe(130);
    expect(existsSync(join(dir.path, ".cloudsync/state.json"))).toBe(false);
    const no = await onTerminal("no");
    expect(no.stdout).toContain("Only 'yes' will be accepted to approve.");
    expect(no.stdout).toContain("Apply cancelled. Nothing was changed.");
    expect(existsSync(join(dir.path, ".cloudsync/state.json"))).toBe(false);
    const yes = await onTerminal("yes");
    expect(yes.stdout).toContain("Apply complete! Resources: 4 added, 0 changed, 0 destroyed.");
    expect(state().serial).toBe(1);
  });
});
