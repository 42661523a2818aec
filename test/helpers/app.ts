// An in-process workspace for the operations layer's tests: a temporary
// directory with a cloudsync.yaml, the real state directory, a fake clock,
// and the events the operations emit, kept for the test to look at.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import type { Workspace } from "../../src/app/workspace.js";
import { EventBus } from "../../src/events/events.js";
import type { Stamped } from "../../src/model/events.js";
import { FakeClock } from "./fake-clock.js";

export interface AppWorkspace extends Workspace {
  dir: string;
  clock: FakeClock;
  /** Every event emitted so far. */
  seen: Stamped[];
  /** Writes the configuration file (an object, as YAML; or text as it is). */
  write(config: Record<string, unknown> | string): void;
  /** A local directory inside the workspace, made. */
  folder(name: string, files?: Record<string, string>): string;
  stateDir: string;
  remove(): void;
}

export function appWorkspace(start = "2026-12-07T12:00:00Z"): AppWorkspace {
  const dir = mkdtempSync(join(tmpdir(), "cloudsync-app-"));
  const clock = new FakeClock(Date.parse(start));
  const events = new EventBus(() => clock.now());
  const seen: Stamped[] = [];
  events.subscribe((event) => seen.push(event));
  const { AWS_CA_BUNDLE: _unused, ...env } = process.env;
  return {
    dir,
    configPath: join(dir, "cloudsync.yaml"),
    configName: "cloudsync.yaml",
    stateDirOverride: null,
    stateDir: join(dir, ".cloudsync"),
    env: { ...env, RCLONE_CONFIG: "/dev/null", HOME: dir, XDG_CACHE_HOME: join(dir, "cache") },
    clock,
    events,
    seen,
    write(config) {
      writeFileSync(join(dir, "cloudsync.yaml"), typeof config === "string" ? config : stringify({ version: 1, ...config }));
    },
    folder(name, files = {}) {
      const path = join(dir, name);
      mkdirSync(path, { recursive: true });
      for (const [file, content] of Object.entries(files)) writeFileSync(join(path, file), content);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A file with one local→local task `photos` (source with two files). */
export function photosConfig(ws: AppWorkspace, task: Record<string, unknown> = {}) {
  const source = ws.folder("source", { "a.jpg": "a", "b.jpg": "bb" });
  return {
    settings: { state_dir: ws.stateDir },
    credentials: { disk: { type: "local" } },
    tasks: { photos: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: join(ws.dir, "backup"), schedule: "0 3 * * *", ...task } },
  };
}
