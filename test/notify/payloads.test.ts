import { describe, expect, it } from "vitest";
import type { ChannelSpec } from "../../src/model/config.js";
import { channelsFor } from "../../src/config/notifications.js";
import { displayUrl, httpRequest, pingUrl, runUuid, title, type Notification } from "../../src/notify/payloads.js";

const channel = (overrides: Partial<ChannelSpec>): ChannelSpec => ({ type: "webhook", events: ["failure"], url: "https://hooks.example.com/x", headers: {}, token: null, priority: null, smtp: null, user: null, password: null, from: null, to: [], command: null, ...overrides });
const n: Notification = { event: "failure", task: "photos", host: "nas", message: "Run r1 of photos: FAILED", run: { id: "r1", state: "FAILED" }, diagnostics: null, cloudsync_version: "1.0.0", log_tail: ["line one", "line two"] };

describe("what each channel sends", () => {
  it("webhook: SPEC's JSON body and the channel's headers", () => {
    const request = httpRequest(channel({ headers: { Authorization: "Bearer t" } }), n);
    expect(request.headers).toEqual({ "content-type": "application/json", Authorization: "Bearer t" });
    expect(JSON.parse(request.body)).toEqual({ event: "failure", task: "photos", host: "nas", message: n.message, run: n.run, diagnostics: null, cloudsync_version: "1.0.0" });
  });

  it("slack and discord: their incoming-webhook shapes, discord within its 2,000 characters", () => {
    expect(JSON.parse(httpRequest(channel({ type: "slack" }), n).body).text).toMatch(/^\*cloudsync: photos FAILED\*\nRun r1/);
    const long = { ...n, message: "x".repeat(5000) };
    const discord = JSON.parse(httpRequest(channel({ type: "discord" }), long).body);
    expect(discord.content.length).toBe(2000);
    expect(discord.username).toBe("cloudsync");
  });

  it("ntfy: title, priority by urgency, tags, a token as Bearer", () => {
    const failure = httpRequest(channel({ type: "ntfy", token: "tk_1", priority: 5 }), n);
    expect(failure.headers).toMatchObject({ Title: "cloudsync: photos FAILED", Priority: "5", Tags: "rotating_light", Authorization: "Bearer tk_1" });
    expect(httpRequest(channel({ type: "ntfy" }), { ...n, event: "recovered" }).headers.Priority).toBe("3");
  });

  it("healthchecks: /start, success and /fail on the check's URL, {task} filled in, a run id that pairs them, the query kept", () => {
    const hc = channel({ type: "healthchecks", url: "https://hc.example.com/ping/KEY/{task}?create=1" });
    const start = httpRequest(hc, { ...n, event: "start" });
    const failure = httpRequest(hc, n);
    expect(new URL(start.url).pathname).toBe("/ping/KEY/photos/start");
    expect(new URL(failure.url).pathname).toBe("/ping/KEY/photos/fail");
    expect(new URL(failure.url).searchParams.get("create")).toBe("1");
    expect(new URL(failure.url).searchParams.get("rid")).toBe(runUuid("r1"));
    expect(failure.body).toContain("line two");
    expect(new URL(httpRequest(hc, { ...n, event: "success" }).url).pathname).toBe("/ping/KEY/photos");
    expect(pingUrl("https://hc-ping.com/uuid/", null, "log", null)).toBe("https://hc-ping.com/uuid/log");
    expect(runUuid("r1")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("words a subject; shows where a request goes without its token", () => {
    expect(title({ ...n, event: "config_rejected", task: null })).toBe("cloudsync: configuration rejected on nas");
    expect(displayUrl("https://hooks.slack.com/services/T0/B0/secret")).toBe("https://hooks.slack.com/…");
  });
});

describe("who hears what", () => {
  const config = {
    settings: { notify: ["team"] },
    notifications: { team: channel({ events: ["failure", "recovered"] }), hc: channel({ type: "healthchecks", events: ["start", "success", "failure"] }), ops: channel({ events: ["config_rejected"] }) },
  };
  it("a task uses settings.notify unless it names its own; a channel hears only its events", () => {
    expect(channelsFor(config, { notify: null }, "failure")).toEqual(["team"]);
    expect(channelsFor(config, { notify: null }, "start")).toEqual([]);
    expect(channelsFor(config, { notify: ["hc", "team"] }, "start")).toEqual(["hc"]);
    expect(channelsFor(config, { notify: [] }, "failure")).toEqual([]);
  });

  it("an event about the file reaches every channel that listens for it", () => {
    expect(channelsFor(config, null, "config_rejected")).toEqual(["ops"]);
  });
});
