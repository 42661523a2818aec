// export kubernetes as a user runs it: manifests written from the file,
// validated against the Kubernetes API's schemas (kubernetes-models, offline).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { parse, parseAllDocuments, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { cliInProcess as cli } from "../helpers/cli-in-process.js";
import { ENV, kubernetesWorkspace } from "./fixtures/kubernetes.js";

const k8s = kubernetesWorkspace();
const { exportK8s } = k8s;
const out = () => join(k8s.work, "k8s");
const manifest = (name: string) => parse(readFileSync(join(out(), name), "utf8"));

const MODELS: Record<string, new (data: never) => { validate(): void }> = { ConfigMap, Secret, CronJob } as never;

/** Every document against the API schema of its kind. */
function validate(document: { kind: string }): void {
  const Model = MODELS[document.kind];
  if (!Model) throw new Error(`unexpected kind ${document.kind}`);
  new Model(document as never).validate();
}

describe("export kubernetes", () => {
  it("writes a ConfigMap, Secrets with empty values to fill in, and a CronJob per scheduled task and check; all valid API objects", async () => {
    const result = await exportK8s(["--out", "k8s"]);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(out()).sort()).toEqual(
      ["cloudsync-config.yaml", "cloudsync-env-secret.yaml", "cloudsync-files-secret.yaml", "cloudsync-odd-days.yaml", "cloudsync-photos.check.yaml", "cloudsync-photos.yaml", "cloudsync-resting.yaml", "cloudsync-sealed.yaml"].sort(),
    );
    for (const name of readdirSync(out())) validate(manifest(name));
    expect(manifest("cloudsync-config.yaml").data["cloudsync.yaml"]).toBe(readFileSync(join(k8s.work, "cloudsync.yaml"), "utf8"));
    expect(manifest("cloudsync-env-secret.yaml").stringData).toEqual({ ARCHIVE_PASSWORD: "" });
    expect(Object.values(manifest("cloudsync-files-secret.yaml").stringData)).toEqual([""]);
    expect(statSync(join(out(), "cloudsync-env-secret.yaml")).mode & 0o777).toBe(0o600);
    expect(result.stdout).toContain("Not exported: manual (no schedule: it runs only when started).");
    expect(result.stdout).toContain("Fill in the values in cloudsync-env-secret.yaml and cloudsync-files-secret.yaml");
    expect(readFileSync(join(out(), "cloudsync-env-secret.yaml"), "utf8")).not.toContain(ENV.ARCHIVE_PASSWORD);
  });

  it("CronJobs keep the schedule's instants, its zone, one run at a time, suspension, catch-up, and cloudsync's own retries", () => {
    const photos = manifest("cloudsync-photos.yaml").spec;
    // catchup: a missed run may start until the next is due; daily in Berlin, the longest gap is the 25-hour day the clocks go back.
    expect(photos).toMatchObject({ schedule: "15 4 * * *", timeZone: "Europe/Berlin", concurrencyPolicy: "Forbid", suspend: false, startingDeadlineSeconds: 90_000 });
    expect(photos.jobTemplate.spec.backoffLimit).toBe(0);
    expect(manifest("cloudsync-sealed.yaml").spec).toMatchObject({ schedule: "0 3 * * 1-5", startingDeadlineSeconds: 300 });
    // */2 with a weekday: croner (and cron) match either day; written so Kubernetes does too.
    expect(manifest("cloudsync-odd-days.yaml").spec.schedule).toBe("0 1 1-31/2 * 0");
    expect(manifest("cloudsync-resting.yaml").spec.suspend).toBe(true);
    const check = manifest("cloudsync-photos.check.yaml").spec.jobTemplate.spec.template.spec.containers[0];
    expect(check.command.slice(-4)).toEqual(["check", "photos", "--ephemeral", "--scheduled"]);
  });

  it("pods run as a non-root user on a read-only root, with the task's path from the node or from a claim", async () => {
    const pod = manifest("cloudsync-photos.yaml").spec.jobTemplate.spec.template.spec;
    expect(pod.restartPolicy).toBe("Never");
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    // The Secrets' files are the pod's group's to read; no service-account token; what a run asks of the node.
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000 });
    expect(pod.volumes.find((v: { name: string }) => v.name === "files").secret.defaultMode).toBe(0o440);
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: expect.any(String), memory: expect.any(String) } });
    expect(pod.volumes).toContainEqual({ name: "data", hostPath: { path: join(k8s.dir, "source"), type: "Directory" } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "data", mountPath: join(k8s.dir, "source"), readOnly: true });

    const claimed = await exportK8s(["--volume", "photos=nas-photos"]);
    expect(claimed.code).toBe(0);
    const documents = parseAllDocuments(claimed.stdout).map((d) => d.toJS());
    for (const document of documents) validate(document);
    const job = documents.find((d) => d.metadata.name === "cloudsync-photos");
    expect(job.spec.jobTemplate.spec.template.spec.volumes).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: "nas-photos" } });
    const unknown = await exportK8s(["--volume", "nope=claim"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("--volume names task nope");
  });

  it("needs no secret's value here unless --with-secrets; files that would share a key get keys of their own; ${credential:…}s get a Secret in $CREDENTIALS_DIRECTORY", async () => {
    const other = join(k8s.dir, "other-work");
    mkdirSync(other, { recursive: true });
    const source = join(k8s.dir, "source");
    writeFileSync(
      join(other, "cloudsync.yaml"),
      stringify({
        version: 1,
        settings: { timezone: "UTC" },
        credentials: { a: { type: "sftp", host: "nas", pass: "${file:/s/a/pass}", user: "${NAS_USER}" }, b: { type: "sftp", host: "nas", pass: "${file:/s/a_pass}", key_pem: "${credential:nas-key}" } },
        tasks: { one: { direction: "push", transfer_mode: "copy", path: source, credential: "a", folder: "x", schedule: "daily" }, two: { direction: "push", transfer_mode: "copy", path: source, credential: "b", folder: "y", schedule: "daily" } },
      }),
    );
    // Nothing of it is set or readable here.
    const result = await cli(["export", "kubernetes", "--out", "k8s"], { cwd: other });
    expect(result.code, result.stderr).toBe(0);
    const at = (name: string) => parse(readFileSync(join(other, "k8s", name), "utf8"));
    const keys = Object.keys(at("cloudsync-files-secret.yaml").stringData);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    expect(at("cloudsync-env-secret.yaml").stringData).toEqual({ NAS_USER: "" });
    expect(at("cloudsync-credentials-secret.yaml").stringData).toEqual({ "nas-key": "" });
    const pod = at("cloudsync-two.yaml").spec.jobTemplate.spec.template.spec;
    expect(pod.containers[0].env).toContainEqual({ name: "CREDENTIALS_DIRECTORY", value: "/run/cloudsync-credentials" });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "credentials", mountPath: "/run/cloudsync-credentials", readOnly: true });
    const mounts = pod.containers[0].volumeMounts.filter((m: { subPath?: string }) => m.subPath);
    expect(new Set(mounts.map((m: { subPath: string }) => m.subPath)).size).toBe(2);
    for (const name of readdirSync(join(other, "k8s"))) validate(at(name));
    // --with-secrets needs them all.
    const refused = await cli(["export", "kubernetes", "--with-secrets"], { cwd: other });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("environment variable NAS_USER is not set");
  });

  it("a second export leaves exactly the new set; a schedule a CronJob cannot say is an error naming the task, and nothing is written", async () => {
    k8s.write({ photos: undefined });
    const again = await exportK8s(["--out", "k8s", "--json"]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).removed).toEqual(["cloudsync-photos.check.yaml", "cloudsync-photos.yaml"]);
    k8s.write({ precise: { direction: "push", transfer_mode: "copy", path: join(k8s.dir, "source"), credential: "disk", folder: join(k8s.dir, "precise"), schedule: "30 */10 * * * *" } });
    const before = readdirSync(out()).sort();
    const refused = await exportK8s(["--out", "k8s"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('task precise: its schedule "30 */10 * * * *" cannot be a CronJob\'s: a CronJob\'s schedule has no seconds field');
    expect(readdirSync(out()).sort()).toEqual(before);
    expect(existsSync(join(out(), "cloudsync-precise.yaml"))).toBe(false);
  });
});
