// Notifications end to end: the built CLI and service against real receivers
// on 127.0.0.1 (HTTP for webhook, Slack, Discord, ntfy and healthchecks; an
// SMTP server for mail; a program for command channels).
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { execa } from "execa";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, tempDir, testEnv } from "../helpers/cli.js";
import { httpReceiver, smtpReceiver } from "../helpers/receivers.js";
import { writeTree } from "../helpers/tree.js";
import { until } from "../helpers/wait.js";
import { Workspace } from "../helpers/workspace.js";

const base = tempDir();
let http: Awaited<ReturnType<typeof httpReceiver>>;
beforeAll(async () => {
  http = await httpReceiver();
});
afterAll(async () => {
  await http.close();
  base.remove();
});

let counter = 0;
const fresh = (name: string) => join(base.path, `${name}-${++counter}`);
const SECRETS = { HOOK_KEY: "hookkey-0123456789abcdef", HOOK_TOKEN: "hook-token-9f8e7d6c", HC_KEY: "hcpingkey-abcdefghij0123", NTFY_TOKEN: "tk_ntfysecret12345", SMTP_PASS: "smtp-pass-q1w2e3r4" };
const disk = { disk: { type: "local" } };
const task = (path: string, extra: Record<string, unknown> = {}) => ({ direction: "push", transfer_mode: "copy", path, credential: "disk", folder: fresh("target"), ...extra });
const existing = () => {
  const dir = fresh("source");
  writeTree(dir, { "a.txt": "a" });
  return dir;
};

