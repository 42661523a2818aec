// When the service reconciles: after a burst of triggers settles (editors
// write, rename, touch), again with backoff after a failure, and whenever a
// look at the file and the state finds a change the file watcher missed.
import { statSync } from "node:fs";
import type { Clock } from "../clock.js";

/** Why a reconcile happened: the triggers since the last one, for the log. */
export type Trigger = "start" | "the file changed" | "the applied state changed" | "SIGHUP" | "retry" | "the watch lock changed";
/** The trigger a reconcile is logged under when several came together (the service's own apply also changes the state). */
const TRIGGER_PRIORITY: Trigger[] = ["SIGHUP", "start", "the file changed", "the applied state changed", "the watch lock changed", "retry"];

const DEBOUNCE_MS = 100;
/** A failed reconcile is tried again after 1 s, 2 s, 4 s … at most this long. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5 * 60_000;
/**
 * How often the files are compared with what the last reconcile saw, in case a change event was
 * lost (file watchers coalesce and throttle events of files replaced by rename).
 */
export const RESYNC_MS = 5_000;

/** What identifies a file's version cheaply: inode, size and modification time (or why it cannot be read). */
function versionOf(path: string): string {
  try {
    const stats = statSync(path);
    return `${stats.ino}:${stats.size}:${stats.mtimeMs}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? "unreadable";
  }
}

export interface ReconcilerOptions {
  clock: Clock;
  /** One reconcile; throws what went wrong (retried with backoff). */
  pass: (reason: Trigger) => Promise<void>;
  /** A pass failed: it is tried again in `retryInMs`. */
  onFailure: (reason: Trigger, error: unknown, retryInMs: number) => void;
  /** The files a change of which is looked for on a timer: the configuration's, and the applied state's. */
  files: { config: string; state: string };
}

export class Reconciler {
  private readonly triggers = new Set<Trigger>();
  private debounce: unknown;
  private retry: unknown;
  private resync: unknown;
  private retryMs = FIRST_RETRY_MS;
  private reconciling: Promise<void> = Promise.resolve();
  /** The files' versions when the last reconcile began. */
  private seen = { config: "", state: "" };
  private stopped = false;

  constructor(private readonly options: ReconcilerOptions) {}

  /** The first reconcile, now. A failure `fatalAtStart` names is thrown (a service that cannot start); others are retried. */
  async start(fatalAtStart: (error: unknown) => boolean): Promise<void> {
    this.triggers.add("start");
    await this.reconcile(fatalAtStart);
    this.lookLater();
  }

  /** Something changed: reconcile once the burst settles. */
  trigger(why: Trigger): void {
    if (this.stopped) return;
    this.triggers.add(why);
    const { clock } = this.options;
    if (this.debounce !== undefined) clock.clearTimeout(this.debounce);
    this.debounce = clock.setTimeout(() => {
      this.debounce = undefined;
      this.reconciling = this.reconciling.then(() => this.reconcile());
    }, DEBOUNCE_MS);
  }

  /** Settles once no reconcile is running or waiting to start after one. */
  async idle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.reconciling;
      await current;
    } while (current !== this.reconciling);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of [this.debounce, this.retry, this.resync]) if (timer !== undefined) this.options.clock.clearTimeout(timer);
    await this.reconciling;
  }

  private takeReason(): Trigger {
    const reason = TRIGGER_PRIORITY.find((t) => this.triggers.has(t)) ?? "retry";
    this.triggers.clear();
    this.seen = { config: versionOf(this.options.files.config), state: versionOf(this.options.files.state) };
    return reason;
  }

  private async reconcile(fatal: (error: unknown) => boolean = () => false): Promise<void> {
    if (this.stopped) return;
    const reason = this.takeReason();
    try {
      await this.options.pass(reason);
      this.retryMs = FIRST_RETRY_MS;
    } catch (error) {
      if (this.stopped) return;
      if (fatal(error)) throw error;
      this.options.onFailure(reason, error, this.retryMs);
      const { clock } = this.options;
      if (this.retry !== undefined) clock.clearTimeout(this.retry);
      this.retry = clock.setTimeout(() => {
        this.retry = undefined;
        this.trigger("retry");
      }, this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    }
  }

  /** Reconciles when the file or the applied state changed without the watcher telling. */
  private lookLater(): void {
    this.resync = this.options.clock.setTimeout(() => {
      if (this.stopped) return;
      if (versionOf(this.options.files.config) !== this.seen.config) this.trigger("the file changed");
      else if (versionOf(this.options.files.state) !== this.seen.state) this.trigger("the applied state changed");
      this.lookLater();
    }, RESYNC_MS);
  }
}
