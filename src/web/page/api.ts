// The page's side of the JSON API: the same shapes the CLI prints with --json.

export interface RecordJson {
  id: string;
  kind: "run" | "check";
  task: string;
  state: "RUNNING" | "SUCCESS" | "FAILED" | "ABORTED";
  dry_run: boolean;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  duration_ms: number | null;
  bytes: number;
  files: number;
  deletes: number;
  checks: number;
  attempts: number;
  error: string | null;
}

export interface TaskRow {
  name: string;
  description: string;
  direction: "push" | "pull";
  transfer_mode: "copy" | "move" | "sync";
  path: string;
  remote: string;
  enabled: boolean;
  schedule: string | null;
  schedule_words: string | null;
  state: "PENDING" | RecordJson["state"];
  last_run: RecordJson | null;
  last_error: { run_id: string; error: string } | null;
  next_run: string | null;
}

export interface Status {
  state_dir: string;
  serial: number;
  applied_at: string | null;
  service: { pid: number; host: string; since: string } | null;
  pending_changes: boolean;
  read_only: boolean;
  tasks: TaskRow[];
}

export interface Diagnostic {
  severity: "error" | "warning";
  message: string;
  file: string;
  line: number;
  column: number;
}

export interface Health {
  service: { pid: number; since: string };
  serial: number;
  applied_at: string | null;
  file: string;
  read_only: boolean;
  config: {
    state: "applied" | "differs" | "rejected";
    diagnostics: Diagnostic[];
    plan: { changes: { address: string; action: string; changed_fields: string[] }[]; summary: { add: number; change: number; destroy: number } } | null;
  };
}

export interface Progress {
  bytes: number;
  total_bytes: number;
  speed: number;
  eta: number | null;
  files: number;
  total_files: number;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly hint: string | null,
    readonly diagnostics: Diagnostic[] | null,
  ) {
    super(message);
  }
}

async function answer<T>(response: Response): Promise<T> {
  if (response.status === 401) {
    location.href = "/login";
    throw new ApiError("Logged out", null, null);
  }
  const body = (await response.json()) as T & { error?: { message: string; hint: string | null }; diagnostics?: Diagnostic[] | null };
  if (!response.ok) throw new ApiError(body.error?.message ?? `HTTP ${response.status}`, body.error?.hint ?? null, body.diagnostics ?? null);
  return body;
}

export const getJson = async <T>(path: string): Promise<T> => answer<T>(await fetch(path, { headers: { accept: "application/json" } }));

export const post = async <T>(path: string, body: unknown = {}): Promise<T> =>
  answer<T>(await fetch(path, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify(body) }));

export const taskPath = (task: string) => `/api/v1/tasks/${encodeURIComponent(task)}`;
