// Metrics as Prometheus reads them: /metrics from the service and the textfile
// (with and without a service), each checked by promtool.
import { spawn, execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, tempDir, testEnv } from "../helpers/cli.js";
import { freePort } from "../helpers/servers.js";
import { writeTree } from "../helpers/tree.js";
import { until } from "../helpers/wait.js";
import { Workspace } from "../helpers/workspace.js";

const base = tempDir();
afterAll(() => base.remove());
const promtool = (text: string) => execFileSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
const value = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

function workspace(name: string, metrics: Record<string, string>) {
  const source = join(base.path, `${name}-source`);
  writeTree(source, { "a.txt": "hello", "b.txt": "world!" });
  const ws = new Workspace(join(base.path, name));
  const config = {
    settings: { metrics },
    credentials: { disk: { type: "local" } },
    tasks: {
      good: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: join(base.path, `${name}-target`), schedule: "0 3 * * *" },
      bad: { direction: "push", transfer_mode: "copy", path: join(base.path, `${name}-missing`), credential: "disk", folder: join(base.path, `${name}-target2`) },
    },
  };
  return { ws, config };
}

describe("metrics", () => {
  it("cloudsync run keeps the textfile for node_exporter without a service", async () => {
    const textfile = join(base.path, "no-service.prom");
    const { ws, config } = workspace("no-service", { textfile });
    await ws.apply(config);
    expect((await ws.run("good")).result.state).toBe("SUCCESS");
    expect((await ws.run("bad")).result.state).toBe("FAILED");
    const text = readFileSync(textfile, "utf8");
    promtool(text);
    expect(value(text, 'cloudsync_task_last_run_state{task="good",state="SUCCESS"}')).toBe(1);
    expect(value(text, 'cloudsync_task_last_run_state{task="bad",state="FAILED"}')).toBe(1);
    expect(value(text, 'cloudsync_task_runs_total{task="bad",state="FAILED"}')).toBe(1);
    expect(value(text, 'cloudsync_task_last_run_bytes{task="good"}')).toBe(11);
    expect(value(text, 'cloudsync_task_last_success_timestamp_seconds{task="bad"}')).toBeUndefined();
    expect(value(text, 'cloudsync_task_next_run_timestamp_seconds{task="good"}')).toBeGreaterThan(Date.now() / 1000);
    // Counters outlive pruned records: they are kept on their own.
    expect((await ws.run("bad")).result.state).toBe("FAILED");
    expect(value(readFileSync(textfile, "utf8"), 'cloudsync_task_runs_total{task="bad",state="FAILED"}')).toBe(2);
    // The textfile's directory is often another group's (node_exporter's): a link at the name a temporary file would
    // have had, were it predictable, is not followed (the command's pid is the shell's after exec).
    const victim = join(base.path, "victim.txt");
    writeFileSync(victim, "mine");
    const planted = await execa("sh", ["-c", `ln -s ${victim} ${base.path}/.$$.cloudsync-metrics.tmp; exec node ${CLI} run good`], { cwd: ws.dir, env: testEnv(), reject: false });
    expect(planted.exitCode, planted.stderr).toBe(0);
    expect(readFileSync(victim, "utf8")).toBe("mine");
  }, 30_000);

  it("hundreds of idle connections (more than the service's file descriptors) neither stop nor crash it", async () => {
    const metricsPort = await freePort();
    const webPort = await freePort();
    const { ws, config } = workspace("crowded", { listen: `127.0.0.1:${metricsPort}` });
    await ws.apply({ ...config, settings: { ...config.settings, web: { listen: `127.0.0.1:${webPort}` } } });
    // 256 file descriptors, as a tight systemd unit or container might give.
    const child = spawn("sh", ["-c", `ulimit -n 256 && exec ${process.execPath} ${CLI} watch`], { cwd: ws.dir, env: testEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    const sockets: Socket[] = [];
    try {
      await until(() => /serving metrics on/.test(log) && /serving the dashboard on/.test(log), "both servers listen");
      for (let i = 0; i < 300; i++) {
        const socket = connect(i % 2 === 0 ? metricsPort : webPort, "127.0.0.1");
        socket.on("error", () => undefined);
        sockets.push(socket);
      }
      // While they are held, the file is saved (watching and applying it needs file descriptors too).
      await new Promise((resolve) => setTimeout(resolve, 500));
      const file = join(ws.dir, "cloudsync.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("0 3 * * *", "0 4 * * *"));
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(child.exitCode).toBeNull();
      for (const socket of sockets) socket.destroy();
      // Still serving, and the save is applied (now or on the service's own look a few seconds later).
      await until(async () => (await fetch(`http://127.0.0.1:${metricsPort}/metrics`).then((r) => r.status, () => 0)) === 200, "metrics answer again");
      await until(() => /0 4 \* \* \*/.test(log), "the save is applied", 20_000);
      expect(child.exitCode).toBeNull();
      expect(log).not.toMatch(/EMFILE[\s\S]*\n\s+at /);
    } finally {
      for (const socket of sockets) socket.destroy();
      child.kill("SIGTERM");
      await exited;
    }
  }, 60_000);

  it("watch serves /metrics and rewrites the textfile after each run; promtool accepts both", async () => {
    const port = await freePort();
    const textfile = join(base.path, "service.prom");
    const { ws, config } = workspace("service", { listen: `127.0.0.1:${port}`, textfile });
    config.tasks.good.schedule = "* * * * * *";
    await ws.apply(config);
    const child = spawn(process.execPath, [CLI, "watch"], { cwd: ws.dir, env: testEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    const exited = new Promise((resolve) => child.on("exit", resolve));
    try {
      await until(() => /serving metrics on/.test(log), "metrics are served");
      let scraped = "";
      await until(async () => {
        scraped = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return (value(scraped, 'cloudsync_task_runs_total{task="good",state="SUCCESS"}') ?? 0) >= 1;
      }, "a scheduled run shows in /metrics");
      promtool(scraped);
      expect(value(scraped, "cloudsync_config_last_reload_success")).toBe(1);
      expect(value(scraped, 'cloudsync_task_enabled{task="bad"}')).toBe(1);
      expect(scraped).toMatch(/^cloudsync_build_info\{version="0\.1\.0",rclone_version="v[^"]+"\} 1$/m);
      expect(scraped).toContain("process_cpu_user_seconds_total");
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      // Without gzip (fetch asks for it): the same series, the whole body as its length says.
      const plain = await new Promise<{ body: string; length: number; encoding: string | undefined }>((resolve, reject) =>
        get({ host: "127.0.0.1", port, path: "/metrics" }, (response) => {
          let body = "";
          response.setEncoding("utf8").on("data", (chunk: string) => (body += chunk));
          response.on("end", () => resolve({ body, length: Number(response.headers["content-length"]), encoding: response.headers["content-encoding"] }));
        }).on("error", reject),
      );
      expect(plain.encoding).toBeUndefined();
      expect(Buffer.byteLength(plain.body)).toBe(plain.length);
      promtool(plain.body);
      expect(value(plain.body, 'cloudsync_task_enabled{task="bad"}')).toBe(1);
      promtool(readFileSync(textfile, "utf8"));
      expect(value(readFileSync(textfile, "utf8"), 'cloudsync_task_runs_total{task="good",state="SUCCESS"}')).toBeGreaterThanOrEqual(1);
      // A rejected edit shows as a failed reload.
      const file = join(ws.dir, "cloudsync.yaml");
      writeFileSync(file, `${readFileSync(file, "utf8")}\nbogus: 1\n`);
      await until(async () => value(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text(), "cloudsync_config_last_reload_success") === 0, "the failed reload shows");
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  }, 30_000);
});
