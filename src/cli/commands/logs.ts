import { closeSync, openSync, readSync, statSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { UserError } from "../../errors.js";
import { RunStore } from "../../runner/records.js";
import { locateStore } from "../config-file.js";
import type { CliContext } from "../context.js";

export interface LogsOptions {
  run?: string;
  follow?: boolean;
}

/** Copies the log from `offset` to stdout; returns the new offset. */
function copyFrom(ctx: CliContext, path: string, offset: number): number {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return offset;
  }
  if (size <= offset) return offset;
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(size - offset);
    readSync(fd, buffer, 0, buffer.length, offset);
    ctx.stdout.write(buffer);
  } finally {
    closeSync(fd);
  }
  return size;
}

export async function logsCommand(ctx: CliContext, task: string, options: LogsOptions): Promise<number> {
  const runs = new RunStore((await locateStore(ctx)).store.dir);
  const all = runs.list(task);
  const record = options.run ? all.find((r) => r.id === options.run) : all[0];
  if (!record) {
    if (options.run) throw new UserError(`task "${task}" has no run ${options.run}`, all.length ? `Its runs: ${all.map((r) => r.id).join(", ")}` : undefined);
    throw new UserError(`task "${task}" has not run yet`);
  }
  const path = runs.logPath(task, record.id);
  let offset = copyFrom(ctx, path, 0);
  // Follow while the run goes on; the record says when it has ended.
  while (options.follow && runs.get(task, record.id)?.state === "RUNNING") {
    await sleep(250);
    offset = copyFrom(ctx, path, offset);
  }
  if (options.follow) copyFrom(ctx, path, offset);
  return 0;
}
