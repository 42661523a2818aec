// A destination's versions as rclone reaches them: listing the version
// folders and their files, the destination's current files, removing
// expired folders, and copying chosen files out for a restore. Every command
// goes through the task's remotes (and its encryption: inside a crypt remote
// the names are read decrypted).
import type { ProcessGroup } from "../model/run-record.js";
import { redactor } from "../secrets/secrets.js";
import type { RemoteConfig } from "./command.js";
import { exitMeaning } from "./exit-codes.js";
import { runRclone, type RcloneOutcome } from "./process.js";
import { describeRemoteFailure } from "./remote-errors.js";
import { below } from "./command.js";
import { pathFilter, stampsFilter, stampTime, VERSIONS_EXCLUDED, versionFiles, versionsPlace, type ListedFile, type VersionFile } from "./versions.js";

/** rclone's "directory not found": no versions kept yet. */
const NOT_FOUND = 3;
/** Remote operations give up on a host that does not answer rather than hang. */
const TIMEOUTS = ["--contimeout", "15s", "--timeout", "60s"];
const GRACE_MS = 2_000;

export interface VersionStoreOptions {
  rclone: string;
  remotes: RemoteConfig;
  env: NodeJS.ProcessEnv;
  /** The task's destination in rclone's syntax: the remote (crypt) path for a push, the local path for a pull. */
  destination: string;
  signal?: AbortSignal;
  onSpawn?: (group: ProcessGroup) => void;
}

/** A failure of rclone against the destination, in one line: what was being done, and why it failed. */
export class VersionStoreError extends Error {}

/** A filter file's lines as repeated --filter flags (no file to write). */
const filters = (text: string) => text.trimEnd().split("\n").flatMap((line) => ["--filter", line]);

export class VersionStore {
  constructor(private readonly options: VersionStoreOptions) {}

  /** Where the versions are, in rclone's syntax. */
  get place(): string {
    return versionsPlace(this.options.destination);
  }

  private async rclone(what: string, args: string[], onStdout?: (line: string) => void): Promise<RcloneOutcome> {
    const { remotes, env, signal, onSpawn } = this.options;
    const outcome = await runRclone(this.options.rclone, { args: [...args, ...TIMEOUTS, "--use-json-log"], env: remotes.env }, env, { onStdout, signal, onSpawn, graceMs: GRACE_MS });
    if (outcome.code === 0 || outcome.code === NOT_FOUND || signal?.aborted) return outcome;
    const redact = redactor(remotes.secrets);
    const lines = outcome.errorLines.map(redact);
    const failure = describeRemoteFailure(lines);
    throw new VersionStoreError(`${what}: ${failure.kind !== "other" ? failure.message : exitMeaning(outcome.code, outcome.signal)}${lines.length > 0 ? ` (${lines.at(-1)})` : ""}`);
  }

  /** Files listed by `rclone lsjson -R --files-only`, read line by line (a listing of 100,000 files is never one string). */
  private async listFiles(what: string, place: string, filterText: string | null): Promise<ListedFile[]> {
    const files: ListedFile[] = [];
    const outcome = await this.rclone(what, ["lsjson", "-R", "--files-only", "--no-mimetype", place, ...(filterText ? filters(filterText) : [])], (line) => {
      const entry = line.trim().replace(/,$/, "");
      if (!entry.startsWith("{")) return;
      const parsed = JSON.parse(entry) as { Path: string; Size: number; ModTime: string };
      files.push({ path: parsed.Path, size: parsed.Size, modified: parsed.ModTime });
    });
    return outcome.code === NOT_FOUND ? [] : files;
  }

  /** The version folders there are (by name), oldest first. */
  async stamps(): Promise<string[]> {
    const names: string[] = [];
    const outcome = await this.rclone("listing the version folders", ["lsf", "--dirs-only", this.place], (line) => names.push(line.replace(/\/$/, "")));
    return outcome.code === NOT_FOUND ? [] : names.filter((name) => stampTime(name) !== null).sort();
  }

  /** Every kept version, or those of one file or folder. */
  async versions(path?: string): Promise<VersionFile[]> {
    return versionFiles(await this.listFiles("listing the versions", this.place, path ? pathFilter(path, true) : null));
  }

  /** The destination's files now (its versions left out), or those of one file or folder. */
  async current(path?: string): Promise<ListedFile[]> {
    return this.listFiles("listing the destination", this.options.destination, path ? pathFilter(path, false) : `- ${VERSIONS_EXCLUDED}\n`);
  }

  /** Removes whole version folders. */
  async remove(stamps: readonly string[]): Promise<void> {
    if (stamps.length === 0) return;
    await this.rclone("removing expired versions", ["delete", "--rmdirs", this.place, ...filters(stampsFilter(stamps))]);
  }

  /**
   * Copies the listed files (paths relative to the destination, one per line in `listFile`) from the
   * destination (`stamp` null) or from a version folder into `target`, keeping their times.
   */
  async copyOut(stamp: string | null, listFile: string, target: string): Promise<RcloneOutcome> {
    const from = stamp === null ? this.options.destination : below(this.place, stamp);
    return this.rclone(`copying from ${stamp === null ? "the destination" : `the versions of ${stamp}`}`, ["copy", from, target, "--files-from-raw", listFile, "--no-traverse"]);
  }
}
