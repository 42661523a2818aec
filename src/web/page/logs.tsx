// A run's log: followed while it runs (the follow pauses while the reader
// scrolls up, and resumes at the bottom), times in the page's zone, errors
// standing out, sizes and durations for people, and the runs before and after.
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { formatBytes, formatDuration } from "../../views/format.js";
import { getJson, queryOf, taskPath, type History, type RecordJson } from "./api.js";
import { timeOfDay, When } from "./clock.js";
import { Modal } from "./dialog.js";
import { kindText, outcomeText, StateBadge } from "./parts.js";

/** How often a running log is asked for more. */
const FOLLOW_MS = 500;
/** The lines kept on the page (the download has them all): a log of 100,000 lines stays quick to show. */
const SHOWN_LINES = 5_000;
/** How close to the bottom counts as at the bottom. */
const BOTTOM_SLACK_PX = 24;

const STAMPED = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (.*)$/;
const ERROR = /\b(ERROR|CRITICAL)\b|^--- .*\b(FAILED|ABORTED|HELD)\b/;
const NOTICE = /\b(NOTICE|WARNING|warning)\b/;

/** The log's own figures ("1024000 bytes", "1884 ms") as people read them. */
const human = (text: string) => text.replace(/\b(\d+) bytes\b/g, (_, n: string) => formatBytes(Number(n))).replace(/\b(\d+) ms\b/g, (_, n: string) => formatDuration(Number(n)));

function LogLine({ line }: { line: string }) {
  const stamped = STAMPED.exec(line);
  const text = human(stamped ? stamped[2]! : line);
  const kind = ERROR.test(text) ? "err" : NOTICE.test(text) ? "notice" : "";
  return (
    <div class={`line ${kind}`}>
      {stamped && (
        <>
          <time class="at" dateTime={stamped[1]}>
            {timeOfDay(new Date(stamped[1]!))}
          </time>{" "}
        </>
      )}
      {text}
    </div>
  );
}

/** The log as it grows: complete lines, and what came after the last newline so far. */
function useLog(path: string): { lines: string[]; state: string } {
  const [log, setLog] = useState<{ lines: string[]; state: string }>({ lines: [], state: "" });
  useEffect(() => {
    let offset = 0;
    let partial = "";
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setLog({ lines: [], state: "" });
    const poll = async () => {
      const response = await fetch(`${path}?offset=${offset}`).catch(() => null);
      if (stopped || !response?.ok) return;
      const chunk = await response.text();
      offset = Number(response.headers.get("x-log-offset") ?? offset);
      const state = response.headers.get("x-run-state") ?? "";
      const text = partial + chunk;
      const cut = state === "RUNNING" ? text.lastIndexOf("\n") + 1 : text.length;
      partial = text.slice(cut);
      const fresh = text.slice(0, cut).split("\n").filter((l, i, all) => l !== "" || i < all.length - 1);
      setLog((l) => ({ lines: fresh.length > 0 ? [...l.lines, ...fresh].slice(-SHOWN_LINES) : l.lines, state }));
      if (state === "RUNNING") timer = setTimeout(() => void poll(), FOLLOW_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [path]);
  return log;
}

export function LogsDialog({ task, run, onClose, onRun }: { task: string; run: string; onClose: () => void; onRun: (run: string) => void }) {
  const path = `${taskPath(task)}/runs/${encodeURIComponent(run)}/log`;
  const { lines, state } = useLog(path);
  const [runs, setRuns] = useState<RecordJson[]>([]);
  const [follow, setFollow] = useState(true);
  const box = useRef<HTMLDivElement>(null);
  const previous = useRef<HTMLButtonElement>(null);
  const next = useRef<HTMLButtonElement>(null);

  // The task's runs, newest first: this one's figures, and its neighbours (asked again as it ends).
  useEffect(() => {
    getJson<History>(`/api/v1/history${queryOf({ task, limit: "500" })}`).then((h) => setRuns(h.runs), () => undefined);
  }, [task, state === "RUNNING"]);
  useEffect(() => setFollow(true), [run]);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow) el.scrollTop = el.scrollHeight;
  }, [lines, follow]);

  const onScroll = () => {
    const el = box.current!;
    setFollow(el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK_PX);
  };
  const index = runs.findIndex((r) => r.id === run);
  const record = runs[index];
  const older = index >= 0 ? runs[index + 1] : undefined;
  const newer = index > 0 ? runs[index - 1] : undefined;
  const running = state === "RUNNING";
  // At the first or last run its button turns off: the focus goes to the other one, not to the page.
  useEffect(() => {
    if (document.activeElement !== document.body && document.activeElement !== null) return;
    if (!older && newer) next.current?.focus();
    else if (older && !newer) previous.current?.focus();
  }, [older?.id, newer?.id]);
  return (
    <Modal title={`Logs: ${task}, ${record ? kindText(record) : "run"} ${run}`} onClose={onClose} wide>
      <div class="log-head">
        {record && (
          <p>
            <StateBadge state={record.state} /> {kindText(record)} started <When iso={record.started_at} />
            {record.duration_ms !== null && `, took ${formatDuration(record.duration_ms)}`} · {outcomeText(record)}
          </p>
        )}
        <div class="actions">
          <button ref={previous} type="button" disabled={!older} onClick={() => older && onRun(older.id)} aria-label="Previous run" title={older && older.id}>
            ← Previous run
          </button>
          <button ref={next} type="button" disabled={!newer} onClick={() => newer && onRun(newer.id)} aria-label="Next run" title={newer && newer.id}>
            Next run →
          </button>
          <a href={`${path}?download=1`} download={`${task}-${run}.log`}>
            Download logs
          </a>
        </div>
        <p class="muted" role="status">
          {running ? (follow ? "Running: the log follows." : "Running: following paused while you read.") : state && `Run ${state}.`}{" "}
          {running && !follow && (
            <button type="button" class="link" onClick={() => setFollow(true)}>
              Follow again
            </button>
          )}
          {lines.length === SHOWN_LINES && ` The last ${SHOWN_LINES} lines are shown; the download has them all.`}
        </p>
      </div>
      <div ref={box} class="log" tabIndex={0} role="log" aria-label={`The log of ${run}`} onScroll={onScroll}>
        {lines.map((line, i) => (
          <LogLine key={i} line={line} />
        ))}
      </div>
    </Modal>
  );
}
