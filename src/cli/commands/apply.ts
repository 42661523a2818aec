import { readFileSync } from "node:fs";
import { createInterface } from "node:readline/promises";
import { hasErrors } from "../../config/diagnostics.js";
import { loadConfig } from "../../config/load.js";
import { fsReason, UserError } from "../../errors.js";
import { canonicalJson, computePlan, type Plan } from "../../plan/diff.js";
import { parseSavedPlan, stalePlanReason, type SavedPlan } from "../../plan/planfile.js";
import { planJson, renderPlan } from "../../plan/render.js";
import { commitDesired } from "../../state/commit.js";
import { describeHolder, describeTakeover, type LockHolder } from "../../state/lock.js";
import { loadValidConfig, processEnvironment } from "../config-file.js";
import type { CliContext } from "../context.js";
import { painter, printDiagnostics, printJson, say } from "../output.js";
import { openStore } from "../state-dir.js";

export interface ApplyOptions {
  autoApprove?: boolean;
  lockTimeout?: string;
}

async function confirm(ctx: CliContext): Promise<boolean> {
  ctx.stdout.write("\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ");
  const rl = createInterface({ input: ctx.stdin, output: ctx.stdout, terminal: false });
  try {
    const answer = await rl.question("");
    return answer.trim() === "yes";
  } finally {
    rl.close();
  }
}

function lockTimeoutMs(options: ApplyOptions): number {
  if (options.lockTimeout === undefined) return 10_000;
  const seconds = Number(options.lockTimeout);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UserError(`--lock-timeout must be a number of seconds, not "${options.lockTimeout}"`);
  return seconds * 1000;
}

/** The lock options of an apply from the command line: wait, saying so, and take over a dead holder's lock. */
function lockOptions(ctx: CliContext, options: ApplyOptions) {
  return {
    command: "apply",
    waitMs: lockTimeoutMs(options),
    onWait: (holder: LockHolder) => ctx.stderr.write(`Waiting for the state lock held by ${describeHolder(holder)}…\n`),
    onTakeover: (holder: LockHolder | null, reason: string) => ctx.stderr.write(`Took over the state lock left by ${describeTakeover(holder, reason)}.\n`),
  };
}

function report(ctx: CliContext, plan: Plan, serial: number): number {
  const { add, change, destroy } = plan.summary;
  if (ctx.json) printJson(ctx, { applied: plan.changes.length > 0, serial, ...planJson(plan) });
  else if (plan.changes.length === 0) say(ctx, "No changes. The applied state matches the configuration.");
  else say(ctx, `Apply complete! Resources: ${add} added, ${change} changed, ${destroy} destroyed.`);
  return 0;
}

async function applySavedPlan(ctx: CliContext, planFile: string, options: ApplyOptions): Promise<number> {
  let text: string;
  try {
    text = readFileSync(planFile, "utf8");
  } catch (error) {
    throw new UserError(`cannot read the plan file ${planFile}: ${fsReason(error)}`);
  }
  const saved: SavedPlan | string = parseSavedPlan(text);
  if (typeof saved === "string") throw new UserError(`cannot apply ${planFile}: ${saved}`);
  let configText: string;
  try {
    configText = readFileSync(saved.config_path, "utf8");
  } catch (error) {
    throw new UserError(`cannot read ${saved.config_path}, which the plan was made from: ${fsReason(error)}`);
  }
  const loaded = await loadConfig(saved.config_path, configText, processEnvironment(ctx));
  printDiagnostics(ctx, loaded.diagnostics);
  if (!loaded.config || hasErrors(loaded.diagnostics)) {
    throw new UserError(`cannot apply ${planFile}: ${saved.config_path} is no longer valid`, "Nothing was changed.");
  }
  const desired = loaded.config;
  const store = openStore({ ...ctx, configPath: saved.config_path }, desired.settings);
  const key = store.planKey();
  const { plan, state } = await commitDesired(store, desired, configText, lockOptions(ctx, options), (current) => {
    const reason = stalePlanReason(saved, { configText, desired, key, state: current });
    return reason ? `the saved plan ${planFile} is stale: ${reason}` : undefined;
  });
  return report(ctx, plan, state.serial);
}

export async function applyCommand(ctx: CliContext, planFile: string | undefined, options: ApplyOptions): Promise<number> {
  if (planFile !== undefined) return applySavedPlan(ctx, planFile, options);

  const loaded = await loadValidConfig(ctx);
  if (!loaded) return 1;
  const store = openStore(ctx, loaded.config.settings);
  const shown = computePlan(loaded.config, store.read());
  if (shown.changes.length === 0) return report(ctx, shown, store.read().serial);

  if (!options.autoApprove) {
    if (ctx.stdin.isTTY !== true || ctx.json) {
      throw new UserError("refusing to apply without a terminal to confirm on", "Review the plan with cloudsync plan, then run cloudsync apply --auto-approve.");
    }
    ctx.stdout.write(renderPlan(shown, painter(ctx.colorStdout)));
    if (!(await confirm(ctx))) {
      say(ctx, "\nApply cancelled. Nothing was changed.");
      return 1;
    }
  } else if (!ctx.json && !ctx.quiet) {
    ctx.stdout.write(renderPlan(shown, painter(ctx.colorStdout)));
  }

  const { plan, state } = await commitDesired(store, loaded.config, loaded.text, lockOptions(ctx, options), (current) => {
    // What was approved must be what happens: another apply may have got in first.
    if (options.autoApprove) return undefined;
    const now = computePlan(loaded.config, current);
    return canonicalJson(planJson(now)) === canonicalJson(planJson(shown)) ? undefined : "the applied state changed while you were deciding";
  });
  return report(ctx, plan, state.serial);
}
