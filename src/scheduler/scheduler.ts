import type { Clock } from "../clock.js";
import { nextRunAt } from "./next-run.js";

export interface ScheduledTask {
  schedule: string | null;
  enabled: boolean;
  /** A run missed while the machine slept (or the clock jumped past it) happens once, late, rather than not at all. */
  catchup?: boolean;
}

// Sleep at most this long before looking again, so a clock that jumps (suspend, NTP) is noticed.
const MAX_SLEEP_MS = 60_000;
/** A difference this large between the wall clock's and the monotonic clock's progress is a step, not drift. */
const STEP_MS = 2_000;

interface Entry {
  key: string;
  cron: string;
  catchup: boolean;
  next: Date | null;
  /** The slot fired last, and when that was on the monotonic clock. */
  fired: { slot: number; at: number } | null;
}

/** Why a due time passed without a run. */
export type Skipped = { task: string; at: Date; reason: string };

/**
 * Fires each enabled task at the times its cron expression names, in the
 * configured time zone. Level-based: `update` takes the whole desired set and
 * changes only what differs, so calling it again with the same tasks is a no-op.
 *
 * The wall clock may step. Forward (a suspend, a clock set ahead): a task with
 * `catchup` runs once for what it missed, the others wait for their next time.
 * Back (NTP correcting a clock that ran ahead): the next times are worked out
 * again from the real time of each task's last run, so nothing waits for the
 * size of the step; a slot that already ran runs again only if skipping it would
 * leave the task without a run for more than one of its periods.
 */
export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private timezone: string | null = null;
  private timer: unknown;
  private stopped = false;
  /** Both clocks at the last look, to tell a step of the wall clock. */
  private seen = { wall: 0, mono: 0 };

  constructor(
    private readonly clock: Clock,
    private readonly onDue: (task: string, at: Date) => void,
    private readonly onSkipped: (skipped: Skipped) => void = () => undefined,
  ) {
    this.look();
  }

  update(tasks: Record<string, ScheduledTask>, timezone: string | null): { added: string[]; removed: string[]; changed: string[] } {
    this.adjustForSteps();
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
      if (existing && existing.key === key && !zoneChanged) {
        existing.catchup = task.catchup === true;
        continue;
      }
      (existing ? changed : added).push(name);
      this.entries.set(name, { key, cron: task.schedule, catchup: task.catchup === true, next: nextRunAt(task.schedule, timezone, now), fired: null });
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

  private look(): { wall: number; mono: number } {
    this.seen = { wall: this.clock.now().getTime(), mono: this.clock.monotonic() };
    return this.seen;
  }

  /** How far the wall clock stepped since the last look (0: it kept pace with real time). */
  private step(): number {
    const before = this.seen;
    const now = this.look();
    const step = now.wall - before.wall - (now.mono - before.mono);
    return Math.abs(step) >= STEP_MS ? step : 0;
  }

  private adjustForSteps(): void {
    const step = this.step();
    if (step > 0) this.steppedForward();
    else if (step < 0) this.steppedBack();
  }

  /** Forward: what fell in the jump runs once for catch-up tasks, and is skipped (and said) for the others. */
  private steppedForward(): void {
    const now = this.clock.now();
    for (const [name, entry] of this.entries) {
      if (!entry.next || entry.next >= now || entry.catchup) continue;
      this.onSkipped({ task: name, at: entry.next, reason: "the clock jumped forward past it (a suspend, or the time being set); catchup: true would run it late" });
      entry.next = nextRunAt(entry.cron, this.timezone, new Date(now.getTime() - 1));
    }
  }

  /** Back: each next time again, from the real time of the last run. */
  private steppedBack(): void {
    // A slot at this very moment is due now, not skipped.
    const now = this.clock.now().getTime() - 1;
    const mono = this.clock.monotonic();
    for (const entry of this.entries.values()) {
      if (!entry.fired) {
        entry.next = nextRunAt(entry.cron, this.timezone, new Date(now));
        continue;
      }
      // When the last run was, on the wall clock as it reads now.
      const lastRun = now - (mono - entry.fired.at);
      const onTime = nextRunAt(entry.cron, this.timezone, new Date(Math.max(now, lastRun + 1000)));
      const unrepeated = nextRunAt(entry.cron, this.timezone, new Date(Math.max(now, entry.fired.slot + 1000)));
      if (!onTime || !unrepeated) {
        entry.next = onTime ?? unrepeated;
        continue;
      }
      const period = (nextRunAt(entry.cron, this.timezone, new Date(onTime.getTime() + 1000))?.getTime() ?? Infinity) - onTime.getTime();
      entry.next = unrepeated.getTime() - onTime.getTime() <= period ? unrepeated : onTime;
    }
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
    this.adjustForSteps();
    const now = this.clock.now();
    const mono = this.clock.monotonic();
    const due: [string, Date][] = [];
    for (const [name, entry] of this.entries) {
      if (entry.next && entry.next.getTime() <= now.getTime()) {
        due.push([name, entry.next]);
        entry.fired = { slot: entry.next.getTime(), at: mono };
        // From the due time plus a second, so a run is never fired twice for one slot.
        entry.next = nextRunAt(entry.cron, this.timezone, new Date(Math.max(now.getTime(), entry.next.getTime() + 1000)));
      }
    }
    due.sort((a, b) => a[1].getTime() - b[1].getTime());
    for (const [name, at] of due) this.onDue(name, at);
    this.arm();
  }
}
