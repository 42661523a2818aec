// The one stream of what happens: every run, apply and check emits here,
// whoever started it, and every front end (the CLI's progress view, the
// service log, notifications, metrics, the web page) subscribes. Nobody parses
// log lines.
import type { Diagnostic } from "../config/diagnostics.js";
import type { RcloneStats } from "../rclone/log.js";
import type { RunRecord } from "../runner/records.js";

export type Level = "error" | "warning" | "info";

/** The summary of an apply: what changed, by address. */
export interface AppliedChanges {
  serial: number;
  summary: { add: number; change: number; destroy: number };
  changes: { address: string; action: "create" | "update" | "delete" }[];
}

export type CloudsyncEvent =
  | ({ type: "apply.completed"; reason: string } & AppliedChanges)
  | { type: "config.rejected"; file: string; reason: string; diagnostics: Diagnostic[] }
  /** `elsewhere`: a run another process (a `cloudsync run` in a terminal) started, seen by the service; that process notifies of it itself. */
  | { type: "run.started"; record: RunRecord; elsewhere?: boolean }
  | { type: "run.progress"; record: RunRecord; stats: RcloneStats; elsewhere?: boolean }
  /** `previous`: the state of the task's run before this one (dry runs aside), for "recovered". */
  | { type: "run.finished"; record: RunRecord; previous: RunRecord["state"] | null; elsewhere?: boolean }
  | { type: "run.queued"; task: string; max_parallel_runs: number }
  | { type: "run.skipped"; task: string; reason: string }
  | { type: "check.finished"; record: RunRecord; elsewhere?: boolean }
  | { type: "task.overdue"; task: string; last_success: string | null; max_age: string }
  | { type: "schedule.updated"; scheduled: { task: string; kind: RunRecord["kind"]; schedule: string; next: string | null }[]; unscheduled: string[]; unscheduled_checks?: string[] }
  | { type: "service.started"; pid: number; config: string; state_dir: string }
  | { type: "service.stopping"; reason: string }
  /** Something worth telling that is none of the above: a lock taken over, a fallback, a retry. */
  | { type: "notice"; level: Level; message: string; hint?: string; diagnostics?: Diagnostic[] };

export type EventType = CloudsyncEvent["type"];
export type EventOf<T extends EventType> = Extract<CloudsyncEvent, { type: T }>;
/** An event as delivered: with the time it happened. */
export type Stamped<E extends CloudsyncEvent = CloudsyncEvent> = E & { at: string };

export type Listener = (event: Stamped) => void;

/**
 * A synchronous, in-process event bus. A subscriber that throws never
 * disturbs the emitter or the other subscribers. Subscribers that do slow
 * work (delivering a notification) register it with `track`, so a short-lived
 * process can wait for it before it exits (`settled`).
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: CloudsyncEvent): void {
    const stamped = { ...event, at: this.now().toISOString() } as Stamped;
    for (const listener of [...this.listeners]) {
      try {
        listener(stamped);
      } catch {
        // a subscriber's failure is its own
      }
    }
  }

  /** Work a subscriber started because of an event; `settled` waits for it. */
  track(work: Promise<unknown>): void {
    const done = work.catch(() => undefined).finally(() => this.pending.delete(done));
    this.pending.add(done);
  }

  /** Waits until tracked work is done, or the time is up; true if everything finished. */
  async settled(timeoutMs: number): Promise<boolean> {
    if (this.pending.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([Promise.all([...this.pending]).then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}
