// `cloudsync dashboard`: the link that logs into the page the service serves.
// With settings.web.token it is the login form (the token is the user's own
// secret, never printed); without, it carries the token the service generated.
import { writtenEntry } from "../config/locate.js";
import { redactor, secretsOf } from "../secrets/secrets.js";
import { NotFoundError, taskNotApplied, UserError } from "../errors.js";
import type { FleetView } from "../model/fleet.js";
import type { AppliedState } from "../model/applied-state.js";
import type { TaskSpec } from "../model/config.js";
import type { Diagnostic } from "../model/diagnostics.js";
import type { ServiceHealth, StatusReport, TaskDetail } from "../model/results.js";
import type { RunRecord } from "../model/run-record.js";
import { dashboardAccess, dashboardSessions, forgetDashboardAddress, generatedDashboardToken, recordDashboardAddress, type SessionFile } from "../state/dashboard-access.js";
import { fileHealth } from "./health.js";
import { historyIn } from "./history.js";
import { liveService, statusOf } from "./status.js";
import { locateStore, readConfigText, type Workspace } from "./workspace.js";

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
  /** The fleet as the service last read it; null when it is in none (or has not read it yet). */
  fleet(): FleetView | null;
  /** The token every request needs when settings.web.token is not set (the service keeps it in the state directory). */
  generatedToken: string;
  /** Where logged-in sessions are kept between restarts (the state directory); none: they end with the process. */
  sessions?: SessionFile;
}

/** A server the service keeps listening while the settings ask for it. */
export interface Served {
  address: string;
  /** Where it listens (the port the system chose, for :0). */
  url: string;
  close(): Promise<void>;
}

export type ServeDashboard = (address: string, host: DashboardHost) => Promise<Served>;

/**
 * The service's dashboard on `address`, by `serve` (src/web's server): with the token the service
 * generated (kept in the state directory), and its address recorded there for `cloudsync dashboard`
 * until it is closed.
 */
export async function openDashboard(serve: ServeDashboard, address: string, host: Omit<DashboardHost, "generatedToken">): Promise<Served> {
  const { stateDir } = host;
  const served = await serve(address, { ...host, generatedToken: generatedDashboardToken(stateDir), sessions: dashboardSessions(stateDir) });
  recordDashboardAddress(stateDir, { url: served.url, pid: process.pid });
  const login = host.applied().settings?.web.token ? "log in with settings.web.token" : "cloudsync dashboard prints the login link";
  host.workspace.events.emit({ type: "notice", level: "info", message: `serving the dashboard on ${served.url}/ (${login})` });
  return {
    ...served,
    close: async () => {
      await served.close();
      forgetDashboardAddress(stateDir);
    },
  };
}

/** Whether the page may act (run, abort, restore) or only show: settings.web.read_only. */
export const readOnly = (host: DashboardHost) => host.applied().settings?.web.read_only === true;

/** The page's task list: `status` as the CLI reports it, from what the service holds. */
export async function dashboardStatus(host: DashboardHost): Promise<{ report: StatusReport; readOnly: boolean; zone: string; fleet: boolean }> {
  const read = readConfigText(host.workspace);
  const applied = host.applied();
  const report = await statusOf(host.workspace, host.stateDir, applied, "text" in read ? read.text : null);
  // The schedules' zone: settings.timezone, else the service's own.
  return { report, readOnly: readOnly(host), zone: report.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, fleet: applied.settings?.fleet !== undefined };
}

/** The fleet as the service last read it (re-read every minute); a NotFoundError when it is in none. */
export function dashboardFleet(host: DashboardHost): FleetView {
  const view = host.fleet();
  if (view) return view;
  if (host.applied().settings?.fleet) throw new NotFoundError("the service has not read the fleet's folder yet", "It reads it within a minute of starting; the service log says why when it cannot.");
  throw new NotFoundError("this service is in no fleet", "settings.fleet names the folder the hosts of a fleet share.");
}

/** The service's health: what is applied, and the file against it (applied, differs with its plan, rejected with its diagnostics). */
export async function serviceHealth(host: DashboardHost): Promise<ServiceHealth> {
  const state = host.applied();
  return { service: host.service, serial: state.serial, applied_at: state.applied_at, file: host.workspace.configName, config: await fileHealth(host.workspace, state), readOnly: readOnly(host) };
}

/** An applied task's settings; a NotFoundError when it is not applied. */
export function appliedTask(host: DashboardHost, task: string): TaskSpec {
  const tasks = host.applied().tasks;
  const spec = tasks[task];
  if (!spec) throw taskNotApplied(task, Object.keys(tasks));
  return spec;
}

const TASK_PAGE_RUNS = 50;

/** One task as its page shows it; a NotFoundError when it is not applied. */
export function taskDetail(host: DashboardHost, task: string): TaskDetail {
  const spec = appliedTask(host, task);
  const credential = host.applied().credentials[spec.credential];
  const read = readConfigText(host.workspace);
  const where = "text" in read ? writtenEntry(read.text, "tasks", task) : null;
  return {
    name: task,
    spec,
    credential: credential ? { name: spec.credential, spec: credential } : null,
    definedAt: where && { file: host.workspace.configName, line: where.line, column: where.column },
    // A secret written out in the file (validate warns of it) never reaches the page.
    written: where ? redactor(secretsOf(host.applied()))(where.text) : null,
    runs: historyIn(host.stateDir, { task, limit: TASK_PAGE_RUNS }),
  };
}
