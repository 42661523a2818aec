import { runCaptured } from "../process/run.js";

const known = new Map<string, Promise<string>>();

/** The version of the rclone at `command` (`v1.60.1-DEV`), or "unknown"; asked once per process. */
export function rcloneVersion(command: string, env: NodeJS.ProcessEnv): Promise<string> {
  let version = known.get(command);
  if (!version) {
    version = runCaptured({ command, args: ["version"], env: { ...env, RCLONE_CONFIG: "/dev/null" }, timeoutMs: 10_000, graceMs: 1_000 }).then(
      (outcome) => /^rclone (\S+)/.exec(outcome.stdout)?.[1] ?? "unknown",
      () => "unknown",
    );
    known.set(command, version);
  }
  return version;
}
