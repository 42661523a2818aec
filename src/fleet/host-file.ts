// The fleet's files and what a reader makes of them. Pure: the caller reads
// and writes the files, and gives the time.
//
// A host's file is trusted only when it reads whole and its HMAC matches the
// fleet's key; anything else is shown as untrusted and none of its content is
// used. Hosts' clocks may disagree: a reader judges silence on its own clock,
// from when it saw a host's file change (see `lastSeen`).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { FleetHost, FleetSightings, FleetTask, FleetView, HostFile, HostReport, StateCounts } from "../model/fleet.js";
import type { StatusReport, TaskState } from "../model/results.js";

const PREFIX = "hmac-sha256:";
const STATES: readonly TaskState[] = ["PENDING", "RUNNING", "SUCCESS", "FAILED", "ABORTED", "HELD"];
/** A host writes at least this often; more often when stale_after is short, so it is never stale while alive. */
const HEARTBEAT_MS = 5 * 60_000;

export const HOST_FILE_SUFFIX = ".json";
/** An upload of a host's file before it is renamed over HOST.json (`HOST.json.partial-1a2b3c4d`). */
export const PARTIAL = /\.json\.partial-[0-9a-f]{8}$/;
/** What a host may be called (settings.fleet.host's pattern), and so its file. */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** How often a host writes its file, given how long a reader waits before calling it STALE. */
export const heartbeatMs = (staleAfterMs: number) => Math.max(1_000, Math.min(HEARTBEAT_MS, Math.floor(staleAfterMs / 3)));

/** A host name as the fleet's file names allow (the machine's name may hold other characters). */
export function fleetHostName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "").slice(0, 63);
  return clean === "" ? "host" : clean;
}

export const emptyCounts = (): StateCounts => Object.fromEntries(STATES.map((s) => [s, 0])) as StateCounts;

/** What this host publishes: its tasks as `status` sees them, nothing secret (names, states, times, redacted errors). */
export function hostReport(status: StatusReport, about: { host: string; now: Date; everyMs: number; cloudsync: string; rclone: string | null }): HostReport {
  return {
    host: about.host,
    written_at: about.now.toISOString(),
    every_s: Math.round(about.everyMs / 1000),
    cloudsync: about.cloudsync,
    rclone: about.rclone,
    serial: status.serial,
    tasks: status.tasks.map(
      (task): FleetTask => ({
        name: task.name,
        enabled: task.enabled,
        state: task.state,
        last_run: task.last_run && { id: task.last_run.id, state: task.last_run.state, finished_at: task.last_run.finished_at, error: task.last_run.error },
        last_success: task.last_success?.finished_at ?? null,
        next_run: task.next_run,
        overdue: task.overdue,
        held: task.state === "HELD",
        destinations: task.destinations?.map((d) => ({ name: d.name, state: d.state, finished_at: d.finished_at, error: d.error })) ?? null,
      }),
    ),
  };
}

const sign = (reportText: string, key: string) => PREFIX + createHmac("sha256", key).update(reportText).digest("hex");

/** The file's text: the report, signed with the fleet's key. */
export function signedHostFile(report: HostReport, key: string): string {
  const file: HostFile = { cloudsync_fleet: 1, report, signature: sign(JSON.stringify(report), key) };
  return `${JSON.stringify(file)}\n`;
}

