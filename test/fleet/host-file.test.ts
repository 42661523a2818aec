import { describe, expect, it } from "vitest";
import { fleetHostName, heartbeatMs, hostReport, noSightings, readFleet, readHostFile, signedHostFile } from "../../src/fleet/host-file.js";
import type { HostReport } from "../../src/model/fleet.js";
import type { StatusReport, TaskStatus } from "../../src/model/results.js";

const KEY = "the-fleet-key-0123456789";
const MIN = 60_000;

function report(host: string, writtenAt: string, tasks: Partial<HostReport["tasks"][number]>[] = [{}]): HostReport {
  return {
    host,
    written_at: writtenAt,
    every_s: 300,
    cloudsync: "0.1.0",
    rclone: "v1.60.1",
    serial: 3,
    tasks: tasks.map((t, i) => ({ name: `t${i}`, enabled: true, state: "SUCCESS", last_run: null, last_success: null, next_run: null, overdue: false, held: false, destinations: null, ...t })),
  };
}

const file = (r: HostReport, key = KEY) => ({ name: `${r.host}.json`, text: signedHostFile(r, key) });
const context = (now: string, previous = noSightings()) => ({ key: KEY, self: "me", folder: "nas:fleet", staleAfter: "15m", staleAfterMs: 15 * MIN, now: new Date(now), previous });

describe("a host's file", () => {
  it("reads back what was signed; another key, a changed byte, a cut file or another host's name is untrusted", () => {
    const r = report("nas-1", "2026-12-07T10:00:00Z");
    const text = signedHostFile(r, KEY);
    expect(readHostFile("nas-1.json", text, KEY)).toMatchObject({ trusted: true, host: "nas-1", report: r });
    expect(readHostFile("nas-1.json", text, "another-key-0123456789")).toMatchObject({ trusted: false, problem: expect.stringMatching(/signature does not match/) });
    expect(readHostFile("nas-1.json", text.replace('"SUCCESS"', '"FAILED"'), KEY)).toMatchObject({ trusted: false, problem: expect.stringMatching(/signature/) });
    expect(readHostFile("nas-1.json", text.slice(0, text.length / 2), KEY)).toMatchObject({ trusted: false, problem: expect.stringMatching(/does not read whole/) });
    expect(readHostFile("nas-2.json", text, KEY)).toMatchObject({ trusted: false, host: "nas-2", problem: expect.stringMatching(/names another host \(nas-1\)/) });
    expect(readHostFile("x.json", "[1,2]", KEY)).toMatchObject({ trusted: false, problem: expect.stringMatching(/not a cloudsync fleet file/) });
    // A file name with a terminal escape in it is shown quoted, the escape spelled out.
    expect(readHostFile("\u001b[2Jevil.json", text, KEY)).toEqual({ trusted: false, host: '"\\u001b[2Jevil"', problem: "its name is no host's name" });
  });

  it("reports tasks as status sees them, never more: no paths, remotes or descriptions", () => {
    const task = { name: "photos", enabled: true, state: "HELD", description: "secret plans", path: "/mnt/private", remote: "b2:bucket", last_run: { id: "r1", state: "HELD", finished_at: "2026-12-07T03:00:10Z", error: "held" }, last_success: { run_id: "r0", finished_at: "2026-12-06T03:00:10Z" }, next_run: "2026-12-08T03:00:00Z", overdue: true, destinations: [{ name: "b2", remote: "b2:x", state: "HELD", last_run_id: "r1", finished_at: "2026-12-07T03:00:10Z", error: null }] } as unknown as TaskStatus;
    const status = { serial: 7, tasks: [task] } as unknown as StatusReport;
    const r = hostReport(status, { host: "nas-1", now: new Date("2026-12-07T10:00:00Z"), everyMs: 5 * MIN, cloudsync: "0.1.0", rclone: null });
    expect(r).toEqual({
      host: "nas-1",
      written_at: "2026-12-07T10:00:00.000Z",
      every_s: 300,
      cloudsync: "0.1.0",
      rclone: null,
      serial: 7,
      tasks: [{ name: "photos", enabled: true, state: "HELD", last_run: { id: "r1", state: "HELD", finished_at: "2026-12-07T03:00:10Z", error: "held" }, last_success: "2026-12-06T03:00:10Z", next_run: "2026-12-08T03:00:00Z", overdue: true, held: true, destinations: [{ name: "b2", state: "HELD", finished_at: "2026-12-07T03:00:10Z", error: null }] }],
    });
    expect(JSON.stringify(r)).not.toMatch(/secret plans|mnt\/private|b2:bucket/);
  });

  it("host names fit file names; hosts write often enough never to look stale", () => {
    expect(fleetHostName("nas 1.local")).toBe("nas-1.local");
    expect(fleetHostName("-_")).toBe("host");
    expect(heartbeatMs(15 * MIN)).toBe(5 * MIN);
    expect(heartbeatMs(6_000)).toBe(2_000);
  });
});

