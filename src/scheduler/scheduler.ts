import type { Clock } from "../clock.js";
import { nextRunAt } from "./next-run.js";

export interface ScheduledTask {
  schedule: string | null;
  enabled: boolean;
}

// Sleep at most this long before looking again, so a clock that jumps (suspend, NTP) is noticed.
const MAX_SLEEP_MS = 60_000;

/**
 * Fires each enabled task at the times its cron expression names, in the
 * configured time zone. Level-based: `update` takes the whole desired set and
 * changes only what differs, so calling it again with the same tasks is a no-op.
 */
export class Scheduler {
  private readonly entries = new Map<string, { key: string; next: Date | null }>();
  private timezone: string | null = null;
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (task: string, at: Date) => void,
  ) {}

  update(tasks: Record<string, ScheduledTask>, timezone: string | null): { added: string[]; removed: string[]; changed: string[] } {
    const zoneChanged = timezone !== this.timezone;
    this.timezone = timezone;
    const added: string[] = [];
    const changed: string[] = [];
    const removed = [...this.entries.keys()].filter((name) => !tasks[name]?.enabled || tasks[name]?.schedule === null);
    for (const name of removed) this.entries.delete(name);
    const now = this.clock.now();
    for (const [name, task] of Object.entries(tasks)) {
      if (!task.enabled || task.schedule === null) continue;
      const key = `${task.schedule}@${timezone ?? ""}`;
      const existing = this.entries.get(name);
      if (existing && existing.key === key && !zoneChanged) continue;
      (existing ? changed : added).push(name);
      this.entries.set(name, { key, next: nextRunAt(task.schedule, timezone, now) });
    }
    this.arm();
    return { added, removed, changed };
  }

  /** When each scheduled task runs next. */
  nextRuns(): Record<string, Date | null> {
    return Object.fromEntries([...this.entries].map(([name, e]) => [name, e.next]));
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.stopped) return;
    const times = [...this.entries.values()].map((e) => e.next?.getTime()).filter((t): t is number => t !== undefined);
    if (times.length === 0) return;
    const delay = Math.min(Math.max(0, Math.min(...times) - this.clock.now().getTime()), MAX_SLEEP_MS);
    this.timer = this.clock.setTimeout(() => this.tick(), delay);
  }

  private tick(): void {
    this.timer = undefined;
    const now = this.clock.now();
    const due: [string, Date][] = [];
    for (const [name, entry] of this.entries) {
      if (entry.next && entry.next.getTime() <= now.getTime()) {
        due.push([name, entry.next]);
        const cron = entry.key.slice(0, entry.key.lastIndexOf("@"));
        // From the due time plus a second, so a run is never fired twice for one slot.
        entry.next = nextRunAt(cron, this.timezone, new Date(Math.max(now.getTime(), entry.next.getTime() + 1000)));
      }
    }
    due.sort((a, b) => a[1].getTime() - b[1].getTime());
    for (const [name, at] of due) this.onDue(name, at);
    this.arm();
  }
}
