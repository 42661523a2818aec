// Keeps the metrics text up to date from the event stream (in the service
// for /metrics, in any process for the textfile), reading a task's records
// again only when one of its runs or checks ends.
import { fsReason } from "../errors.js";
import type { EventBus } from "../events/events.js";
import { rcloneVersion } from "../rclone/version.js";
import { RunCounters } from "../state/run-counters.js";
import { RunRecords } from "../state/run-records.js";
import { nextRunAt } from "../scheduler/next-run.js";
import type { AppliedState } from "../model/applied-state.js";
import { replaceFile } from "../state/private-files.js";
import { VERSION } from "../version.js";
import { MetricsText, taskMetrics } from "./model.js";

export interface PublisherOptions {
  stateDir: string;
  applied: () => AppliedState;
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** Due runs waiting for a slot (the service's queue). */
  queued?: () => number;
}

export class MetricsPublisher {
  readonly text = new MetricsText();
  private readonly runs: RunRecords;
  private readonly counters: RunCounters;

  constructor(private readonly options: PublisherOptions) {
    this.runs = new RunRecords(options.stateDir);
    this.counters = new RunCounters(options.stateDir);
  }

  /** Reads every applied task's records and counters (at start, and whenever the applied tasks change). */
  async loadAll(): Promise<void> {
    const applied = this.options.applied();
    this.text.retain(new Set(Object.keys(applied.tasks)));
    for (const task of Object.keys(applied.tasks)) this.loadTask(task);
    this.text.setGlobal({ version: VERSION, rclone_version: await rcloneVersion(applied.settings?.rclone ?? "rclone", this.options.env) });
  }

  private loadTask(task: string): void {
    const applied = this.options.applied();
    const spec = applied.tasks[task];
    if (!spec) return;
    const next = spec.enabled && spec.schedule ? nextRunAt(spec.schedule, applied.settings?.timezone ?? null, this.options.now()) : null;
    this.text.setTask(task, taskMetrics(this.runs.seen(task), this.counters.of(task), spec.enabled, next, Object.keys(spec.destinations ?? {})));
  }

  render(): string {
    if (this.options.queued) this.text.setGlobal({ queued: this.options.queued() });
    return this.text.render();
  }

  /** The textfile, if settings.metrics.textfile names one; a failure is reported, never thrown. */
  writeTextfile(onError: (message: string) => void): void {
    const path = this.options.applied().settings?.metrics.textfile;
    if (!path) return;
    try {
      replaceFile(path, this.render(), { mode: 0o644 });
    } catch (error) {
      onError(`cannot write the metrics textfile ${path}: ${fsReason(error)}`);
    }
  }

  /** Follows the stream: runs starting and ending, applies, rejected edits, schedules. */
  attach(bus: EventBus): () => void {
    const warn = (message: string) => bus.emit({ type: "notice", level: "warning", message });
    return bus.subscribe((event) => {
      const at = Date.parse(event.at) / 1000;
      switch (event.type) {
        case "run.started":
          this.text.updateTask(event.record.task, { running: true });
          break;
        case "run.finished":
        case "check.finished":
          this.loadTask(event.record.task);
          this.writeTextfile(warn);
          break;
        case "apply.completed":
          this.text.setGlobal({ reload: { success: true, at } });
          break;
        case "config.rejected":
          this.text.setGlobal({ reload: { success: false, at } });
          break;
        case "fleet.read":
          this.text.setGlobal({ fleet: event.hosts });
          this.writeTextfile(warn);
          break;
        case "schedule.updated":
          for (const { task, kind, next } of event.scheduled) if (kind === "run") this.text.updateTask(task, { next_run: next ? Date.parse(next) / 1000 : null });
          for (const task of event.unscheduled) this.text.updateTask(task, { next_run: null });
          break;
      }
    });
  }
}
