// The service's periodic chores, each on its own timer: overdue tasks looked
// for every minute; other processes' runs looked for every second while the
// page or metrics listen; the fleet's heartbeat and reads; memory given back
// once a reconcile has settled.
import type { Clock } from "../clock.js";

/** Calls `fn` every `ms` until stopped; a failure is `fn`'s to report. */
export class Every {
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly ms: number,
    private readonly fn: () => void,
  ) {}

  /** Runs `fn` now (if `now`) and then every `ms`. */
  start(now: boolean): this {
    if (now) this.fn();
    this.schedule();
    return this;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.stopped) return;
      this.fn();
      this.schedule();
    }, this.ms);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Quiet time after a reconcile before the service gives back what it allocated. */
const SETTLE_MS = 1_000;
const QUIET_MS = 10_000;

/**
 * Gives memory back once a reconcile has settled: an idle service allocates nothing, so V8
 * never collects what a big apply left behind. Twice: V8 shrinks the young generation only
 * once allocation has been quiet for a while.
 */
export class MemoryRelease {
  private timer: unknown;

  constructor(
    private readonly clock: Clock,
    private readonly release: () => void,
  ) {}

  later(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.release();
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.release();
      }, QUIET_MS);
    }, SETTLE_MS);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