describe("notifications of a manual run", () => {
  it("a failure reaches webhook, Slack, Discord, ntfy and healthchecks, each in its own format; the next success is 'recovered'", async () => {
    const ws = new Workspace(fresh("ws"), SECRETS);
    const missing = join(base.path, "not-mounted");
    const notifications = {
      hook: { type: "webhook", url: http.url("/hook/${HOOK_KEY}"), headers: { Authorization: "Bearer ${HOOK_TOKEN}" } },
      slack: { type: "slack", url: http.url("/slack/T00/B00/xyz") },
      discord: { type: "discord", url: http.url("/discord/123/abc") },
      ntfy: { type: "ntfy", url: http.url("/ntfy/backups"), token: "${NTFY_TOKEN}" },
      hc: { type: "healthchecks", url: http.url("/ping/${HC_KEY}/{task}") },
    };
    await ws.apply({ settings: { notify: ["hook", "slack", "discord", "ntfy", "hc"] }, notifications, credentials: disk, tasks: { nightly: task(missing) } });
    const failed = await ws.run("nightly");
    expect(failed.code).toBe(1);
    const runId = failed.result.run_id as string;

    const hook = await http.waitFor((r) => r.path === `/hook/${SECRETS.HOOK_KEY}`, "the webhook");
    expect(hook.method).toBe("POST");
    expect(hook.headers["content-type"]).toBe("application/json");
    expect(hook.headers.authorization).toBe(`Bearer ${SECRETS.HOOK_TOKEN}`);
    const body = JSON.parse(hook.body);
    expect(body).toMatchObject({ event: "failure", task: "nightly", host: expect.any(String), diagnostics: null, cloudsync_version: "0.1.0", run: { id: runId, state: "FAILED", kind: "run", error: expect.stringContaining("does not exist") } });
    expect(body.message).toContain(`Run ${runId} of nightly: FAILED`);
    expect(Object.keys(body).sort()).toEqual(["cloudsync_version", "diagnostics", "event", "host", "message", "run", "task"]);

    const slack = JSON.parse((await http.waitFor((r) => r.path === "/slack/T00/B00/xyz", "slack")).body);
    expect(slack.text).toMatch(/^\*cloudsync: nightly FAILED\*\nRun \S+ of nightly: FAILED/);
    const discord = JSON.parse((await http.waitFor((r) => r.path === "/discord/123/abc", "discord")).body);
    expect(discord).toMatchObject({ username: "cloudsync", content: expect.stringMatching(/^\*\*cloudsync: nightly FAILED\*\*\n/) });
    const ntfy = await http.waitFor((r) => r.path === "/ntfy/backups", "ntfy");
    expect(ntfy.headers).toMatchObject({ title: "cloudsync: nightly FAILED", priority: "4", tags: "rotating_light", authorization: `Bearer ${SECRETS.NTFY_TOKEN}` });
    expect(ntfy.body).toContain("does not exist");

    const start = await http.waitFor((r) => r.path === `/ping/${SECRETS.HC_KEY}/nightly/start`, "the healthchecks start ping");
    const fail = await http.waitFor((r) => r.path === `/ping/${SECRETS.HC_KEY}/nightly/fail`, "the healthchecks fail ping");
    expect(start.query.get("rid")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fail.query.get("rid")).toBe(start.query.get("rid"));
    expect(fail.body).toContain("The log's last lines:");
    expect(fail.body).toContain(`--- run ${runId} FAILED`);
    // The default events leave out start and success for everyone but healthchecks.
    expect(http.requests.filter((r) => r.path.startsWith("/hook/")).map((r) => JSON.parse(r.body).event)).toEqual(["failure"]);
    // Each delivery is noted in the run's log.
    expect(await ws.log("nightly")).toMatch(/--- notified hook \(webhook\) of failure/);

    writeTree(missing, { "a.txt": "back" });
    const ok = await ws.run("nightly");
    expect(ok.result.state).toBe("SUCCESS");
    const recovered = await http.waitFor((r) => r.path.startsWith("/hook/") && JSON.parse(r.body).event === "recovered", "recovered");
    expect(JSON.parse(recovered.body)).toMatchObject({ task: "nightly", run: { id: ok.result.run_id, state: "SUCCESS" } });
    await http.waitFor((r) => r.path === `/ping/${SECRETS.HC_KEY}/nightly` && r.query.get("rid") !== start.query.get("rid"), "the healthchecks success ping");
    // A dry run tells nobody.
    const before = http.requests.length;
    expect((await ws.run("nightly", "--dry-run")).result.state).toBe("SUCCESS");
    expect(http.requests.length).toBe(before);
  }, 60_000);

  it("a run held at max_delete is the 'held' event by default, a failure ping for healthchecks, and approve says who let it through", async () => {
    const ws = new Workspace(fresh("ws"), SECRETS);
    const source = fresh("source");
    writeTree(source, { "a.txt": "a", "b.txt": "b", "c.txt": "c" });
    const notifications = { hook: { type: "webhook", url: http.url("/held/${HOOK_KEY}") }, hc: { type: "healthchecks", url: http.url("/held-ping/${HC_KEY}/{task}") } };
    await ws.apply({ settings: { notify: ["hook", "hc"] }, notifications, credentials: disk, tasks: { mirror: task(source, { transfer_mode: "sync", max_delete: 1 }) } });
    expect((await ws.run("mirror")).result.state).toBe("SUCCESS");
    writeTree(source, { "z.txt": "z" });
    for (const name of ["a.txt", "b.txt", "c.txt"]) rmSync(join(source, name));
    const held = await ws.run("mirror");
    expect(held).toMatchObject({ code: 1, result: { state: "HELD", deletes: 1 } });
    const hook = JSON.parse((await http.waitFor((r) => r.path.startsWith("/held/"), "the held webhook")).body);
    expect(hook).toMatchObject({ event: "held", task: "mirror", run: { state: "HELD" }, message: expect.stringMatching(/HELD/) });
    await http.waitFor((r) => r.path === `/held-ping/${SECRETS.HC_KEY}/mirror/fail`, "the healthchecks fail ping");
    const approved = await ws.cli(["approve", "mirror"]);
    expect(approved).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Approved: the next run of mirror may delete beyond max_delete, once \(run \S+ was held; approved by \S+/) });
    expect((await ws.run("mirror")).result).toMatchObject({ state: "SUCCESS", deletes: 2 });
  }, 60_000);

  it("email goes out through SMTP with a login, and through SMTPS with TLS", async () => {
    const smtp = await smtpReceiver({ user: "alerts", pass: SECRETS.SMTP_PASS });
    const keyFile = fresh("key.pem");
    const certFile = fresh("cert.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
    const smtps = await smtpReceiver({ secure: true, key: readFileSync(keyFile, "utf8"), cert: readFileSync(certFile, "utf8") });
    try {
      const ws = new Workspace(fresh("ws"), { ...SECRETS, NODE_EXTRA_CA_CERTS: certFile });
      await ws.apply({
        notifications: {
          mail: { type: "email", smtp: `smtp://127.0.0.1:${smtp.port}`, user: "alerts", password: "${SMTP_PASS}", from: "cloudsync@example.com", to: ["ops@example.com", "me@example.com"] },
          tls: { type: "email", smtp: `smtps://127.0.0.1:${smtps.port}`, from: "cloudsync@example.com", to: ["ops@example.com"] },
        },
        credentials: disk,
        tasks: { t: task(join(base.path, "missing-for-mail"), { notify: ["mail", "tls"] }) },
      });
      expect((await ws.run("t")).code).toBe(1);
      const mail = await smtp.waitFor(() => true, "the mail");
      expect(mail).toMatchObject({ from: "cloudsync@example.com", to: ["ops@example.com", "me@example.com"], user: "alerts" });
      expect(mail.data).toMatch(/^Subject: cloudsync: t FAILED/m);
      expect(mail.data).toContain("does not exist");
      const secure = await smtps.waitFor(() => true, "the mail over TLS");
      expect(secure.data).toMatch(/^Subject: cloudsync: t FAILED/m);
    } finally {
      await smtp.close();
      await smtps.close();
    }
  }, 60_000);

  it("a command channel gets the event in CLOUDSYNC_ variables, and no secret", async () => {
    const dump = fresh("command-env.json");
    const ws = new Workspace(fresh("ws"), { ...SECRETS, UNRELATED: "kept" });
    await ws.apply({
      notifications: {
        hook: { type: "webhook", url: http.url("/never/${HOOK_KEY}") },
        run: { type: "command", command: [process.execPath, "-e", `require("fs").writeFileSync(${JSON.stringify(dump)}, JSON.stringify(process.env))`], events: ["failure"] },
      },
      credentials: disk,
      tasks: { t: task(join(base.path, "missing-for-command"), { notify: ["run"] }) },
    });
    const run = await ws.run("t");
    await until(() => {
      try {
        return JSON.parse(readFileSync(dump, "utf8")).CLOUDSYNC_EVENT === "failure";
      } catch {
        return false;
      }
    }, "the command ran");
    const env = JSON.parse(readFileSync(dump, "utf8")) as Record<string, string>;
    expect(env).toMatchObject({ CLOUDSYNC_EVENT: "failure", CLOUDSYNC_TASK: "t", CLOUDSYNC_RUN_ID: run.result.run_id, CLOUDSYNC_STATE: "FAILED", CLOUDSYNC_ERROR: expect.stringContaining("does not exist"), UNRELATED: "kept" });
    // HOOK_KEY is in a channel's URL, so a secret of the configuration; SMTP_PASS is not used here and is the user's business.
    expect(env.HOOK_KEY).toBeUndefined();
    expect(JSON.stringify(env)).not.toContain(SECRETS.HOOK_KEY);
    expect(env.SMTP_PASS).toBe(SECRETS.SMTP_PASS);
  }, 30_000);

  it("channels that refuse, do not resolve or never answer change neither the run's outcome nor its exit beyond the bound", async () => {
    // Port 2: below the range the kernel hands out, so no other test's server can take it (fetch refuses port 1).
    const closed = 2;
    // A server that accepts and then says nothing.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", () => resolve()));
    const silentPort = (silent.address() as { port: number }).port;
    try {
      const ws = new Workspace(fresh("ws"));
      await ws.apply({
        settings: { notify: ["refused", "unknown", "silent"] },
        notifications: {
          refused: { type: "webhook", url: `http://127.0.0.1:${closed}/hook`, events: ["success", "failure"] },
          unknown: { type: "webhook", url: "http://no-such-host.invalid/hook", events: ["success", "failure"] },
          silent: { type: "webhook", url: `http://127.0.0.1:${silentPort}/hook`, events: ["success", "failure"] },
        },
        credentials: disk,
        tasks: { t: task(existing()) },
      });
      const run = await ws.run("t");
      expect(run.code).toBe(0);
      expect(run.result.state).toBe("SUCCESS");
      expect(run.stderr).toContain("notifications still being delivered after 5 s were given up");
      const log = await ws.log("t");
      expect(log).toMatch(/--- notification to refused \(webhook\) of success failed: http:\/\/127\.0\.0\.1:\d+\/…: connection refused \(3 attempts\)/);
      expect(log).toMatch(/--- notification to unknown \(webhook\) of success failed: http:\/\/no-such-host\.invalid\/…: the host name does not resolve \(3 attempts\)/);
      expect(run.stderr).toMatch(/warning: notification to refused \(webhook\) of success for t failed/);
    } finally {
      silent.close();
    }
  }, 60_000);
});

