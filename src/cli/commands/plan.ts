import { resolve } from "node:path";
import { plan } from "../../app/plan.js";
import { planJson, renderPlan } from "../../views/plan.js";
import type { CliContext } from "../context.js";
import { painter, printDiagnostics, printJson, say } from "../output.js";

export interface PlanOptions {
  detailedExitcode?: boolean;
  out?: string;
}

export async function planCommand(ctx: CliContext, options: PlanOptions): Promise<number> {
  const result = await plan(ctx.workspace, { out: options.out === undefined ? undefined : resolve(ctx.cwd, options.out) });
  printDiagnostics(ctx, result.diagnostics);
  if (ctx.json) printJson(ctx, planJson(result.plan));
  else ctx.stdout.write(renderPlan(result.plan, painter(ctx.colorStdout)));
  if (result.savedTo) say(ctx, `\nSaved the plan to ${options.out}. To apply exactly this plan: cloudsync apply ${options.out}`);
  return options.detailedExitcode && result.plan.changes.length > 0 ? 2 : 0;
}
