import { useEffect, useRef, useState } from "preact/hooks";
import { getJson, type Health, type Progress, type RecordJson, type Status, type TaskRow } from "./api.js";
import { setZone, When, zoneName } from "./clock.js";
import { HealthPanel, ServiceLine } from "./health.js";
import { TaskList, type Down } from "./list.js";
import { LogsDialog } from "./logs.js";
import { RestoreDialog } from "./restore.js";
import { FleetPage } from "./fleet.js";
import { TaskPage } from "./task-page.js";
import { routeOf } from "./view.js";

/** What a dialog is open on, if any. */
export type Dialog = { kind: "logs"; task: string; run: string } | { kind: "restore"; task: string } | null;

/** How often the page asks again while the file is shown broken or unapplied, or the service does not answer. */
const RECHECK_MS = 3_000;

/** The task list the page came with. */
function initialStatus(): Status | null {
  try {
    return JSON.parse(document.getElementById("initial-status")?.textContent ?? "null") as Status | null;
  } catch {
    return null;
  }
}

const failedCount = (status: Status | null) => status?.tasks.reduce((n, t) => n + (t.state === "FAILED" ? 1 : 0), 0) ?? 0;

/** A run that started: the task shows RUNNING with it until it ends (a dry run or a check too, with Abort). */
const startedIn = (task: TaskRow, record: RecordJson): TaskRow => ({ ...task, state: "RUNNING", running: { ...record, progress: task.running?.id === record.id ? task.running.progress : null } });