export type ReadHostFile = { trusted: true; host: string; report: HostReport; signature: string } | { trusted: false; host: string; problem: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A host's file, checked: whole, signed with `key`, and naming the host its file name does. */
export function readHostFile(fileName: string, text: string, key: string): ReadHostFile {
  const host = fileName.endsWith(HOST_FILE_SUFFIX) ? fileName.slice(0, -HOST_FILE_SUFFIX.length) : fileName;
  // Anyone who can write the folder names files: a name no host can have is shown quoted (no terminal escape reaches a screen).
  if (!HOST_NAME.test(host)) return { trusted: false, host: JSON.stringify(host), problem: "its name is no host's name" };
  const untrusted = (problem: string): ReadHostFile => ({ trusted: false, host, problem });
  let file: unknown;
  try {
    file = JSON.parse(text);
  } catch {
    return untrusted("its file does not read whole (cut short, or not a fleet file)");
  }
  if (!isRecord(file) || file.cloudsync_fleet !== 1 || !isRecord(file.report) || typeof file.signature !== "string") return untrusted("its file is not a cloudsync fleet file");
  const expected = Buffer.from(sign(JSON.stringify(file.report), key));
  const given = Buffer.from(file.signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return untrusted("its signature does not match the fleet's key (another key, or the file was changed)");
  const report = file.report as unknown as HostReport;
  if (report.host !== host) return untrusted(`its file names another host (${String(report.host)})`);
  if (typeof report.written_at !== "string" || Number.isNaN(Date.parse(report.written_at)) || !Array.isArray(report.tasks)) return untrusted("its report lacks what a fleet file holds");
  return { trusted: true, host, report, signature: file.signature };
}

/**
 * When the reader saw a host's file last change, on the reader's clock. The same file as before:
 * when it was first seen. A new one: it was written after the reader's previous read, and the
 * host's own time is believed within that window (never in the future, never before that read),
 * so a host whose clock runs behind or ahead is judged by how often its file changes.
 */
function lastSeen(previous: FleetSightings, host: string, signature: string, writtenAt: string, now: Date): string {
  const known = previous.hosts[host];
  if (known?.signature === signature) return known.seen_at;
  const written = Date.parse(writtenAt);
  const after = previous.read_at === null ? -Infinity : Date.parse(previous.read_at);
  return new Date(Math.min(now.getTime(), Math.max(written, after))).toISOString();
}

export const noSightings = (): FleetSightings => ({ read_at: null, hosts: {}, told: { stale: [], untrusted: [], failed: {} } });

/** What a read found worth telling (of other hosts): hosts gone STALE, failed runs not told before, files gone untrusted. */
export interface FleetNews {
  stale: FleetHost[];
  failures: { host: string; tasks: FleetTask[] }[];
  untrusted: FleetHost[];
}

export interface FleetReading {
  view: FleetView;
  sightings: FleetSightings;
  news: FleetNews;
}

/**
 * Each host's file, read: the newest trusted one among HOST.json and its uploads. Where renaming
 * over a file is no atomic replace (SFTP removes the old file first), a reader may find the upload
 * whole and HOST.json gone for a moment; an upload not yet whole is never taken for the host's file.
 */
function newestOfEachHost(files: readonly { name: string; text: string }[], key: string): ReadHostFile[] {
  const byHost = new Map<string, { main: ReadHostFile | null; uploads: ReadHostFile[] }>();
  for (const { name, text } of files) {
    const upload = PARTIAL.test(name);
    const fileName = upload ? name.replace(PARTIAL, HOST_FILE_SUFFIX) : name;
    const read = readHostFile(fileName, text, key);
    const entry = byHost.get(read.host) ?? { main: null, uploads: [] };
    if (upload) entry.uploads.push(read);
    else entry.main = read;
    byHost.set(read.host, entry);
  }
  const newest: ReadHostFile[] = [];
  for (const { main, uploads } of byHost.values()) {
    const trusted = [main, ...uploads].filter((r): r is Extract<ReadHostFile, { trusted: true }> => r?.trusted === true);
    trusted.sort((a, b) => Date.parse(b.report.written_at) - Date.parse(a.report.written_at));
    const pick = trusted[0] ?? main;
    if (pick) newest.push(pick);
  }
  return newest;
}

/** The fleet from the files of its folder: each host trusted or not, stale or not, with its tasks and counts. */
export function readFleet(
  files: readonly { name: string; text: string }[],
  context: { key: string; self: string; folder: string; staleAfter: string; staleAfterMs: number; now: Date; previous: FleetSightings },
): FleetReading {
  const { now, previous } = context;
  const sightings: FleetSightings = { read_at: now.toISOString(), hosts: {}, told: { stale: [], untrusted: [], failed: {} } };
  const hosts: FleetHost[] = [];
  for (const read of newestOfEachHost(files, context.key)) {
    if (!read.trusted) {
      hosts.push({ host: read.host, trusted: false, problem: read.problem, stale: false, last_seen: null, written_at: null, cloudsync: null, rclone: null, serial: null, counts: emptyCounts(), overdue: 0, tasks: [] });
      continue;
    }
    const { report } = read;
    const seen = lastSeen(previous, read.host, read.signature, report.written_at, now);
    sightings.hosts[read.host] = { signature: read.signature, seen_at: seen };
    const counts = emptyCounts();
    for (const task of report.tasks) if (task.state in counts) counts[task.state]++;
    hosts.push({
      host: read.host,
      trusted: true,
      problem: null,
      stale: now.getTime() - Date.parse(seen) > context.staleAfterMs,
      last_seen: seen,
      written_at: report.written_at,
      cloudsync: report.cloudsync,
      rclone: report.rclone,
      serial: report.serial,
      counts,
      overdue: report.tasks.filter((t) => t.overdue).length,
      tasks: report.tasks,
    });
  }
  hosts.sort((a, b) => a.host.localeCompare(b.host));
  const counts = emptyCounts();
  for (const host of hosts) for (const state of STATES) counts[state] += host.counts[state];

  // News of the other hosts (this one tells of itself), each thing told once.
  const others = hosts.filter((h) => h.host !== context.self);
  const stale = others.filter((h) => h.stale);
  sightings.told.stale = stale.map((h) => h.host);
  const failures: FleetNews["failures"] = [];
  for (const host of others.filter((h) => h.trusted)) {
    const failed = host.tasks.filter((t) => t.last_run?.state === "FAILED");
    const keys = failed.map((t) => `${t.name}@${t.last_run!.id}`);
    if (keys.length > 0) sightings.told.failed[host.host] = keys;
    const told = new Set(previous.told.failed[host.host] ?? []);
    const fresh = failed.filter((_, i) => !told.has(keys[i]!));
    if (fresh.length > 0) failures.push({ host: host.host, tasks: fresh });
  }
  const untrusted = others.filter((h) => !h.trusted);
  sightings.told.untrusted = untrusted.map((h) => h.host);
  return {
    view: { folder: context.folder, read_at: now.toISOString(), stale_after: context.staleAfter, self: context.self, hosts, counts },
    sightings,
    news: {
      stale: stale.filter((h) => !previous.told.stale.includes(h.host)),
      failures,
      untrusted: untrusted.filter((h) => !previous.told.untrusted.includes(h.host)),
    },
  };
}