describe("reading the fleet", () => {
  it("counts per host and across trusted hosts; untrusted files are listed apart and never merged", () => {
    const files = [file(report("a", "2026-12-07T10:00:00Z", [{ state: "FAILED" }, {}])), file(report("b", "2026-12-07T10:00:00Z", [{}]), "wrong-key-0123456789"), { name: "c.json", text: '{"cloudsync_fleet":1,"rep' }];
    const { view } = readFleet(files, context("2026-12-07T10:01:00Z"));
    expect(view.hosts.map((h) => [h.host, h.trusted])).toEqual([["a", true], ["b", false], ["c", false]]);
    expect(view.counts).toMatchObject({ FAILED: 1, SUCCESS: 1 });
    expect(view.hosts[1]).toMatchObject({ tasks: [], counts: { SUCCESS: 0 }, last_seen: null });
  });

  it("takes a host's newest whole file among HOST.json and its uploads: SFTP's rename leaves a moment with only the upload", () => {
    const older = signedHostFile(report("a", "2026-12-07T10:00:00Z"), KEY);
    const newer = signedHostFile(report("a", "2026-12-07T10:05:00Z", [{ state: "FAILED" }]), KEY);
    const only = readFleet([{ name: "a.json.partial-0a1b2c3d", text: newer }], context("2026-12-07T10:06:00Z"));
    expect(only.view.hosts).toMatchObject([{ host: "a", trusted: true, written_at: "2026-12-07T10:05:00Z" }]);
    const leftover = readFleet([{ name: "a.json", text: newer }, { name: "a.json.partial-00000000", text: older }], context("2026-12-07T10:06:00Z"));
    expect(leftover.view.hosts).toMatchObject([{ host: "a", trusted: true, written_at: "2026-12-07T10:05:00Z" }]);
    // An upload not yet whole is never the host's file; with none whole, nothing is listed.
    expect(readFleet([{ name: "b.json.partial-0a1b2c3d", text: newer.slice(0, 40) }], context("2026-12-07T10:06:00Z")).view.hosts).toEqual([]);
    expect(readFleet([{ name: "a.json", text: older }, { name: "a.json.partial-0a1b2c3d", text: newer.slice(0, 40) }], context("2026-12-07T10:06:00Z")).view.hosts).toMatchObject([{ host: "a", trusted: true, written_at: "2026-12-07T10:00:00Z" }]);
  });

  it("a host silent longer than stale_after is STALE, judged on the reader's clock whatever the host's says", () => {
    // First read: the host's own time is believed, but never in the future.
    const ahead = readFleet([file(report("a", "2026-12-07T12:00:00Z"))], context("2026-12-07T10:00:00Z"));
    expect(ahead.view.hosts[0]).toMatchObject({ stale: false, last_seen: "2026-12-07T10:00:00.000Z" });
    const old = readFleet([file(report("a", "2026-12-07T09:00:00Z"))], context("2026-12-07T10:00:00Z"));
    expect(old.view.hosts[0]).toMatchObject({ stale: true, last_seen: "2026-12-07T09:00:00.000Z" });

    // A host whose clock is two hours behind, writing every 5 minutes, read every minute: never stale.
    let sightings = noSightings();
    let reading = readFleet([file(report("a", "2026-12-07T08:00:00Z"))], context("2026-12-07T10:00:00Z"));
    for (let minute = 1; minute <= 30; minute++) {
      const hostTime = new Date(Date.parse("2026-12-07T08:00:00Z") + Math.floor(minute / 5) * 5 * MIN).toISOString();
      sightings = reading.sightings;
      reading = readFleet([file(report("a", hostTime))], context(new Date(Date.parse("2026-12-07T10:00:00Z") + minute * MIN).toISOString(), sightings));
      if (minute > 1) expect(reading.view.hosts[0]!.stale).toBe(false);
    }
    // Then it stops writing: STALE 15 minutes (of the reader's clock) after its file last changed.
    const lastChange = Date.parse(reading.view.hosts[0]!.last_seen!);
    const silent = readFleet([file(report("a", new Date("2026-12-07T08:30:00Z").toISOString()))], context(new Date(lastChange + 16 * MIN).toISOString(), reading.sightings));
    expect(silent.view.hosts[0]!.stale).toBe(true);
  });

  it("tells a host gone STALE once, each failed run of another host once, an untrusted file once; never of itself", () => {
    const failed = (host: string, run: string) => file(report(host, "2026-12-07T10:00:00Z", [{ state: "FAILED", last_run: { id: run, state: "FAILED", finished_at: "2026-12-07T09:59:00Z", error: "boom" } }]));
    const first = readFleet([failed("me", "m1"), failed("b", "r1"), { name: "x.json", text: "{" }], context("2026-12-07T10:00:30Z"));
    expect(first.news.failures.map((f) => [f.host, f.tasks[0]!.last_run!.id])).toEqual([["b", "r1"]]);
    expect(first.news.untrusted.map((h) => h.host)).toEqual(["x"]);
    const again = readFleet([failed("me", "m1"), failed("b", "r1"), { name: "x.json", text: "{" }], context("2026-12-07T10:01:30Z", first.sightings));
    expect(again.news).toEqual({ stale: [], failures: [], untrusted: [] });
    const next = readFleet([failed("me", "m2"), failed("b", "r2")], context("2026-12-07T10:20:00Z", again.sightings));
    expect(next.news.failures.map((f) => f.tasks[0]!.last_run!.id)).toEqual(["r2"]);
    expect(next.news.stale.map((h) => h.host)).toEqual(["b"]);
    const still = readFleet([failed("me", "m2"), failed("b", "r2")], context("2026-12-07T10:21:00Z", next.sightings));
    expect(still.news.stale).toEqual([]);
  });
});
