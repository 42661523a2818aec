// A CronJob's container command run as the kubelet would run it, with the
// ConfigMap and Secrets materialised as files and environment.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import { ENV, kubernetesWorkspace } from "./fixtures/kubernetes.js";

const k8s = kubernetesWorkspace();
const { exportK8s } = k8s;

describe("export kubernetes", () => {
  it("the container's command runs the task as the kubelet would start it: the file from the ConfigMap, secrets from the Secrets", async () => {
    const result = await exportK8s(["--out", "k8s-secrets", "--with-secrets"]);
    expect(result.code, result.stderr).toBe(0);
    const at = (name: string) => parse(readFileSync(join(k8s.work, "k8s-secrets", name), "utf8"));
    const env = at("cloudsync-env-secret.yaml").stringData;
    expect(env).toEqual(ENV);
    const files = at("cloudsync-files-secret.yaml").stringData;
    const job = at("cloudsync-sealed.yaml");
    const pod = job.spec.jobTemplate.spec.template.spec;
    const container = pod.containers[0];

    // The kubelet's part, in a directory of its own: the ConfigMap as a file where the config volume is mounted,
    // the files Secret's keys where their subPath mounts say, the env Secret and the container's env as the environment.
    const root = join(k8s.dir, "kubelet");
    const mapped = (path: string) => (path.startsWith("/etc/cloudsync") || path === "/tmp" || path.startsWith("/tmp/.") ? join(root, path) : path);
    const configMount = container.volumeMounts.find((m: { name: string }) => m.name === "config");
    mkdirSync(mapped(configMount.mountPath), { recursive: true });
    writeFileSync(join(mapped(configMount.mountPath), "cloudsync.yaml"), at("cloudsync-config.yaml").data["cloudsync.yaml"]);
    rmSync(join(k8s.dir, "salt"));
    for (const mount of container.volumeMounts.filter((m: { subPath?: string }) => m.subPath)) writeFileSync(mount.mountPath, files[mount.subPath]);
    mkdirSync(mapped("/tmp"), { recursive: true });
    const containerEnv = Object.fromEntries(container.env.map((e: { name: string; value: string }) => [e.name, mapped(e.value)]));
    const [program, ...args] = container.command.map(mapped);
    expect(program).toBe("cloudsync");
    const ran = await execa("node", [CLI, ...args], { cwd: "/", reject: false, extendEnv: false, env: { PATH: process.env.PATH, ...containerEnv, ...env } });
    expect(ran.exitCode, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ task: "sealed", state: "SUCCESS", files: 2 });
    expect(readdirSync(join(k8s.dir, "sealed")).length).toBe(2); // encrypted names
    expect(readdirSync(mapped("/tmp"))).not.toContain(expect.stringMatching(/^cloudsync-ephemeral-/));
    writeFileSync(join(k8s.dir, "salt"), "salt-from-a-file-456\n");
  });
});
