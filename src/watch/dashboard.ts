// The service's dashboard, kept where `watch --web ADDR` or settings.web.listen
// says: moved or stopped when that changes.
import { openDashboard, type DashboardHost, type Served, type ServeDashboard } from "../app/dashboard.js";
import type { AppliedState } from "../model/applied-state.js";

export class ServiceDashboard {
  private served: Served | undefined;

  constructor(
    /** The dashboard's server (src/web), given by whoever started the service; without it no page is served. */
    private readonly serve: ServeDashboard | undefined,
    /** `watch --web ADDR`: the dashboard there, whatever settings.web.listen says. */
    private readonly webListen: string | undefined,
  ) {}

  get open(): boolean {
    return this.served !== undefined;
  }

  async follow(applied: AppliedState, host: Omit<DashboardHost, "generatedToken">): Promise<void> {
    const listen = this.webListen ?? applied.settings?.web.listen ?? null;
    if (this.served?.address === listen) return;
    await this.close();
    if (listen !== null && this.serve) this.served = await openDashboard(this.serve, listen, host);
  }

  async close(): Promise<void> {
    await this.served?.close();
    this.served = undefined;
  }
}
