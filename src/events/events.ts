// The one stream of what happens: every run, apply and check emits here,
// whoever started it, and every front end (the CLI's progress view, the
// service log, notifications, metrics, the web page) subscribes. Nobody parses
// log lines.
import type { CloudsyncEvent, Listener, Stamped } from "../model/events.js";

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
