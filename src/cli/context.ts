import { resolve } from "node:path";
import type { StartService } from "../app/service.js";
import type { Workspace } from "../app/workspace.js";
import { systemClock } from "../clock.js";
import { EventBus } from "../events/events.js";

/** The global options, resolved once; every command gets this. */
export interface CliContext {
  /** The configuration file as the user named it (used in diagnostics). */
  configName: string;
  /** What the operations work on: the file, the state directory, the environment, the clock, the event stream. */
  workspace: Workspace;
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
  /** A service asks to go on when its log's reader goes away, instead of ending quietly as commands do. */
  keepServingWithoutOutput: () => void;
  /** Where a service hears SIGHUP, including one that came before it was ready. */
  onHangup: (fn: () => void) => void;
  /** Builds the long-running service (given by the composition root: the CLI does not know how). */
  startService: StartService | undefined;
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
  keepServingWithoutOutput?: () => void;
  /** Where a service hears SIGHUP, including one that came before it was ready. */
  onHangup?: (fn: () => void) => void;
  startService?: StartService;
}

export function createContext(options: GlobalOptions, io: Io): CliContext {
  const configName = options.config ?? (io.env.CLOUDSYNC_CONFIG || "cloudsync.yaml");
  // no-color.org: NO_COLOR set and not empty turns colour off; FORCE_COLOR set and not empty turns it on even where
  // output is no terminal, except 0 or false, which turn it off (as Node and supports-color read them). --no-color wins.
  const forceColorValue = (io.env.FORCE_COLOR ?? "").toLowerCase();
  const forceColorOff = forceColorValue === "0" || forceColorValue === "false";
  const noColor = (io.env.NO_COLOR ?? "") !== "" || io.env.TERM === "dumb" || forceColorOff;
  const forceColor = forceColorValue !== "" && !forceColorOff;
  const colorWanted = options.color !== false && (forceColor || !noColor);
  const stateDir = options.stateDir ?? (io.env.CLOUDSYNC_STATE_DIR || undefined);
  return {
    configName,
    workspace: {
      configPath: resolve(io.cwd, configName),
      configName,
      stateDirOverride: stateDir === undefined ? null : resolve(io.cwd, stateDir),
      env: io.env,
      clock: systemClock,
      events: new EventBus(),
    },
    json: options.json === true,
    quiet: options.quiet === true,
    verbose: options.verbose === true,
    env: io.env,
    cwd: io.cwd,
    stdin: io.stdin,
    stdout: io.stdout,
    stderr: io.stderr,
    colorStdout: colorWanted && (forceColor || io.stdout.isTTY === true),
    colorStderr: colorWanted && (forceColor || io.stderr.isTTY === true),
    keepServingWithoutOutput: io.keepServingWithoutOutput ?? (() => undefined),
    onHangup: io.onHangup ?? ((fn) => process.on("SIGHUP", fn)),
    startService: io.startService,
  };
}
