import { describe, expect, it } from "vitest";
import { COMMAND_NAMES, commandOf } from "../../src/cli/command-names.js";
import { cli } from "../helpers/cli.js";

describe("the commands the launcher tells apart", () => {
  it("are the program's commands", async () => {
    // What completion offers as the first word: the program's commands.
    const offered = (await cli(["__complete", ""])).stdout.trim().split("\n");
    expect(offered[0]).toBe("words");
    expect(offered.slice(1)).toEqual(COMMAND_NAMES);
  });

  it("a run's command is the first argument that names one, wherever the options are", () => {
    expect(commandOf(["-c", "cloudsync.yaml", "plan", "--out", "p.json"])).toBe("plan");
    expect(commandOf(["run", "plan"])).toBe("run");
    expect(commandOf(["--json", "status"])).toBe("status");
    expect(commandOf(["--version"])).toBe("cloudsync");
    expect(commandOf([])).toBe("cloudsync");
    expect(commandOf(["__complete", "run", ""])).toBe("__complete");
  });
});
