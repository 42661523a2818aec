import { describe, expect, it } from "vitest";
import { COMMAND_NAMES, commandOf } from "../../src/cli/command-names.js";
import { cli } from "../helpers/cli.js";

describe("the commands the launcher tells apart", () => {
  it("are the program's commands", async () => {
    // The completion script lists the program's commands and global options on one line.
    const script = (await cli(["completion", "bash"])).stdout;
    const line = /"\) COMPREPLY=\( \$\(compgen -W "([^"]*)"/.exec(script)![1]!;
    expect(line.split(" ").filter((word) => word !== "" && !word.startsWith("-"))).toEqual(COMMAND_NAMES);
  });

  it("a run's command is the first argument that names one, wherever the options are", () => {
    expect(commandOf(["-c", "cloudsync.yaml", "plan", "--out", "p.json"])).toBe("plan");
    expect(commandOf(["run", "plan"])).toBe("run");
    expect(commandOf(["--json", "status"])).toBe("status");
    expect(commandOf(["--version"])).toBe("cloudsync");
    expect(commandOf([])).toBe("cloudsync");
  });
});
