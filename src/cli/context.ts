import { resolve } from "node:path";

/** The global options, resolved once; every command gets this. */
export interface CliContext {
  /** The configuration file as the user named it (used in diagnostics). */
  configName: string;
  /** The same, absolute. */
  configPath: string;
  stateDirOption: string | undefined;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Colour on stdout / stderr: asked for, a terminal, and NO_COLOR unset. */
  colorStdout: boolean;
  colorStderr: boolean;
}

export interface GlobalOptions {
  config?: string;
  stateDir?: string;
  json?: boolean;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

export interface Io {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdin: CliContext["stdin"];
  stdout: CliContext["stdout"];
  stderr: CliContext["stderr"];
}

export function createContext(options: GlobalOptions, io: Io): CliContext {
  const configName = options.config ?? (io.env.CLOUDSYNC_CONFIG || "cloudsync.yaml");
  const colorWanted = options.color !== false && !("NO_COLOR" in io.env) && io.env.TERM !== "dumb";
  return {
    configName,
    configPath: resolve(io.cwd, configName),
    stateDirOption: options.stateDir,
    json: options.json === true,
    quiet: options.quiet === true,
    verbose: options.verbose === true,
    env: io.env,
    cwd: io.cwd,
    stdin: io.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
    colorStdout: colorWanted && io.stdout.isTTY === true,
    colorStderr: colorWanted && io.stderr.isTTY === true,
  };
}
