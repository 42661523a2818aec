import type { Clock } from "../../src/clock.js";

/**
 * A clock that moves only when told to, running timers as it passes them. Timers keep
 * monotonic time; `step` moves the wall clock alone, as NTP or an operator setting the date does.
 */
export class FakeClock implements Clock {
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 0;
  private mono = 0;
  constructor(private time: number) {}
  now = () => new Date(this.time);
  monotonic = () => this.mono;
  setTimeout = (fn: () => void, ms: number) => {
    const id = ++this.nextId;
    this.timers.push({ at: this.mono + ms, fn, id });
    return id;
  };
  clearTimeout = (id: unknown) => {
    this.timers = this.timers.filter((t) => t.id !== id);
  };
  advance(ms: number): void {
    const end = this.mono + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time += next.at - this.mono;
      this.mono = next.at;
      next.fn();
    }
    this.time += end - this.mono;
    this.mono = end;
  }
  /** The wall clock jumps by `ms` (back when negative); timers are not moved. */
  step(ms: number): void {
    this.time += ms;
  }
}
