// The page's side of the JSON API: its types are the views' own (the shapes the CLI prints with
// --json), derived here and never copied, so that a change of a view is a type error on the page.
import type { abortJson, dashboardStatusJson, healthJson, startedJson, taskDetailJson } from "../../views/dashboard.js";
import type { progressJson } from "../../views/progress.js";
import type { recordJson } from "../../views/record.js";
import type { historyJson } from "../../views/history.js";
import type { listingJson, verificationJson } from "../../views/remotes.js";
import type { restoreJson } from "../../views/restore.js";
import type { approvalJson, folderAtJson, restoreAtJson } from "../../views/versions.js";
import type { fleetJson } from "../../views/fleet.js";

export type RecordJson = ReturnType<typeof recordJson>;
export type Status = ReturnType<typeof dashboardStatusJson>;
export type TaskRow = Status["tasks"][number];
export type Health = ReturnType<typeof healthJson>;
export type Diagnostic = Health["config"]["diagnostics"][number];
export type Progress = ReturnType<typeof progressJson>;
export type TaskDetail = ReturnType<typeof taskDetailJson>;
export type Started = ReturnType<typeof startedJson>;
export type Aborted = ReturnType<typeof abortJson>;
export type RestoreAnswer = ReturnType<typeof restoreJson>;
export type Verification = ReturnType<typeof verificationJson>;
export type History = ReturnType<typeof historyJson>;
export type Listing = ReturnType<typeof listingJson>;
export type FolderAt = ReturnType<typeof folderAtJson>;
export type RestoreAtAnswer = ReturnType<typeof restoreAtJson>;
export type Approval = ReturnType<typeof approvalJson>;
export type RecentRun = TaskRow["recent"][number];
export type Fleet = ReturnType<typeof fleetJson>;
export type FleetHost = Fleet["hosts"][number];

export class ApiError extends Error {
  constructor(
    message: string,
    readonly hint: string | null,
    readonly diagnostics: Diagnostic[] | null,
    readonly status = 0,
  ) {
    super(message);
  }
}

/** An API error: its message and hint, the diagnostics of a broken file, and the HTTP status (409: a conflict to confirm). */
async function answer<T>(response: Response): Promise<T> {
  if (response.status === 401) {
    location.href = "/login";
    throw new ApiError("Logged out", null, null);
  }
  const body = (await response.json()) as T & { error?: { message: string; hint: string | null }; diagnostics?: Diagnostic[] | null };
  if (!response.ok) throw new ApiError(body.error?.message ?? `HTTP ${response.status}`, body.error?.hint ?? null, body.diagnostics ?? null, response.status);
  return body;
}

export const getJson = async <T>(path: string): Promise<T> => answer<T>(await fetch(path, { headers: { accept: "application/json" } }));

export const post = async <T>(path: string, body: unknown = {}): Promise<T> =>
  answer<T>(await fetch(path, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) }));

export const taskPath = (task: string) => `/api/v1/tasks/${encodeURIComponent(task)}`;

/** A query string of the values that are set. */
export const queryOf = (values: Record<string, string | undefined | null>) => {
  const params = new URLSearchParams(Object.entries(values).filter((pair): pair is [string, string] => pair[1] !== undefined && pair[1] !== null && pair[1] !== ""));
  const text = params.toString();
  return text ? `?${text}` : "";
};
