// What the benches share: where the built CLI is, the median, the environment
// for the programs they start, and a stand-in rclone that times the real one.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const cli = join(root, "dist/cloudsync.js");

export const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];

/**
 * This environment for rclone and the CLI: no rclone config file, and without
 * AWS_CA_BUNDLE, which this machine sets and which breaks rclone's S3 backend.
 */
export function rcloneEnv(extra = {}) {
  const env = { ...process.env, RCLONE_CONFIG: "/dev/null", ...extra };
  delete env.AWS_CA_BUNDLE;
  return env;
}

/**
 * A stand-in rclone that runs the real one and notes how long each copy or
 * check took. A bench runs both sides through it: the wall time's spread
 * between runs (±10 % on the 2-core VM) is larger than cloudsync's own share,
 * which wall time − rclone's time shows run by run.
 */
export function timedRclone(work) {
  const times = join(work, "rclone-times");
  const path = join(work, "rclone");
  const real = execFileSync("sh", ["-c", "command -v rclone"], { encoding: "utf8" }).trim();
  writeFileSync(
    path,
    `#!/bin/sh\nstart=$(date +%s%N)\n${real} "$@"\nstatus=$?\ncase "$1" in copy|check) echo "$start $(date +%s%N)" >> ${times};; esac\nexit $status\n`,
    { mode: 0o755 },
  );
  /** How long the last copy or check took, in ms. */
  const lastMs = () => {
    const [start, end] = readFileSync(times, "utf8").trim().split("\n").pop().split(" ").map(Number);
    return (end - start) / 1e6;
  };
  return { path, lastMs };
}
