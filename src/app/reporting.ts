// The one place where the event stream's subscribers are wired: notifications,
// always, and metrics (the node_exporter textfile, and /metrics on
// settings.metrics.listen for a service) while settings.metrics asks for them.
// A `cloudsync run` and the service report a run the same way.
import type { EventBus } from "../events/events.js";
import { MetricsPublisher } from "../metrics/publisher.js";
import type { MetricsServer } from "../metrics/server.js";
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
  /** A service serves /metrics on settings.metrics.listen; a single run only keeps the textfile. */
  serve?: boolean;
}

export class Reporting {
  private readonly detachNotifier: () => void;
  private metrics: { publisher: MetricsPublisher; detach: () => void } | undefined;
  private server: MetricsServer | undefined;

  constructor(
    private readonly events: EventBus,
    private readonly options: ReportingOptions,
  ) {
    this.detachNotifier = new Notifier({ config: options.applied, stateDir: options.stateDir, env: options.env, now: () => options.clock.now(), delivery: options.delivery }).attach(events);
  }

  /**
   * Metrics as the applied settings ask for them now: started, stopped, or (when the applied
   * tasks changed) read again, with the textfile rewritten; /metrics served, moved or stopped.
   * `reload`: the outcome of the reconcile that led here, for metrics that start now (later ones
   * follow the stream). Throws a CannotServeError when /metrics cannot listen where it should.
   */
  async follow(tasksChanged: boolean, reload?: { success: boolean; at: Date }): Promise<void> {
    const settings = this.options.applied().settings?.metrics;
    if (!settings?.textfile && !(this.options.serve && settings?.listen)) {
      await this.stopMetrics();
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
    if (tasksChanged) {
      await this.metrics.publisher.loadAll();
      this.metrics.publisher.writeTextfile((message) => this.notice("warning", message));
    }
    await this.listen(this.options.serve ? (settings?.listen ?? null) : null, this.metrics.publisher);
  }

  /** Whether /metrics is served now. */
  get serving(): boolean {
    return this.server !== undefined;
  }

  private notice(level: "info" | "warning", message: string): void {
    this.events.emit({ type: "notice", level, message });
  }

  private async listen(address: string | null, publisher: MetricsPublisher): Promise<void> {
    if (this.server?.address === address) return;
    await this.server?.close();
    this.server = undefined;
    if (address === null) return;
    const { queued } = this.options;
    // Loaded when first served: prom-client costs every other command a few milliseconds at start.
    const { serveMetrics } = await import("../metrics/server.js");
    this.server = await serveMetrics(
      address,
      publisher.text,
      () => publisher.text.setGlobal({ queued: queued?.() ?? 0 }),
      (error) => this.notice("warning", `metrics: ${error.message}`),
    );
    this.notice("info", `serving metrics on ${this.server.url}/metrics`);
  }

  private async stopMetrics(): Promise<void> {
    this.metrics?.detach();
    this.metrics = undefined;
    await this.server?.close();
    this.server = undefined;
  }

  /** Stops every subscriber and the /metrics server. */
  async close(): Promise<void> {
    this.detachNotifier();
    await this.stopMetrics();
  }
}