/** The whole page: the service's health, then the task list or one task; kept live by the event stream. */
export function App() {
  const [status, setStatus] = useState<Status | null>(initialStatus);
  const [health, setHealth] = useState<Health | null>(null);
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const [dialog, setDialog] = useState<Dialog>(null);
  const [route, setRoute] = useState(() => routeOf(location.hash));
  const [message, setMessage] = useState("");
  /** When the service was last heard from, once it stops answering. */
  const [down, setDown] = useState<{ since: string } | null>(null);
  const lastHeard = useRef(new Date().toISOString());
  /** Bumped on every run or check that ends, so an open task page reloads its history. */
  const [changes, setChanges] = useState(0);
  /** Bumped on every read of the fleet the service tells of, so the Fleet view follows. */
  const [fleetReads, setFleetReads] = useState(0);

  const heard = () => {
    lastHeard.current = new Date().toISOString();
    setDown(null);
  };
  const lost = () => setDown((d) => d ?? { since: lastHeard.current });

  // Answers come back in any order, and an older one may tell of a file since saved again (one with errors
  // takes longer to answer): only the answers to the newest request are shown.
  const asked = useRef(0);
  const refresh = () => {
    const request = ++asked.current;
    const newest = () => request === asked.current;
    getJson<Status>("/api/v1/status").then(
      (answer) => {
        if (!newest()) return;
        heard();
        setStatus(answer);
      },
      // A failed fetch (no answer at all) is the service being down; an error answer is shown where it matters.
      (e: Error) => newest() && e instanceof TypeError && lost(),
    );
    getJson<Health>("/api/v1/health").then((answer) => newest() && setHealth(answer), () => undefined);
  };

  useEffect(() => {
    refresh();
    const onHash = () => setRoute(routeOf(location.hash));
    addEventListener("hashchange", onHash);
    const events = new EventSource("/api/v1/events");
    const on = (type: string, handle: (data: { record: RecordJson; stats?: Progress }) => void) =>
      events.addEventListener(type, (e) => handle(JSON.parse((e as MessageEvent).data) as { record: RecordJson; stats?: Progress }));
    const patchTask = (name: string, patch: (task: TaskRow) => TaskRow) => setStatus((s) => s && { ...s, tasks: s.tasks.map((t) => (t.name === name ? patch(t) : t)) });
    on("run.started", ({ record }) => {
      patchTask(record.task, (t) => startedIn(t, record));
      setMessage(`${record.task}: ${record.dry_run ? "dry run" : record.kind} ${record.id} started`);
    });
    on("run.progress", ({ record, stats }) => {
      if (stats) setProgress((p) => ({ ...p, [record.task]: stats }));
    });
    for (const type of ["run.finished", "check.finished"]) {
      on(type, ({ record }) => {
        setProgress((p) => {
          const { [record.task]: _done, ...rest } = p;
          return rest;
        });
        setMessage(`${record.task}: ${record.dry_run ? "dry run" : record.kind} ${record.id} ${record.state}`);
        setChanges((n) => n + 1);
        // The task's state, strip and next run as status tells them (a dry run or a check leaves the state be).
        refresh();
      });
    }
    events.addEventListener("fleet.read", () => setFleetReads((n) => n + 1));
    for (const type of ["apply.completed", "config.rejected", "schedule.updated", "run.approved"]) events.addEventListener(type, refresh);
    // Fetched at once, and again once the stream is connected (and after it was lost): nothing that happened in between is missed.
    events.onopen = () => {
      heard();
      refresh();
    };
    events.onerror = () => lost();
    return () => {
      events.close();
      removeEventListener("hashchange", onHash);
    };
  }, []);

  // The health shows the file as it is, read when asked, while events come from what the service has seen: a
  // file broken and mended between two of the service's looks changes nothing there, and tells nothing. So
  // while the page shows the file as broken or unapplied (or the service as down), it asks again now and then.
  const unsettled = down !== null || (health !== null && health.config.state !== "applied");
  useEffect(() => {
    if (!unsettled) return;
    const timer = setInterval(refresh, RECHECK_MS);
    return () => clearInterval(timer);
  }, [unsettled]);

  const failed = failedCount(status);
  useEffect(() => {
    document.title = failed > 0 ? `(${failed} failed) cloudsync` : "cloudsync";
  }, [failed]);

  if (status) setZone(status.zone);
  const readOnly = status?.read_only ?? true;
  const why: Down = down && "The service is not answering: actions wait until it is back.";
  return (
    <>
      <header class="top">
        <h1>
          <a href="#/">cloudsync</a>
        </h1>
        {status?.fleet && (
          <nav class="views" aria-label="Views">
            <a href="#/" aria-current={route.page === "fleet" ? undefined : "page"}>
              Tasks
            </a>
            <a href="#/fleet" aria-current={route.page === "fleet" ? "page" : undefined}>
              Fleet
            </a>
          </nav>
        )}
        {readOnly && status && <span class="badge neutral">read-only</span>}
        {health && <ServiceLine health={health} down={down !== null} />}
        <p class="live" role="status" aria-live="polite">
          {message}
        </p>
        <span class="zone">Times in {zoneName()}</span>
      </header>
      <main>
        {down && (
          <p class="problem service-down" role="alert">
            The service is not answering (last heard from <When iso={down.since} />
            ): what is shown may be out of date, and actions are off until it is back. Trying again…
          </p>
        )}
        {health && <HealthPanel health={health} />}
        {status === null ? (
          <p role="status">Loading…</p>
        ) : route.page === "fleet" ? (
          <FleetPage reads={fleetReads} />
        ) : route.page === "task" ? (
          <TaskPage name={route.name} status={status} readOnly={readOnly} down={why} changes={changes} progress={progress[route.name]} onDialog={setDialog} onMessage={setMessage} />
        ) : (
          <TaskList status={status} view={route.view} progress={progress} readOnly={readOnly} down={why} onDialog={setDialog} onMessage={setMessage} />
        )}
      </main>
      {dialog?.kind === "logs" && <LogsDialog task={dialog.task} run={dialog.run} onClose={() => setDialog(null)} onRun={(run) => setDialog({ kind: "logs", task: dialog.task, run })} />}
      {dialog?.kind === "restore" && <RestoreDialog task={dialog.task} status={status} down={why} onClose={() => setDialog(null)} onMessage={setMessage} />}
    </>
  );
}
