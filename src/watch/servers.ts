// The service's listeners, kept where the settings say: /metrics on
// settings.metrics.listen, the dashboard on `watch --web ADDR` or
// settings.web.listen; moved or stopped when that changes.
import type { DashboardHost, Served, ServeDashboard } from "../app/dashboard.js";
import type { Reporting } from "../app/reporting.js";
import type { EventBus } from "../events/events.js";
import { serveMetrics } from "../metrics/server.js";
import type { AppliedState } from "../model/applied-state.js";
import { forgetDashboardAddress, recordDashboardAddress } from "../state/dashboard-access.js";

export interface ServersOptions {
  events: EventBus;
  stateDir: string;
  reporting: Reporting;
  /** Due runs waiting for a slot, for each scrape. */
  queued: () => number;
  /** The dashboard's server (src/web), given by whoever started the service. */
  serveDashboard?: ServeDashboard;
  /** `watch --web ADDR`: the dashboard there, whatever settings.web.listen says. */
  webListen?: string;
}

export class ServiceServers {
  private metrics: Served | undefined;
  private dashboard: Served | undefined;

  constructor(private readonly options: ServersOptions) {}

  /** Whether anyone listens to what happens here (the page, metrics): then other processes' runs are told too. */
  get listening(): boolean {
    return this.metrics !== undefined || this.dashboard !== undefined;
  }

  private notice(message: string, level: "info" | "warning" = "info"): void {
    this.options.events.emit({ type: "notice", level, message });
  }

  async follow(applied: AppliedState, host: DashboardHost): Promise<void> {
    await this.keepMetrics(applied.settings?.metrics.listen ?? null);
    await this.keepDashboard(this.options.webListen ?? applied.settings?.web.listen ?? null, applied, host);
  }

  private async keepMetrics(listen: string | null): Promise<void> {
    const text = this.options.reporting.metricsText;
    if (this.metrics?.address === listen && text) return;
    await this.metrics?.close();
    this.metrics = undefined;
    if (listen === null || !text) return;
    this.metrics = await serveMetrics(
      listen,
      text,
      () => text.setGlobal({ queued: this.options.queued() }),
      (error) => this.notice(`metrics: ${error.message}`, "warning"),
    );
    this.notice(`serving metrics on ${this.metrics.url}/metrics`);
  }

  private async keepDashboard(listen: string | null, applied: AppliedState, host: DashboardHost): Promise<void> {
    if (this.dashboard?.address === listen) return;
    await this.closeDashboard();
    if (listen === null || !this.options.serveDashboard) return;
    this.dashboard = await this.options.serveDashboard(listen, host);
    recordDashboardAddress(this.options.stateDir, { url: this.dashboard.url, pid: process.pid });
    const login = applied.settings?.web.token ? "log in with settings.web.token" : "cloudsync dashboard prints the login link";
    this.notice(`serving the dashboard on ${this.dashboard.url}/ (${login})`);
  }

  private async closeDashboard(): Promise<void> {
    if (!this.dashboard) return;
    await this.dashboard.close();
    this.dashboard = undefined;
    forgetDashboardAddress(this.options.stateDir);
  }

  async close(): Promise<void> {
    await this.closeDashboard();
    await this.metrics?.close();
    this.metrics = undefined;
  }
}
