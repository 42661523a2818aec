import { loadConfigFile } from "../config-file.js";
import { computePlan } from "../../plan/diff.js";
import { nextRunAt } from "../../scheduler/next-run.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";
import { openStore } from "../state-dir.js";

export type RunState = "PENDING" | "RUNNING" | "SUCCESS" | "FAILED" | "ABORTED";

export interface TaskStatus {
  name: string;
  description: string;
  enabled: boolean;
  schedule: string | null;
  state: RunState;
  last_run: null;
  next_run: string | null;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

export async function statusCommand(ctx: CliContext): Promise<number> {
  const now = new Date();
  const loaded = await loadConfigFile(ctx);
  const store = openStore(ctx, loaded.config?.settings ?? null);
  const applied = store.read();
  const timezone = applied.settings?.timezone ?? null;
  const tasks: TaskStatus[] = Object.entries(applied.tasks)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, task]) => ({
      name,
      description: task.description,
      enabled: task.enabled,
      schedule: task.schedule,
      state: "PENDING",
      last_run: null,
      next_run: task.enabled && task.schedule ? (nextRunAt(task.schedule, timezone, now)?.toISOString() ?? null) : null,
    }));

  if (ctx.json) {
    printJson(ctx, { tasks });
    return 0;
  }
  if (applied.serial === 0) say(ctx, `Nothing is applied yet (state: ${store.dir}). Run cloudsync plan, then cloudsync apply.`);
  else if (tasks.length === 0) say(ctx, "No tasks are applied.");
  else {
    const rows = [["TASK", "ENABLED", "SCHEDULE", "STATE", "LAST RUN", `NEXT RUN (${timezone ?? "system time"})`]];
    for (const t of tasks) {
      rows.push([t.name, t.enabled ? "yes" : "no", t.schedule ?? "-", t.state, "-", t.next_run ? formatLocal(new Date(t.next_run), timezone) : "-"]);
    }
    say(ctx, table(rows));
  }
  if (loaded.config && computePlan(loaded.config, applied).changes.length > 0) {
    say(ctx, `\n${ctx.configName} has changes that are not applied; cloudsync plan shows them.`);
  }
  return 0;
}

function formatLocal(date: Date, timezone: string | null): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: timezone ?? undefined, dateStyle: "short", timeStyle: "short" }).format(date);
}