describe("a receiver that answers without end", () => {
  it("is read a few KB and let go: the run's memory stays small and it ends within the bound", async () => {
    // Answers every request with an error and a body that never ends, as fast as it can.
    const endless = createHttpServer((_request, response) => {
      response.writeHead(500, { "content-type": "text/plain" });
      const chunk = Buffer.alloc(64 * 1024, 120);
      const pump = () => {
        while (!response.destroyed && response.write(chunk));
        if (!response.destroyed) response.once("drain", pump);
      };
      pump();
    });
    await new Promise<void>((resolve) => endless.listen(0, "127.0.0.1", () => resolve()));
    const port = (endless.address() as { port: number }).port;
    try {
      const ws = new Workspace(fresh("ws"));
      await ws.apply({
        settings: { notify: ["endless"] },
        notifications: { endless: { type: "webhook", url: `http://127.0.0.1:${port}/hook`, events: ["success"] } },
        credentials: disk,
        tasks: { t: task(existing()) },
      });
      // GNU time gives the run's peak resident memory (KB) on its last line.
      const measured = await execa("/usr/bin/time", ["-f", "%M", process.execPath, CLI, "run", "t", "--json"], { cwd: ws.dir, env: testEnv(), reject: false });
      expect(JSON.parse(measured.stdout)).toMatchObject({ state: "SUCCESS" });
      const peakKb = Number(measured.stderr.trim().split("\n").at(-1));
      expect(peakKb).toBeLessThan(300 * 1024);
      expect(await ws.log("t")).toMatch(/--- notification to endless \(webhook\) of success failed: .*HTTP 500: x{10}/);
    } finally {
      endless.closeAllConnections();
      endless.close();
    }
  }, 60_000);
});

