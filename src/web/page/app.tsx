import { useEffect, useRef, useState } from "preact/hooks";
import { getJson, type Health, type Progress, type RecordJson, type Status } from "./api.js";
import { HealthPanel } from "./health.js";
import { LogsDialog } from "./logs.js";
import { RestoreDialog } from "./restore.js";
import { TaskPage } from "./task-page.js";
import { TaskTable } from "./task-table.js";

/** What a dialog is open on, if any. */
export type Dialog = { kind: "logs"; task: string; run: string } | { kind: "restore"; task: string } | null;

/** How often the page asks again while the file is shown broken or unapplied. */
const RECHECK_MS = 3_000;

const route = () => decodeURIComponent(location.hash.replace(/^#\/?/, ""));

/** The task list the page came with. */
function initialStatus(): Status | null {
  try {
    return JSON.parse(document.getElementById("initial-status")?.textContent ?? "null") as Status | null;
  } catch {
    return null;
  }
}

/** The whole page: the service's health, then the task list or one task; kept live by the event stream. */
export function App() {
  const [status, setStatus] = useState<Status | null>(initialStatus);
  const [health, setHealth] = useState<Health | null>(null);
  const [progress, setProgress] = useState<Record<string, Progress>>({});
  const [dialog, setDialog] = useState<Dialog>(null);
  const [where, setWhere] = useState(route());
  const [problem, setProblem] = useState<string | null>(null);
  const [message, setMessage] = useState("");
  /** Bumped on every run or check that ends, so an open task page reloads its history. */
  const [changes, setChanges] = useState(0);

  // Answers come back in any order, and an older one may tell of a file since saved again (one with errors
  // takes longer to answer): only the answers to the newest request are shown.
  const asked = useRef(0);
  const refresh = () => {
    const request = ++asked.current;
    const newest = () => request === asked.current;
    getJson<Status>("/api/v1/status").then(
      (answer) => newest() && setStatus(answer),
      (e: Error) => newest() && setProblem(e.message),
    );
    getJson<Health>("/api/v1/health").then((answer) => newest() && setHealth(answer), () => undefined);
  };

  useEffect(() => {
    refresh();
    const onHash = () => setWhere(route());
    addEventListener("hashchange", onHash);
    const events = new EventSource("/api/v1/events");
    // A task's state is its last run's (as status says); a check shows in its history.
    const patch = (record: RecordJson, state = record.state) => {
      if (record.kind !== "run") return;
      setStatus((s) => s && { ...s, tasks: s.tasks.map((t) => (t.name === record.task ? { ...t, state, last_run: record } : t)) });
    };
    events.addEventListener("run.started", (e) => {
      const { record } = JSON.parse((e as MessageEvent).data) as { record: RecordJson };
      patch(record, "RUNNING");
      setMessage(`${record.task}: ${record.kind === "check" ? "check" : "run"} ${record.id} started`);
    });
    events.addEventListener("run.progress", (e) => {
      const { record, stats } = JSON.parse((e as MessageEvent).data) as { record: RecordJson; stats: Progress };
      setProgress((p) => ({ ...p, [record.task]: stats }));
    });
    for (const type of ["run.finished", "check.finished"]) {
      events.addEventListener(type, (e) => {
        const { record } = JSON.parse((e as MessageEvent).data) as { record: RecordJson };
        patch(record);
        setProgress((p) => {
          const { [record.task]: _done, ...rest } = p;
          return rest;
        });
        setMessage(`${record.task}: ${record.kind} ${record.id} ${record.state}`);
        setChanges((n) => n + 1);
        refresh();
      });
    }
    for (const type of ["apply.completed", "config.rejected", "schedule.updated"]) events.addEventListener(type, refresh);
    // Fetched at once, and again once the stream is connected (and after it was lost): nothing that happened in between is missed.
    events.onopen = () => {
      setProblem(null);
      refresh();
    };
    events.onerror = () => setProblem("The connection to the service was lost; trying again…");
    return () => {
      events.close();
      removeEventListener("hashchange", onHash);
    };
  }, []);

  // The health shows the file as it is, read when asked, while events come from what the service has seen: a
  // file broken and mended between two of the service's looks changes nothing there, and tells nothing. So
  // while the page shows the file as broken or unapplied, it asks again now and then.
  const unsettled = health !== null && health.config.state !== "applied";
  useEffect(() => {
    if (!unsettled) return;
    const timer = setInterval(refresh, RECHECK_MS);
    return () => clearInterval(timer);
  }, [unsettled]);

  const readOnly = status?.read_only ?? true;
  return (
    <>
      <header class="top">
        <h1>
          <a href="#/">cloudsync</a>
        </h1>
        {readOnly && status && <span class="badge neutral">read-only</span>}
      </header>
      <main>
        <p class="live" role="status" aria-live="polite">
          {message}
        </p>
        {problem && (
          <p class="problem" role="alert">
            {problem}
          </p>
        )}
        {health && <HealthPanel health={health} />}
        {status === null ? (
          <p role="status">Loading…</p>
        ) : where.startsWith("task/") ? (
          <TaskPage name={where.slice(5)} status={status} readOnly={readOnly} changes={changes} onDialog={setDialog} onMessage={setMessage} />
        ) : (
          <TaskTable status={status} progress={progress} readOnly={readOnly} onDialog={setDialog} onMessage={setMessage} />
        )}
      </main>
      {dialog?.kind === "logs" && <LogsDialog task={dialog.task} run={dialog.run} onClose={() => setDialog(null)} />}
      {dialog?.kind === "restore" && <RestoreDialog task={dialog.task} onClose={() => setDialog(null)} onMessage={setMessage} />}
    </>
  );
}
