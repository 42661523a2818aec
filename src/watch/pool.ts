/**
 * Runs due tasks with at most `max` at once. Further due tasks wait in a FIFO
 * queue; a task that is already running or waiting is not added again.
 */
export class RunPool {
  private readonly running = new Map<string, AbortController>();
  private readonly queue: string[] = [];
  private readonly finished = new Set<Promise<void>>();

  constructor(
    private max: number,
    private readonly start: (task: string, signal: AbortSignal) => Promise<void>,
  ) {}

  setMax(max: number): void {
    this.max = max;
    this.drain();
  }

  /** started, queued (waiting for a free slot), or skipped (already running or waiting). */
  enqueue(task: string): "started" | "queued" | "skipped" {
    if (this.running.has(task) || this.queue.includes(task)) return "skipped";
    this.queue.push(task);
    this.drain();
    return this.running.has(task) ? "started" : "queued";
  }

  /** How many due tasks wait for a free slot. */
  queued(): number {
    return this.queue.length;
  }

  runningTasks(): string[] {
    return [...this.running.keys()];
  }

  /** Stops the task's run, or takes it out of the queue. */
  abort(task: string): void {
    const index = this.queue.indexOf(task);
    if (index >= 0) this.queue.splice(index, 1);
    this.running.get(task)?.abort();
  }

  /** Aborts everything and waits until every run has ended. */
  async stopAll(): Promise<void> {
    this.queue.length = 0;
    for (const controller of this.running.values()) controller.abort();
    await Promise.all([...this.finished]);
  }

  private drain(): void {
    while (this.running.size < this.max && this.queue.length > 0) {
      const task = this.queue.shift()!;
      const controller = new AbortController();
      this.running.set(task, controller);
      const done: Promise<void> = this.start(task, controller.signal)
        .catch(() => undefined)
        .finally(() => {
          this.running.delete(task);
          this.finished.delete(done);
          this.drain();
        });
      this.finished.add(done);
    }
  }
}
