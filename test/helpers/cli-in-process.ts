// The CLI run in this process, with its output captured: for the behaviour of
// commands (arguments, messages, exit codes, JSON), which needs no process of
// its own. Same answer as `cli` (helpers/cli.ts), which starts the built CLI.
import { Readable, Writable } from "node:stream";
import { run } from "../../src/cli/program.js";
import { testEnv } from "./cli.js";

class Captured extends Writable {
  text = "";
  isTTY = false;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export async function cliInProcess(args: string[], options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {}) {
  const stdout = new Captured();
  const stderr = new Captured();
  const stdin = Object.assign(Readable.from(options.input === undefined ? [] : [options.input]), { isTTY: false });
  const code = await run(args, {
    env: testEnv({ NO_COLOR: undefined, FORCE_COLOR: undefined, ...options.env }),
    cwd: options.cwd ?? process.cwd(),
    stdin,
    stdout,
    stderr,
    onHangup: () => undefined,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
