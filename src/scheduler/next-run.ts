import { Cron } from "croner";

/** Parsed schedules, kept: a service asks for the next run of thousands of tasks again and again. */
const parsed = new Map<string, Cron | null>();
const MAX_KEPT = 2_000;

/**
 * The first time after `now` that a cron expression fires, in `timezone` (null: the system's);
 * null when it never does, or cannot be read (a hand-edited state: validate checks every file's).
 */
export function nextRunAt(cron: string, timezone: string | null, now: Date): Date | null {
  const key = `${cron}\0${timezone ?? ""}`;
  let schedule = parsed.get(key);
  if (schedule === undefined) {
    if (parsed.size >= MAX_KEPT) parsed.clear();
    try {
      schedule = new Cron(cron, { mode: "5-or-6-parts", ...(timezone ? { timezone } : {}) });
    } catch {
      schedule = null;
    }
    parsed.set(key, schedule);
  }
  try {
    return schedule?.nextRun(now) ?? null;
  } catch {
    return null;
  }
}
