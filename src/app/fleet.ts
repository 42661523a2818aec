// The fleet's use cases: `cloudsync fleet` and the page read the shared folder;
// the service publishes this host's file (after every run and check, and on a
// heartbeat) and reads the others', telling what changed on the event stream
// (fleet.read for metrics and the page, fleet.stale and fleet.failure for
// notifications). No agent, no open port: every host only writes its own file.
import { mkdtempSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../clock.js";
import { UserError } from "../errors.js";
import type { EventBus } from "../events/events.js";
import { fetchHostFiles, publishHostFile, type FleetFolder } from "../fleet/folder.js";
import { fleetHostName, heartbeatMs, hostReport, noSightings, readFleet, signedHostFile, type FleetReading } from "../fleet/host-file.js";
import type { AppliedState } from "../model/applied-state.js";
import { durationMs, type FleetSettings } from "../model/config.js";
import type { FleetView } from "../model/fleet.js";
import { placeOf } from "../plan/diff.js";
import { remoteConfig } from "../rclone/command.js";
import { backendCatalog } from "../rclone/backends.js";
import { rcloneVersion } from "../rclone/version.js";
import { FleetSightingsFile } from "../state/fleet-sightings.js";
import { VERSION } from "../version.js";
import { statusOf } from "./status.js";
import { findFleet, type FleetTarget } from "./targets.js";
import { locateStore, type Workspace } from "./workspace.js";

/** This host's name in the fleet. */
export const fleetHost = (fleet: FleetSettings) => fleet.host ?? fleetHostName(hostname());

/** Publications at least this far apart (or a heartbeat, if shorter): 200 runs ending at once are a few writes, not hundreds. */
const PUBLISH_GAP_MS = 10_000;

/** A reader reads at least this often (the page and metrics are "live" by it), more often when hosts write more often. */
const READ_MS = 60_000;

function folderOf(ws: Pick<Workspace, "env">, target: FleetTarget, workDir: string): FleetFolder {
  const { publish } = target.fleet;
  return { rclone: target.rclone, remote: remoteConfig(target.credential, { bucket: publish.bucket, folder: publish.folder, encryption: null }, target.backends), env: ws.env, workDir };
}

const folderName = (fleet: FleetSettings) => placeOf(fleet.publish);

function reading(files: Parameters<typeof readFleet>[0], fleet: FleetSettings, now: Date, previous = noSightings()): FleetReading {
  return readFleet(files, { key: fleet.key, self: fleetHost(fleet), folder: folderName(fleet), staleAfter: fleet.stale_after, staleAfterMs: durationMs(fleet.stale_after), now, previous });
}

/**
 * `cloudsync fleet`: every host of the fleet, read now. Only reads: when a service here reads
 * the fleet too, what it saw (when each host last changed) is used, never changed.
 */
export async function fleetView(ws: Workspace): Promise<FleetView> {
  const target = await findFleet(ws);
  const { store } = await locateStore(ws);
  const workDir = mkdtempSync(join(tmpdir(), "cloudsync-fleet-"));
  try {
    const fetched = await fetchHostFiles(folderOf(ws, target, workDir));
    if (!fetched.ok) throw new UserError(`cannot read the fleet's folder ${folderName(target.fleet)}: ${fetched.failure.message}`);
    return reading(fetched.value, target.fleet, ws.clock.now(), new FleetSightingsFile(store.dir).read() ?? undefined).view;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The service's part in the fleet, following settings.fleet as applied. */
export class FleetMembership {
  private fleet: FleetSettings | null = null;
  private target: FleetTarget | null = null;
  private publishing: Promise<void> | null = null;
  private reading: Promise<void> | null = null;
  private publishAgain = false;
  /** A publication waiting for the gap after the last one. */
  private deferred: unknown = undefined;
  private lastPublished = -Infinity;
  private publishFailed = false;
  private readFailed = false;
  private lastView: FleetView | null = null;
  private readonly detach: () => void;

  constructor(
    private readonly deps: { workspace: Workspace; stateDir: string; applied: () => AppliedState; clock: Clock },
  ) {
    // Every run and check that ends, whoever ran it, is published.
    this.detach = deps.workspace.events.subscribe((event) => {
      if (event.type === "run.finished" || event.type === "check.finished") this.publishSoon();
    });
  }

  private get events(): EventBus {
    return this.deps.workspace.events;
  }

  /** The fleet as last read here, if this service reads one. */
  get view(): FleetView | null {
    return this.lastView;
  }

  /** Joins, leaves or changes fleet as the applied settings say; publishes at once when anything changed. */
  async follow(): Promise<void> {
    const fleet = this.deps.applied().settings?.fleet ?? null;
    if (JSON.stringify(fleet) === JSON.stringify(this.fleet) && this.target) {
      this.publishSoon();
      return;
    }
    this.cancelDeferred();
    this.fleet = fleet;
    this.target = null;
    this.lastView = null;
    if (!fleet) return;
    const applied = this.deps.applied();
    const credential = applied.credentials[fleet.publish.credential];
    if (!credential) return;
    const rclone = applied.settings?.rclone ?? "rclone";
    this.target = { fleet, credential, rclone, backends: await backendCatalog(rclone, this.deps.workspace.env) };
    this.publishSoon();
    this.readSoon();
  }

  /** How often the service publishes (a heartbeat) and reads the folder, while in a fleet; src/watch keeps the time. */
  get cadence(): { publishMs: number; readMs: number } | null {
    if (!this.target) return null;
    const every = heartbeatMs(durationMs(this.target.fleet.stale_after));
    return { publishMs: every, readMs: Math.min(READ_MS, every) };
  }

  /** Reads the folder unless a read is in progress. */
  readSoon(): void {
    if (this.reading || !this.target) return;
    this.reading = this.read()
      .catch((error: unknown) => this.notice("warning", `fleet: cannot read the fleet: ${(error as Error).message}`))
      .finally(() => (this.reading = null));
    this.events.track(this.reading);
  }

  private cancelDeferred(): void {
    if (this.deferred !== undefined) this.deps.clock.clearTimeout(this.deferred);
    this.deferred = undefined;
  }

  private folder(target: FleetTarget): FleetFolder {
    return folderOf(this.deps.workspace, target, new FleetSightingsFile(this.deps.stateDir).directory);
  }

  /**
   * Publishes now, or once the publication in progress is done and the gap after it has passed
   * (one at a time, none lost: a later one tells everything an earlier one would have).
   */
  publishSoon(): void {
    const target = this.target;
    if (!target || this.deferred !== undefined) return;
    if (this.publishing) {
      this.publishAgain = true;
      return;
    }
    const { clock } = this.deps;
    const wait = this.lastPublished + Math.min(PUBLISH_GAP_MS, heartbeatMs(durationMs(target.fleet.stale_after))) - clock.monotonic();
    if (wait > 0) {
      this.deferred = clock.setTimeout(() => {
        this.deferred = undefined;
        this.publishSoon();
      }, wait);
      return;
    }
    this.lastPublished = clock.monotonic();
    this.publishing = this.publish(target).finally(() => {
      this.publishing = null;
      if (this.publishAgain) {
        this.publishAgain = false;
        this.publishSoon();
      }
    });
    this.events.track(this.publishing);
  }

  private async publish(target: FleetTarget): Promise<void> {
    const { workspace, stateDir, applied, clock } = this.deps;
    try {
      const status = await statusOf(workspace, stateDir, applied(), null);
      const rclone = await rcloneVersion(target.rclone, workspace.env);
      const host = fleetHost(target.fleet);
      const report = hostReport(status, { host, now: clock.now(), everyMs: heartbeatMs(durationMs(target.fleet.stale_after)), cloudsync: VERSION, rclone: rclone === "unknown" ? null : rclone });
      const written = await publishHostFile(this.folder(target), host, signedHostFile(report, target.fleet.key));
      if (!written.ok) throw new Error(written.failure.message);
      if (this.publishFailed) this.notice("info", `fleet: publishing to ${folderName(target.fleet)} works again`);
      this.publishFailed = false;
    } catch (error) {
      // Told once per streak of failures: the heartbeat retries.
      if (!this.publishFailed) this.notice("warning", `fleet: cannot publish this host's file to ${folderName(target.fleet)}: ${(error as Error).message}`);
      this.publishFailed = true;
    }
  }

  /** Reads the fleet's folder; tells what changed. */
  private async read(): Promise<void> {
    const target = this.target;
    if (!target) return;
    const sightingsFile = new FleetSightingsFile(this.deps.stateDir);
    const fetched = await fetchHostFiles(this.folder(target));
    if (target !== this.target) return;
    if (!fetched.ok) {
      if (!this.readFailed) this.notice("warning", `fleet: cannot read ${folderName(target.fleet)}: ${fetched.failure.message}`);
      this.readFailed = true;
      return;
    }
    this.readFailed = false;
    const { view, sightings, news } = reading(fetched.value, target.fleet, this.deps.clock.now(), sightingsFile.read() ?? undefined);
    sightingsFile.save(sightings);
    this.lastView = view;
    this.events.emit({
      type: "fleet.read",
      hosts: view.hosts.map((h) => ({ host: h.host, trusted: h.trusted, stale: h.stale, last_seen: h.last_seen, counts: h.counts })),
    });
    for (const host of news.untrusted) this.notice("warning", `fleet: the file of host ${host.host} is untrusted: ${host.problem}`);
    for (const host of news.stale) this.events.emit({ type: "fleet.stale", host: host.host, last_seen: host.last_seen, stale_after: view.stale_after });
    for (const { host, tasks } of news.failures) {
      this.events.emit({ type: "fleet.failure", host, tasks: tasks.map((t) => ({ task: t.name, run_id: t.last_run!.id, finished_at: t.last_run!.finished_at, error: t.last_run!.error })) });
    }
  }

  private notice(level: "info" | "warning", message: string): void {
    this.events.emit({ type: "notice", level, message });
  }

  /** Stops publishing and reading; waits for a publication or read in progress. */
  async close(): Promise<void> {
    this.cancelDeferred();
    this.detach();
    this.target = null;
    await Promise.all([this.publishing, this.reading]);
  }
}