describe("notify test", () => {
  it("sends a test event and says whether it arrived", async () => {
    // Port 2: below the range the kernel hands out, so no other test's server can take it (fetch refuses port 1).
    const closed = 2;
    const ws = new Workspace(fresh("ws"), SECRETS);
    writeFileSync(
      join(ws.dir, "cloudsync.yaml"),
      JSON.stringify({
        version: 1,
        notifications: {
          hook: { type: "webhook", url: http.url("/test-hook/${HOOK_KEY}") },
          hc: { type: "healthchecks", url: http.url("/test-ping/${HC_KEY}/{task}") },
          down: { type: "slack", url: `http://127.0.0.1:${closed}/x` },
        },
      }),
    );
    const ok = await ws.cli(["notify", "test", "hook"]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("channel hook (webhook): delivered\n");
    expect(JSON.parse((await http.waitFor((r) => r.path.startsWith("/test-hook/"), "the test event")).body)).toMatchObject({ event: "test", task: null, run: null });

    const needsTask = await ws.cli(["notify", "test", "hc"]);
    expect(needsTask.code).toBe(1);
    expect(needsTask.stderr).toContain("say which, with --task TASK");
    expect((await ws.cli(["notify", "test", "hc", "--task", "photos"])).code).toBe(0);
    // healthchecks' /log endpoint: noted, without changing the check's state.
    await http.waitFor((r) => r.path === `/test-ping/${SECRETS.HC_KEY}/photos/log`, "the log ping");

    const down = await ws.cli(["notify", "test", "down", "--json"]);
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)).toEqual({ channel: "down", type: "slack", source: "file", delivered: false, error: expect.stringMatching(/connection refused \(3 attempts\)$/), attempts: null });
    const unknown = await ws.cli(["notify", "test", "hoook"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no notification channel named hoook");
  }, 30_000);
});

describe("notifications from the service", () => {
  it("a scheduled failure, an overdue task (once per episode, across restarts) and a rejected edit reach the receiver", async () => {
    const ws = new Workspace(fresh("ws"), SECRETS);
    const config = {
      settings: { notify: ["hook"] },
      notifications: { hook: { type: "webhook", url: http.url("/service/${HOOK_KEY}") } },
      credentials: disk,
      tasks: {
        failing: task(join(base.path, "missing-for-service"), { schedule: "*/2 * * * * *" }),
        stale: task(existing(), { max_age: "1h" }),
      },
    };
    await ws.apply(config);
    // Applied long ago, and never a success since: overdue.
    const statePath = join(ws.stateDir, "state.json");
    writeFileSync(statePath, JSON.stringify({ ...JSON.parse(readFileSync(statePath, "utf8")), applied_at: "2020-01-01T00:00:00.000Z" }));
    const events = () => http.requests.filter((r) => r.path.startsWith("/service/")).map((r) => JSON.parse(r.body) as { event: string; task: string | null; diagnostics: unknown });
    const start = () => {
      const child = spawn(process.execPath, [CLI, "watch"], { cwd: ws.dir, env: testEnv(SECRETS), stdio: ["ignore", "pipe", "pipe"] });
      let log = "";
      child.stdout.on("data", (d) => (log += d));
      child.stderr.on("data", (d) => (log += d));
      const exited = new Promise((resolve) => child.on("exit", resolve));
      return { child, exited, log: () => log };
    };
    const first = start();
    try {
      await until(() => events().some((e) => e.event === "failure" && e.task === "failing"), "the scheduled failure arrives");
      await until(() => events().some((e) => e.event === "overdue" && e.task === "stale"), "the overdue task is told");
    } finally {
      first.child.kill("SIGTERM");
      await first.exited;
    }
    const second = start();
    try {
      await until(() => /watching/.test(second.log()), "the service starts again");
      writeFileSync(join(ws.dir, "cloudsync.yaml"), `${readFileSync(join(ws.dir, "cloudsync.yaml"), "utf8")}\nbogus: true\n`);
      await until(() => events().some((e) => e.event === "config_rejected"), "the rejected edit is told");
      const rejected = events().find((e) => e.event === "config_rejected")!;
      expect(rejected).toMatchObject({ task: null, diagnostics: [expect.objectContaining({ severity: "error", message: expect.stringContaining('unknown key "bogus"') })] });
      // The overdue episode was told once, not again after the restart.
      expect(events().filter((e) => e.event === "overdue")).toHaveLength(1);
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  }, 60_000);
});
