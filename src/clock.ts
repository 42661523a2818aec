/** What time-dependent code needs from the world; tests give it a fake clock. */
export interface Clock {
  /** The wall clock: what schedules are read against. NTP or an operator may step it, either way. */
  now(): Date;
  /** Milliseconds on a clock that only moves forward, at the pace timers keep: how much time really passed. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
