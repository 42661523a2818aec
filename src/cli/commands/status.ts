import { RunStore, type RunRecord } from "../../runner/records.js";
import { FileLock, holderIsDead } from "../../state/lock.js";
import { editedConfig, locateStore } from "../config-file.js";
import { formatBytes, formatLocal } from "../progress.js";
import { computePlan } from "../../plan/diff.js";
import { nextRunAt } from "../../scheduler/next-run.js";
import type { CliContext } from "../context.js";
import { printJson, say } from "../output.js";

export interface TaskStatus {
  name: string;
  description: string;
  enabled: boolean;
  schedule: string | null;
  state: "PENDING" | RunRecord["state"];
  last_run: Pick<RunRecord, "id" | "state" | "started_at" | "finished_at" | "bytes" | "files" | "deletes" | "error" | "dry_run"> | null;
  next_run: string | null;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n");
}

export async function statusCommand(ctx: CliContext): Promise<number> {
  const now = new Date();
  const { store, text } = await locateStore(ctx);
  const applied = store.read();
  const timezone = applied.settings?.timezone ?? null;
  const runs = new RunStore(store.dir);
  const tasks: TaskStatus[] = Object.entries(applied.tasks)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, task]) => {
      const holder = FileLock.holder(runs.lockPath(name));
      // A run marked RUNNING whose process died is over: say so, as the next start would.
      if (!holder || holderIsDead(holder)) runs.reconcile(name, () => undefined, now);
      const last = runs.list(name)[0];
      return {
        name,
        description: task.description,
        enabled: task.enabled,
        schedule: task.schedule,
        state: last?.state ?? "PENDING",
        last_run: last
          ? { id: last.id, state: last.state, started_at: last.started_at, finished_at: last.finished_at, bytes: last.bytes, files: last.files, deletes: last.deletes, error: last.error, dry_run: last.dry_run }
          : null,
        next_run: task.enabled && task.schedule ? (nextRunAt(task.schedule, timezone, now)?.toISOString() ?? null) : null,
      };
    });

  if (ctx.json) {
    printJson(ctx, { tasks });
    return 0;
  }
  if (applied.serial === 0) say(ctx, `Nothing is applied yet (state: ${store.dir}). Run cloudsync plan, then cloudsync apply.`);
  else if (tasks.length === 0) say(ctx, "No tasks are applied.");
  else {
    const rows = [["TASK", "ENABLED", "SCHEDULE", "STATE", "LAST RUN", `NEXT RUN (${timezone ?? "system time"})`]];
    for (const t of tasks) {
      const last = t.last_run ? `${formatLocal(new Date(t.last_run.started_at), timezone)}${t.state === "RUNNING" ? ` (${formatBytes(t.last_run.bytes)} so far)` : ""}` : "-";
      rows.push([t.name, t.enabled ? "yes" : "no", t.schedule ?? "-", t.state, last, t.next_run ? formatLocal(new Date(t.next_run), timezone) : "-"]);
    }
    say(ctx, table(rows));
  }
  const edited = await editedConfig(ctx, text, applied);
  if (edited && computePlan(edited, applied).changes.length > 0) {
    say(ctx, `\n${ctx.configName} has changes that are not applied; cloudsync plan shows them.`);
  }
  return 0;
}

