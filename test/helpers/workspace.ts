import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { cli } from "./cli.js";

/** A directory with a cloudsync.yaml, applied, to run tasks from as a user would. */
export class Workspace {
  constructor(
    readonly dir: string,
    readonly env: Record<string, string> = {},
  ) {
    mkdirSync(dir, { recursive: true });
  }

  async apply(config: Record<string, unknown>): Promise<void> {
    writeFileSync(join(this.dir, "cloudsync.yaml"), stringify({ version: 1, ...config }));
    const result = await cli(["apply", "--auto-approve"], { cwd: this.dir, env: this.env });
    if (result.code !== 0) throw new Error(`apply failed: ${result.stderr}`);
  }

  cli(args: string[], env: Record<string, string> = {}) {
    return cli(args, { cwd: this.dir, env: { ...this.env, ...env } });
  }

  /** `run TASK --json`: the exit code, the final object, and stderr. */
  async run(task: string, ...extra: string[]) {
    const result = await this.cli(["run", task, "--json", ...extra]);
    return { code: result.code, stderr: result.stderr, result: JSON.parse(result.stdout || "null") };
  }

  async log(task: string): Promise<string> {
    return (await this.cli(["logs", task])).stdout;
  }

  get stateDir(): string {
    return join(this.dir, ".cloudsync");
  }
}
