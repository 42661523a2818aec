// export kubernetes as a user runs it: manifests written from the file,
// validated against the Kubernetes API's schemas (kubernetes-models, offline),
// and a CronJob's container command run as the kubelet would run it, with the
// ConfigMap and Secrets materialised as files and environment.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLI, tempDir } from "../helpers/cli.js";
import { cliInProcess as cli } from "../helpers/cli-in-process.js";
import { writeTree } from "../helpers/tree.js";

let dir: ReturnType<typeof tempDir>;
let work: string;
const ENV = { ARCHIVE_PASSWORD: "archive-secret-pw-123" };

function write(tasks: Record<string, unknown>): void {
  const source = join(dir.path, "source");
  const task = (folder: string, extra: Record<string, unknown> = {}) => ({ direction: "push", transfer_mode: "copy", path: source, credential: "disk", folder: join(dir.path, folder), ...extra });
  writeFileSync(
    join(work, "cloudsync.yaml"),
    stringify({
      version: 1,
      settings: { timezone: "Europe/Berlin" },
      credentials: { disk: { type: "local" } },
      tasks: {
        photos: task("photos", { schedule: "15 4 * * *", catchup: true, check: { schedule: "0 5 * * sun" } }),
        sealed: task("sealed", { schedule: "0 3 * * MON-FRI", encryption: { password: "${ARCHIVE_PASSWORD}", salt: `\${file:${join(dir.path, "salt")}}` } }),
        odd_days: task("odd", { schedule: "0 1 */2 * 7", transfer_mode: "sync" }),
        resting: task("resting", { schedule: "daily", enabled: false }),
        manual: task("manual"),
        ...tasks,
      },
    }),
  );
}

beforeAll(() => {
  dir = tempDir();
  work = join(dir.path, "work");
  mkdirSync(work);
  writeTree(join(dir.path, "source"), { "a.txt": "a", "sub/b.txt": "b" });
  writeFileSync(join(dir.path, "salt"), "salt-from-a-file-456\n");
  write({});
});
afterAll(() => dir.remove());

const exportK8s = (args: string[] = [], env: Record<string, string> = ENV) => cli(["export", "kubernetes", ...args], { cwd: work, env });

describe("export kubernetes", () => {
  it("the container's command runs the task as the kubelet would start it: the file from the ConfigMap, secrets from the Secrets", async () => {
    const result = await exportK8s(["--out", "k8s-secrets", "--with-secrets"]);
    expect(result.code, result.stderr).toBe(0);
    const at = (name: string) => parse(readFileSync(join(work, "k8s-secrets", name), "utf8"));
    const env = at("cloudsync-env-secret.yaml").stringData;
    expect(env).toEqual(ENV);
    const files = at("cloudsync-files-secret.yaml").stringData;
    const job = at("cloudsync-sealed.yaml");
    const pod = job.spec.jobTemplate.spec.template.spec;
    const container = pod.containers[0];

    // The kubelet's part, in a directory of its own: the ConfigMap as a file where the config volume is mounted,
    // the files Secret's keys where their subPath mounts say, the env Secret and the container's env as the environment.
    const root = join(dir.path, "kubelet");
    const mapped = (path: string) => (path.startsWith("/etc/cloudsync") || path === "/tmp" || path.startsWith("/tmp/.") ? join(root, path) : path);
    const configMount = container.volumeMounts.find((m: { name: string }) => m.name === "config");
    mkdirSync(mapped(configMount.mountPath), { recursive: true });
    writeFileSync(join(mapped(configMount.mountPath), "cloudsync.yaml"), at("cloudsync-config.yaml").data["cloudsync.yaml"]);
    rmSync(join(dir.path, "salt"));
    for (const mount of container.volumeMounts.filter((m: { subPath?: string }) => m.subPath)) writeFileSync(mount.mountPath, files[mount.subPath]);
    mkdirSync(mapped("/tmp"), { recursive: true });
    const containerEnv = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, mapped(e.value)]));
    const [program, ...args] = container.command.map(mapped);
    expect(program).toBe("cloudsync");
    const ran = await execa("node", [CLI, ...args], { cwd: "/", reject: false, extendEnv: false, env: { PATH: process.env.PATH, ...containerEnv, ...env } });
    expect(ran.exitCode, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ task: "sealed", state: "SUCCESS", files: 2 });
    expect(readdirSync(join(dir.path, "sealed")).length).toBe(2); // encrypted names
    expect(readdirSync(mapped("/tmp"))).not.toContain(expect.stringMatching(/^cloudsync-ephemeral-/));
    writeFileSync(join(dir.path, "salt"), "salt-from-a-file-456\n");
  });
});
