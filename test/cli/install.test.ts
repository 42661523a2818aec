// The package as a user installs it: `npm pack`, then a global install into a
// prefix of its own, far from this checkout's node_modules. The CLI is one
// bundle, so the install fetches nothing, runs no install script, and every
// part that loads late (mail, the dashboard, metrics) is in it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir, testEnv } from "../helpers/cli.js";
import { smtpReceiver } from "../helpers/receivers.js";
import { taskSpec } from "../helpers/specs.js";
import { freePort } from "../helpers/servers.js";
import { awaitValue } from "../helpers/wait.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let dir: ReturnType<typeof tempDir>;
let packed: { filename: string; files: { path: string }[] };
let installStderr: string;
let bin: string;
const prefix = () => join(dir.path, "prefix");

beforeAll(async () => {
  dir = tempDir();
  // --ignore-scripts: `prepare` would rebuild dist/ under the other test files' feet; the build is already there.
  const output = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir.path], { cwd: root, encoding: "utf8" });
  packed = JSON.parse(output)[0];
  const install = await execa("npm", ["install", "--global", "--prefix", prefix(), "--offline", "--no-audit", "--no-fund", join(dir.path, packed.filename)], { cwd: dir.path, reject: false, env: testEnv() });
  expect(install.exitCode, install.stderr).toBe(0);
  installStderr = install.stderr;
  bin = join(prefix(), "bin", "cloudsync");
}, 120_000);
afterAll(() => dir.remove());

const run = (args: string[], cwd: string, env: Record<string, string> = {}) => execa(bin, args, { cwd, reject: false, env: testEnv({ NO_COLOR: "1", ...env }) });

describe("the npm package", () => {
  it("ships the bundle, the schema, the examples and the papers, and no sources or tests", () => {
    const files = packed.files.map((f) => f.path);
    for (const needed of ["dist/cloudsync.js", "schema/cloudsync.schema.json", "LICENSE", "README.md", "CHANGELOG.md", "package.json"]) expect(files).toContain(needed);
    expect(files.filter((f) => /^(src|test|bench|scripts)\//.test(f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.license).toBe("MIT");
  });

  it("installs globally offline, with no dependency and no warning", () => {
    // npm 11 notes any package with a prepare script, though it runs none for a tarball: that note alone is allowed.
    const warnings = installStderr.split("\n").filter((line) => /warn/i.test(line) && !/^npm warn install-scripts\b/.test(line));
    expect(warnings).toEqual([]);
    const installed = join(prefix(), "lib", "node_modules", "cloudsync");
    expect(existsSync(join(installed, "dist", "cloudsync.js"))).toBe(true);
    expect(existsSync(join(installed, "node_modules"))).toBe(false);
  });

  it("runs from the install: version, init, validate, apply, a run, mail, and the service's page and metrics", async () => {
    const version = await run(["--version"], dir.path);
    expect(version.stdout).toMatch(/^cloudsync \d+\.\d+\.\d+/);

    const work = join(dir.path, "work");
    const source = join(work, "source");
    const target = join(work, "target");
    mkdirSync(source, { recursive: true });
    writeFileSync(join(source, "a.txt"), "hello");
    const init = await run(["init"], work);
    expect(init.exitCode, init.stdout + init.stderr).toBe(0);
    expect(existsSync(join(work, "cloudsync.schema.json"))).toBe(true);

    const smtp = await smtpReceiver();
    try {
      writeFileSync(
        join(work, "cloudsync.yaml"),
        JSON.stringify({
          version: 1,
          settings: { metrics: { listen: `127.0.0.1:${await freePort()}` }, web: { listen: `127.0.0.1:${await freePort()}` } },
          notifications: { mail: { type: "email", smtp: `smtp://127.0.0.1:${smtp.port}`, from: "nas@example.com", to: ["me@example.com"] } },
          credentials: { disk: { type: "local" } },
          tasks: { t: { direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: target } },
        }),
      );
      const validated = await run(["validate"], work);
      expect(validated.exitCode, validated.stderr).toBe(0);
      expect((await run(["apply", "--auto-approve"], work)).exitCode).toBe(0);
      const ran = await run(["run", "t", "--json"], work);
      expect(JSON.parse(ran.stdout)).toMatchObject({ state: "SUCCESS", files: 1 });
      expect(readFileSync(join(target, "a.txt"), "utf8")).toBe("hello");

      const mailed = await run(["notify", "test", "mail"], work);
      expect(mailed.exitCode, mailed.stdout + mailed.stderr).toBe(0);
      await smtp.waitFor((m) => m.to.includes("me@example.com"), "the test mail");
    } finally {
      await smtp.close();
    }

    const service = execa(bin, ["watch"], { cwd: work, reject: false, env: testEnv({ NO_COLOR: "1" }), buffer: false });
    let log = "";
    service.stdout!.on("data", (d: Buffer) => (log += d));
    service.stderr!.on("data", (d: Buffer) => (log += d));
    try {
      const page = await awaitValue(() => /serving the dashboard on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1], "the dashboard's address", 20_000);
      const metrics = await awaitValue(() => /serving metrics on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)?.[1], "the metrics address", 20_000);
      // In through the link `cloudsync dashboard` prints (the token the service generated).
      const link = (await run(["dashboard"], work)).stdout.trim();
      expect(link).toMatch(new RegExp(`^${page}/login\\?token=`));
      const session = (await fetch(link, { redirect: "manual" })).headers.get("set-cookie")!.split(";")[0]!;
      const html = await (await fetch(`${page}/`, { headers: { cookie: session } })).text();
      expect(html).toContain("<script");
      const scrape = await (await fetch(`${metrics}/metrics`)).text();
      expect(scrape).toMatch(/^cloudsync_task_last_run_state\{task="t",state="SUCCESS"\} 1$/m);
      expect(scrape).toContain("process_cpu_seconds_total");
    } finally {
      service.kill("SIGTERM");
      await service;
    }
  }, 120_000);

  it("lists no file outside what package.json names", () => {
    const top = new Set(readdirSync(join(prefix(), "lib", "node_modules", "cloudsync")));
    expect([...top].sort()).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "dist", "examples", "package.json", "schema"]);
  });
});

