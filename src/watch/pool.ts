/**
 * Runs due work with at most `max` at once. Further due items wait in a FIFO
 * queue; an item whose group (its task: a run and a check of one task are
 * one group) is already running or waiting is not added again.
 */
export class RunPool {
  private readonly running = new Map<string, AbortController>();
  private readonly queue: string[] = [];
  private readonly finished = new Set<Promise<void>>();

  constructor(
    private max: number,
    private readonly start: (key: string, signal: AbortSignal) => Promise<void>,
    private readonly groupOf: (key: string) => string = (key) => key,
  ) {}

  setMax(max: number): void {
    this.max = max;
    this.drain();
  }

  /** started, queued (waiting for a free slot), or skipped (its group already running or waiting). */
  enqueue(key: string): "started" | "queued" | "skipped" {
    const group = this.groupOf(key);
    if ([...this.running.keys(), ...this.queue].some((k) => this.groupOf(k) === group)) return "skipped";
    this.queue.push(key);
    this.drain();
    return this.running.has(key) ? "started" : "queued";
  }

  /** How many due items wait for a free slot. */
  queued(): number {
    return this.queue.length;
  }

  /** The groups (tasks) running now. */
  runningTasks(): string[] {
    return [...new Set([...this.running.keys()].map(this.groupOf))];
  }

  /** Stops the group's running item, or takes its items out of the queue. */
  abort(group: string): void {
    for (let i = this.queue.length - 1; i >= 0; i--) if (this.groupOf(this.queue[i]!) === group) this.queue.splice(i, 1);
    for (const [key, controller] of this.running) if (this.groupOf(key) === group) controller.abort();
  }

  /** Aborts everything and waits until every run has ended. */
  async stopAll(): Promise<void> {
    this.queue.length = 0;
    for (const controller of this.running.values()) controller.abort();
    await Promise.all([...this.finished]);
  }

  private drain(): void {
    while (this.running.size < this.max && this.queue.length > 0) {
      const key = this.queue.shift()!;
      const controller = new AbortController();
      this.running.set(key, controller);
      const done: Promise<void> = this.start(key, controller.signal)
        .catch(() => undefined)
        .finally(() => {
          this.running.delete(key);
          this.finished.delete(done);
          this.drain();
        });
      this.finished.add(done);
    }
  }
}
