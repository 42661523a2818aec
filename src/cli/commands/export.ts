import { resolve } from "node:path";
import { exportKubernetes, exportSystemd, type ExportOutcome } from "../../app/export.js";
import { UserError } from "../../errors.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

export interface SystemdCommandOptions {
  out?: string;
  user?: boolean;
  envFile?: string | false;
  credentials?: "plain" | "encrypted";
  credentialsDir?: string;
}

function printOutcome(ctx: CliContext, outcome: ExportOutcome, separator: string, nextSteps: (names: string[]) => string[]): void {
  if (!ctx.quiet) for (const w of outcome.warnings) ctx.stderr.write(`warning: ${w.task === null ? "" : `task ${w.task}: `}${w.message}\n`);
  if (ctx.json) {
    printJson(ctx, {
      out: outcome.out,
      files: outcome.files.map((f) => ({ name: f.name, task: f.task, kind: f.kind, ...(outcome.out === null ? { text: f.text } : { path: resolve(outcome.out, f.name) }) })),
      removed: outcome.removed,
      warnings: outcome.warnings,
      skipped: outcome.skipped,
    });
    return;
  }
  if (outcome.out === null) {
    ctx.stdout.write(outcome.files.map((f) => `${separator}# ---- ${f.name}\n${f.text}`).join(separator === "" ? "\n" : ""));
    return;
  }
  say(ctx, `Wrote ${outcome.files.length} file${outcome.files.length === 1 ? "" : "s"} to ${outcome.out}${outcome.removed.length > 0 ? `; removed ${outcome.removed.length} no task makes any more (${outcome.removed.join(", ")})` : ""}.`);
  if (outcome.skipped.length > 0) say(ctx, `Not exported: ${outcome.skipped.map((s) => `${s.task} (${s.message})`).join(", ")}.`);
  for (const line of nextSteps(outcome.files.map((f) => f.name))) say(ctx, line);
}

/** `export systemd [--out DIR] [--user] [--env-file FILE | --no-env-file] [--credentials plain|encrypted [--credentials-dir DIR]]`. */
export async function exportSystemdCommand(ctx: CliContext, options: SystemdCommandOptions): Promise<number> {
  const out = options.out === undefined ? null : resolve(ctx.cwd, options.out);
  const outcome = await exportSystemd(ctx.workspace, {
    out,
    user: options.user === true,
    environmentFile: options.envFile === false ? null : options.envFile,
    credentials: options.credentials ? { encrypted: options.credentials === "encrypted", directory: options.credentialsDir } : null,
  });
  const systemctl = options.user ? "systemctl --user" : "systemctl";
  printOutcome(ctx, outcome, "", (names) => {
    const timers = names.filter((n) => n.endsWith(".timer"));
    if (timers.length === 0) return [];
    const unitDir = options.user ? "~/.config/systemd/user" : "/etc/systemd/system";
    return [`Next: ${out === resolve(unitDir.replace(/^~/, ctx.env.HOME ?? "~")) ? "" : `copy them to ${unitDir}, then `}${systemctl} daemon-reload && ${systemctl} enable --now ${timers.join(" ")}`];
  });
  return 0;
}

export interface KubernetesCommandOptions {
  out?: string;
  volume?: string[];
  image?: string;
  withSecrets?: boolean;
}

/** `--volume TASK=CLAIM`, repeated. */
function claimsOf(volumes: readonly string[]): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const volume of volumes) {
    const match = /^([^=]+)=([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(volume);
    if (!match) throw new UserError(`--volume ${volume}: write TASK=CLAIM, CLAIM a PersistentVolumeClaim's name`);
    claims[match[1]!] = match[2]!;
  }
  return claims;
}

/** `export kubernetes [--out DIR] [--volume TASK=CLAIM]... [--image IMAGE] [--with-secrets]`. */
export async function exportKubernetesCommand(ctx: CliContext, options: KubernetesCommandOptions): Promise<number> {
  const out = options.out === undefined ? null : resolve(ctx.cwd, options.out);
  const outcome = await exportKubernetes(ctx.workspace, { out, claims: claimsOf(options.volume ?? []), image: options.image, withSecrets: options.withSecrets === true });
  // Without --out, one stream of documents for `kubectl apply -f -`.
  printOutcome(ctx, outcome, "---\n", () => {
    const secrets = outcome.files.filter((f) => f.kind === "secret").map((f) => f.name);
    if (secrets.length === 0 || options.withSecrets) return [`Next: kubectl apply -f ${outcome.out}`];
    const envSecret = secrets.includes("cloudsync-env-secret.yaml")
      ? [`  (the \${VAR}s can also come from an env file in docker's format: kubectl create secret generic cloudsync-env --from-env-file=secrets.env, then leave out cloudsync-env-secret.yaml)`]
      : [];
    return [`Fill in the values in ${secrets.join(" and ")}, then: kubectl apply -f ${outcome.out}`, ...envSecret];
  });
  return 0;
}