describe("the container image's recipe (no image can be built here: no registry for base images)", () => {
  const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
  const instruction = (name: string) => [...dockerfile.matchAll(new RegExp(`^${name} (.+)$`, "gm"))].map((m) => m[1]!);

  it("runs as the uid the Kubernetes export gives its pods, never root", async () => {
    const { kubernetesManifests } = await import("../../src/export/kubernetes.js");
    const { DEFAULT_SETTINGS } = await import("../../src/model/config.js");
    const task = taskSpec({ path: "/srv", credential: "c", bucket: null, folder: "x" });
    const exported = kubernetesManifests({
      config: { settings: { ...DEFAULT_SETTINGS, timezone: "UTC" }, credentials: { c: { type: "sftp", options: {} } }, notifications: {}, tasks: { t: task } } as never,
      configText: "version: 1\n", variables: [], files: [], credentials: [], values: null, image: "cloudsync:test", claims: {}, now: new Date("2026-01-01T00:00:00Z"),
    });
    const job = (await import("yaml")).parse(exported.files.find((f) => f.kind === "run")!.text);
    const uid = job.spec.jobTemplate.spec.template.spec.securityContext.runAsUser;
    expect(instruction("USER").at(-1)).toBe(`${uid}:${uid}`);
    expect(uid).not.toBe(0);
  });

  it("starts the service by default with the state on its volume, through an init that reaps", async () => {
    const entrypoint = JSON.parse(instruction("ENTRYPOINT").at(-1)!);
    const command = JSON.parse(instruction("CMD").at(-1)!);
    expect(entrypoint).toEqual(["/usr/bin/tini", "--", "cloudsync"]);
    expect(command.at(-1)).toBe("watch");
    expect(command[command.indexOf("--state-dir") + 1]).toBe(instruction("VOLUME").at(-1));
    // The arguments are ones this cloudsync takes.
    const help = await execa("node", [join(root, "dist/cloudsync.js"), ...command, "--help"], { reject: false });
    expect(help.exitCode, help.stderr).toBe(0);
    expect(readFileSync(join(root, ".dockerignore"), "utf8").split("\n")).toEqual(expect.arrayContaining(["node_modules", "dist", ".git"]));
  });

  it("ships a current rclone, exposes the dashboard and metrics, and its health check fails without a live service and passes with one", async () => {
    const rclone = /^ARG RCLONE_VERSION=(\d+)\.(\d+)\.\d+$/m.exec(dockerfile);
    expect(rclone && Number(rclone[1]) * 100 + Number(rclone[2])).toBeGreaterThanOrEqual(169);
    expect(dockerfile).toMatch(/^COPY --from=rclone \/usr\/local\/bin\/rclone /m);
    expect(instruction("EXPOSE").at(-1)!.split(" ")).toEqual(expect.arrayContaining(["8080", "9184"]));
    const health = JSON.parse(/^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile)![1]!);
    expect(health[0]).toBe("cloudsync");
    // The same command, on a state directory of ours: no service, then a service.
    const work = join(dir.path, "health");
    mkdirSync(work, { recursive: true });
    writeFileSync(join(work, "cloudsync.yaml"), "version: 1\n");
    const args = health.slice(1).map((arg: string) => (arg === "/etc/cloudsync/cloudsync.yaml" ? join(work, "cloudsync.yaml") : arg === "/var/lib/cloudsync" ? join(work, "state") : arg));
    expect((await execa("node", [join(root, "dist/cloudsync.js"), ...args], { reject: false })).exitCode).toBe(1);
    const service = execa("node", [join(root, "dist/cloudsync.js"), "-c", join(work, "cloudsync.yaml"), "--state-dir", join(work, "state"), "watch"], { reject: false, env: testEnv() });
    try {
      await awaitValue(async () => ((await execa("node", [join(root, "dist/cloudsync.js"), ...args], { reject: false })).exitCode === 0 ? true : undefined), "the health check passes", 20_000);
    } finally {
      service.kill("SIGTERM");
      await service;
    }
  }, 60_000);
});
