import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fsReason, UserError } from "../../errors.js";
import { computePlan } from "../../plan/diff.js";
import { makeSavedPlan } from "../../plan/planfile.js";
import { planJson, renderPlan } from "../../plan/render.js";
import { loadValidConfig } from "../config-file.js";
import type { CliContext } from "../context.js";
import { painter, printJson, say } from "../output.js";
import { openStore } from "../state-dir.js";

export interface PlanOptions {
  detailedExitcode?: boolean;
  out?: string;
}

export async function planCommand(ctx: CliContext, options: PlanOptions): Promise<number> {
  const loaded = await loadValidConfig(ctx);
  if (!loaded) return 1;
  const store = openStore(ctx, loaded.config.settings);
  const applied = store.read();
  const plan = computePlan(loaded.config, applied);

  if (ctx.json) printJson(ctx, planJson(plan));
  else ctx.stdout.write(renderPlan(plan, painter(ctx.colorStdout)));

  if (options.out) {
    const saved = makeSavedPlan({
      plan,
      desired: loaded.config,
      key: store.planKey(),
      configPath: ctx.configPath,
      configText: loaded.text,
      state: applied,
      now: new Date(),
    });
    const out = resolve(ctx.cwd, options.out);
    try {
      writeFileSync(out, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
    } catch (error) {
      throw new UserError(`cannot write the plan to ${options.out}: ${fsReason(error)}`);
    }
    say(ctx, `\nSaved the plan to ${options.out}. To apply exactly this plan: cloudsync apply ${options.out}`);
  }
  return options.detailedExitcode && plan.changes.length > 0 ? 2 : 0;
}
