// `cloudsync dashboard`: the link that logs into the page the service serves.
// With settings.web.token it is the login form (the token is the user's own
// secret, never printed); without, it carries the token the service generated.
import { UserError } from "../errors.js";
import type { AppliedState } from "../model/applied-state.js";
import type { Diagnostic } from "../model/diagnostics.js";
import type { RunRecord } from "../model/run-record.js";
import { dashboardAccess } from "../state/dashboard-access.js";
import { liveService } from "./status.js";
import { locateStore, type Workspace } from "./workspace.js";

export interface DashboardLink {
  /** Where the page is served. */
  url: string;
  /** Opens a session at once (the generated token in it), or the login form when the token is settings.web.token. */
  login: string;
  token: "generated" | "settings.web.token";
}

export async function dashboardLink(ws: Workspace): Promise<DashboardLink> {
  const { store } = await locateStore(ws);
  const service = liveService(store.dir);
  const access = dashboardAccess(store.dir);
  if (!service || !access.address || access.address.pid !== service.pid) {
    throw new UserError(`no cloudsync watch serves a dashboard for ${store.dir}`, "Start the service with settings.web.listen set (or cloudsync watch --web 127.0.0.1:8080).");
  }
  const { url } = access.address;
  if (store.read().settings?.web.token) return { url, login: `${url}/login`, token: "settings.web.token" };
  if (!access.token) throw new UserError(`the dashboard's token in ${store.dir} cannot be read`, "It is readable by the service's user only: run this as that user.");
  return { url, login: `${url}/login?token=${access.token}`, token: "generated" };
}

/** What the service gives the dashboard: its state, and its way of starting runs. */
export interface DashboardHost {
  workspace: Workspace;
  stateDir: string;
  applied(): AppliedState;
  /** The diagnostics of a file the service refused, or null. */
  rejection(): Diagnostic[] | null;
  /** Starts a run now, resolving once it has started (its record) or refusing (already running). */
  runNow(task: string, dryRun: boolean): Promise<RunRecord>;
  /** Starts a check now, resolving once it has started. */
  checkNow(task: string, download: boolean): Promise<RunRecord>;
  service: { pid: number; since: string };
  /** The token every request needs when settings.web.token is not set (the service keeps it in the state directory). */
  generatedToken: string;
}

/** A server the service keeps listening while the settings ask for it. */
export interface Served {
  address: string;
  /** Where it listens (the port the system chose, for :0). */
  url: string;
  close(): Promise<void>;
}

export type ServeDashboard = (address: string, host: DashboardHost) => Promise<Served>;
