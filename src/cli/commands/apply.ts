import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";
import { apply } from "../../app/apply.js";
import { UserError } from "../../errors.js";
import type { Plan } from "../../model/plan.js";
import { planJson, renderPlan } from "../../views/plan.js";
import type { CliContext } from "../context.js";
import { painter, printDiagnostics, printJson, say } from "../output.js";

export interface ApplyOptions {
  autoApprove?: boolean;
  lockTimeout?: string;
}

/** Asks on the terminal; Ctrl-C there is a no, said as such. */
async function confirm(ctx: CliContext, interrupted: () => void): Promise<boolean> {
  const rl = createInterface({ input: ctx.stdin, output: ctx.stdout, terminal: false });
  const controller = new AbortController();
  const onInterrupt = () => {
    interrupted();
    controller.abort();
  };
  process.once("SIGINT", onInterrupt);
  ctx.stdout.write("\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ");
  try {
    return (await rl.question("", { signal: controller.signal })).trim() === "yes";
  } catch {
    return false;
  } finally {
    process.off("SIGINT", onInterrupt);
    rl.close();
  }
}

function lockTimeoutMs(options: ApplyOptions): number | undefined {
  if (options.lockTimeout === undefined) return undefined;
  const seconds = Number(options.lockTimeout);
  if (!Number.isFinite(seconds) || seconds < 0) throw new UserError(`--lock-timeout must be a number of seconds, not "${options.lockTimeout}"`);
  return seconds * 1000;
}

export async function applyCommand(ctx: CliContext, planFile: string | undefined, options: ApplyOptions): Promise<number> {
  let interrupted = false;
  const show = (plan: Plan) => ctx.stdout.write(renderPlan(plan, painter(ctx.colorStdout)));
  // On a terminal the plan is shown and confirmed; with --auto-approve it is shown (unless quiet or JSON) and applied.
  const interactive = ctx.stdin.isTTY === true && !ctx.json;
  const review = options.autoApprove
    ? async (plan: Plan) => {
        if (!ctx.json && !ctx.quiet) show(plan);
        return true;
      }
    : interactive
      ? async (plan: Plan) => {
          show(plan);
          return confirm(ctx, () => (interrupted = true));
        }
      : undefined;
  const result = await apply(ctx.workspace, { planFile: planFile === undefined ? undefined : { path: resolve(ctx.cwd, planFile), name: planFile }, autoApprove: options.autoApprove, review, lockTimeoutMs: lockTimeoutMs(options) });
  printDiagnostics(ctx, result.diagnostics);
  if (result.cancelled) {
    say(ctx, `\nApply cancelled${interrupted ? " (interrupted)" : ""}. Nothing was changed.`);
    return interrupted ? 130 : 1;
  }
  const { add, change, destroy } = result.plan.summary;
  if (ctx.json) printJson(ctx, { applied: result.applied, serial: result.serial, ...planJson(result.plan) });
  else if (result.plan.changes.length === 0) say(ctx, "No changes. The applied state matches the configuration.");
  else say(ctx, `Apply complete! Resources: ${add} added, ${change} changed, ${destroy} destroyed.`);
  return 0;
}
