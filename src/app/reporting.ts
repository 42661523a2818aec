// The one place where the event stream's subscribers are wired: notifications,
// always, and metrics (the node_exporter textfile, and the text /metrics
// serves) while settings.metrics asks for them. A `cloudsync run` and the
// service report a run the same way.
import type { EventBus } from "../events/events.js";
import { MetricsPublisher } from "../metrics/publisher.js";
import type { MetricsText } from "../metrics/model.js";
import type { AppliedState } from "../model/applied-state.js";
import { Notifier, type NotifierOptions } from "../notify/notifier.js";
import type { Clock } from "../clock.js";

export interface ReportingOptions {
  stateDir: string;
  /** The applied configuration as it is now (the service's changes as it follows applies). */
  applied: () => AppliedState;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  /** Bounds of notification delivery (tests shorten them). */
  delivery?: NotifierOptions["delivery"];
  /** Due runs waiting for a slot (the service's queue). */
  queued?: () => number;
}

export class Reporting {
  private readonly detachNotifier: () => void;
  private metrics: { publisher: MetricsPublisher; detach: () => void } | undefined;

  constructor(
    private readonly events: EventBus,
    private readonly options: ReportingOptions,
  ) {
    this.detachNotifier = new Notifier({ config: options.applied, stateDir: options.stateDir, env: options.env, delivery: options.delivery }).attach(events);
  }

  /**
   * Metrics as the applied settings ask for them now: started, stopped, or (when the applied
   * tasks changed) read again, with the textfile rewritten. `reload`: the outcome of the
   * reconcile that led here, for metrics that start now (later ones follow the stream).
   */
  async follow(tasksChanged: boolean, reload?: { success: boolean; at: Date }): Promise<void> {
    const settings = this.options.applied().settings?.metrics;
    if (!settings?.listen && !settings?.textfile) {
      this.stopMetrics();
      return;
    }
    if (!this.metrics) {
      const { stateDir, applied, env, clock, queued } = this.options;
      const publisher = new MetricsPublisher({ stateDir, applied, env, now: () => clock.now(), queued });
      this.metrics = { publisher, detach: publisher.attach(this.events) };
      // The reload that made them wanted happened before they listened.
      if (reload) publisher.text.setGlobal({ reload: { success: reload.success, at: reload.at.getTime() / 1000 } });
      tasksChanged = true;
    }
    if (!tasksChanged) return;
    await this.metrics.publisher.loadAll();
    this.metrics.publisher.writeTextfile((message) => this.events.emit({ type: "notice", level: "warning", message }));
  }

  /** The metrics' text while they are kept (for /metrics); null otherwise. */
  get metricsText(): MetricsText | null {
    return this.metrics?.publisher.text ?? null;
  }

  private stopMetrics(): void {
    this.metrics?.detach();
    this.metrics = undefined;
  }

  detach(): void {
    this.detachNotifier();
    this.stopMetrics();
  }
}
