// The Cloud Sync Tasks list: a summary bar whose chips filter, a search box
// (`/` focuses it), sorting, and dense rows, only those near the screen drawn
// (10,000 tasks stay usable). What is shown is kept in the address.
import { Component } from "preact";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { post, taskPath, type Progress, type Status, type TaskRow } from "./api.js";
import type { Dialog } from "./app.js";
import { When } from "./clock.js";
import { Columns, Encrypted, HistoryStrip, Menu, ProgressLine, ShortPath, StateBadge } from "./parts.js";
import { countOf, hashOf, SORTS, visibleTasks, type Filter, type ListView, type Sort } from "./view.js";

/** Why actions are off, when they are (the service is not answering). */
export type Down = string | null;

interface ActionProps {
  task: TaskRow;
  readOnly: boolean;
  down: Down;
  onDialog: (dialog: Dialog) => void;
  onMessage: (message: string) => void;
}

/** Run now (Abort while it runs), Approve when held, and the rest in a menu: each a POST of the operations layer. */
export function Actions({ task, readOnly, down, onDialog, onMessage }: ActionProps) {
  if (readOnly) return null;
  const act = (what: string, path: string, body: unknown = {}) => async () => {
    onMessage(`${task.name}: ${what}…`);
    try {
      await post(`${taskPath(task.name)}/${path}`, body);
    } catch (error) {
      onMessage(`${task.name}: ${what} refused — ${(error as Error).message}`);
    }
  };
  const running = task.running !== null;
  const off = down !== null;
  const lastRun = task.recent[0];
  return (
    <div class="actions" role="group" aria-label={`Actions: ${task.name}`}>
      {/* One button that turns into Abort and back: focus stays on it. */}
      <button type="button" class={running ? "danger primary" : "primary"} disabled={off} title={down ?? undefined} onClick={running ? act("abort", "abort") : act("run now", "run")} aria-label={running ? `Abort: ${task.name}` : `Run now: ${task.name}`}>
        {running ? "Abort" : "Run now"}
      </button>
      {task.state === "HELD" && (
        <button type="button" class="danger" disabled={off} title={down ?? undefined} onClick={act("approve", "approve")} aria-label={`Approve: ${task.name}'s next run may delete beyond max_delete`}>
          Approve
        </button>
      )}
      <Menu label="More" name={task.name}>
        <button type="button" disabled={off || running} onClick={act("dry run", "run", { dry_run: true })} aria-label={`Dry run: ${task.name}`}>
          Dry run
        </button>
        <button type="button" disabled={off || running} onClick={act("check", "check")} aria-label={`Check: ${task.name}`}>
          Check
        </button>
        <button type="button" disabled={!lastRun} onClick={() => lastRun && onDialog({ kind: "logs", task: task.name, run: lastRun.id })} aria-label={`Logs: ${task.name}`}>
          Logs
        </button>
        <button type="button" disabled={off} onClick={() => onDialog({ kind: "restore", task: task.name })} aria-label={`Restore: ${task.name}`}>
          Restore
        </button>
      </Menu>
    </div>
  );
}

interface RowProps extends Omit<ActionProps, "task"> {
  task: TaskRow;
  progress: Progress | undefined;
  index: number;
}

/** One task's row; drawn again only when its task, progress or mode changes. */
class Row extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    // A fresh list from the API has new objects with mostly the same contents.
    const same = next.task === this.props.task || JSON.stringify(next.task) === JSON.stringify(this.props.task);
    return !same || next.progress !== this.props.progress || next.readOnly !== this.props.readOnly || next.down !== this.props.down || next.index !== this.props.index;
  }

  override render({ task, progress, index, ...actions }: RowProps) {
    const shown = progress ?? task.running?.progress ?? undefined;
    const where = task.direction === "push" ? `${task.path} → ${task.remote}` : `${task.remote} → ${task.path}`;
    return (
      <tr data-task={task.name} class={task.enabled ? "" : "disabled"} aria-rowindex={index + 2}>
        <th scope="row" data-label="Task" class="name">
          <a href={`#/task/${encodeURIComponent(task.name)}`}>{task.name}</a>
          {task.encrypted && <Encrypted />}
          {!task.enabled && <span class="mark muted"> disabled</span>}
          <div class="sub">{task.description ? <span title={task.description}>{task.description}</span> : <ShortPath path={where} />}</div>
        </th>
        <td data-label="State" class="state">
          <StateBadge
            state={task.state}
            onClick={task.recent[0] ? () => actions.onDialog({ kind: "logs", task: task.name, run: task.running?.id ?? task.recent[0]!.id }) : undefined}
            label={`${task.state}: ${task.name}'s log`}
          />
          {task.running && task.running.kind === "check" && <span class="muted"> checking</span>}
          {task.running?.dry_run && <span class="muted"> dry run</span>}
          {task.overdue && <span class="badge warn">OVERDUE</span>}
          {task.destinations && (
            <ul class="destinations" aria-label={`${task.name}'s destinations`}>
              {task.destinations.map((d) => (
                <li key={d.name} data-destination={d.name} title={d.error ?? d.remote}>
                  {d.name} <StateBadge state={d.state} />
                </li>
              ))}
            </ul>
          )}
          <div class="sub">
            {task.state === "RUNNING" && shown ? <ProgressLine task={task.name} progress={shown} /> : <HistoryStrip task={task.name} recent={task.recent} onOpen={(run) => actions.onDialog({ kind: "logs", task: task.name, run })} />}
          </div>
        </td>
        <td data-label="Last run" class="when">
          <When iso={task.last_run?.finished_at ?? task.last_run?.started_at ?? null} empty="never" />
          {(task.state === "FAILED" || task.state === "ABORTED" || task.state === "HELD") && task.last_run?.error && (
            <div class="sub error" title={task.last_run.error}>
              {task.last_run.error.split("\n")[0]}
            </div>
          )}
        </td>
        <td data-label="Next run" class="when">
          <When iso={task.next_run} empty={task.schedule === null ? "when asked" : "–"} />
          {task.schedule_words && (
            <div class="sub" title={task.schedule ?? undefined}>
              {task.schedule_words}
            </div>
          )}
        </td>
        {!actions.readOnly && (
          <td data-label="Actions" class="row-actions">
            <Actions task={task} {...actions} />
          </td>
        )}
      </tr>
    );
  }
}

/** A row's height in each layout (the windowing counts on it): a line of the table, a phone's card. */
const ROW_HEIGHT = { wide: 56, phone: 150 };
/** Rows drawn beyond the screen, above and below: scrolling shows no gap. */
const OVERSCAN = 12;
const PHONE = "(max-width: 600px)";

/** The rows near the screen: the first and last index to draw, from where the list is and how far the page is scrolled. */
function useWindow(count: number, body: { current: HTMLElement | null }): [number, number, number] {
  const [phone, setPhone] = useState(() => matchMedia(PHONE).matches);
  const height = phone ? ROW_HEIGHT.phone : ROW_HEIGHT.wide;
  const compute = (): [number, number] => {
    const top = body.current ? body.current.getBoundingClientRect().top + scrollY : 0;
    const first = Math.max(0, Math.floor((scrollY - top) / height) - OVERSCAN);
    const last = Math.min(count, Math.ceil((scrollY + innerHeight - top) / height) + OVERSCAN);
    return [first, Math.max(first, last)];
  };
  const [range, setRange] = useState<[number, number]>(() => [0, Math.min(count, Math.ceil(innerHeight / height) + OVERSCAN)]);
  useLayoutEffect(() => {
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const [a, b] = compute();
        setRange((r) => (r[0] === a && r[1] === b ? r : [a, b]));
      });
    };
    const media = matchMedia(PHONE);
    const onMedia = () => setPhone(media.matches);
    update();
    addEventListener("scroll", update, { passive: true });
    addEventListener("resize", update);
    media.addEventListener("change", onMedia);
    return () => {
      cancelAnimationFrame(frame);
      removeEventListener("scroll", update);
      removeEventListener("resize", update);
      media.removeEventListener("change", onMedia);
    };
  }, [count, height]);
  return [Math.min(range[0], count), Math.min(range[1], count), height];
}

const FILTER_LABEL: Record<Filter, string> = { all: "All", failed: "Failed", held: "Held", running: "Running", overdue: "Overdue", never: "Never run", disabled: "Disabled" };

/** Counts per state, each a chip that filters the list to it. */
function SummaryBar({ tasks, view, onView }: { tasks: readonly TaskRow[]; view: ListView; onView: (view: ListView) => void }) {
  return (
    <div class="summary" role="group" aria-label="Filter by state">
      {(Object.keys(FILTER_LABEL) as Filter[]).map((filter) => {
        const count = countOf(tasks, filter);
        if (count === 0 && filter !== "all" && filter !== view.filter) return null;
        return (
          <button key={filter} type="button" class={`chip ${filter}`} aria-pressed={view.filter === filter} onClick={() => onView({ ...view, filter: view.filter === filter ? "all" : filter })}>
            {FILTER_LABEL[filter]} <span class="count">{count}</span>
          </button>
        );
      })}
    </div>
  );
}

interface ListProps {
  status: Status;
  view: ListView;
  progress: Record<string, Progress>;
  readOnly: boolean;
  down: Down;
  onDialog: (dialog: Dialog) => void;
  onMessage: (message: string) => void;
}

export function TaskList({ status, view, progress, readOnly, down, onDialog, onMessage }: ListProps) {
  const search = useRef<HTMLInputElement>(null);
  const body = useRef<HTMLTableSectionElement>(null);
  const setView = (next: ListView) => history.replaceState(null, "", hashOf(next)) ?? dispatchEvent(new HashChangeEvent("hashchange"));
  const shown = useMemo(() => visibleTasks(status.tasks, view), [status.tasks, view]);
  const [first, last, height] = useWindow(shown.length, body);

  // `/` goes to the search box, wherever the reader is (but in a field).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key !== "/" || target.closest("input, textarea, select, [contenteditable]")) return;
      event.preventDefault();
      search.current?.focus();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);
  // The first screen of rows is in the page: a mark for the benchmark (bench/dashboard.mjs).
  useLayoutEffect(() => {
    if (shown.length > 0 && performance.getEntriesByName("cloudsync:first-screen").length === 0) performance.mark("cloudsync:first-screen");
  }, [shown]);

  if (status.serial === 0) return <p>Nothing is applied yet: the service applies the file when it is valid.</p>;
  if (status.tasks.length === 0) return <p>No tasks are applied.</p>;
  return (
    <section aria-label="Tasks">
      <SummaryBar tasks={status.tasks} view={view} onView={setView} />
      <div class="controls">
        <label class="search">
          <span class="sr-only">Search tasks (press /)</span>
          <input ref={search} type="search" placeholder="Search tasks  ( / )" value={view.q} onInput={(e) => setView({ ...view, q: (e.target as HTMLInputElement).value })} />
        </label>
        <label class="sort">
          Sort by{" "}
          <select value={view.sort} onChange={(e) => setView({ ...view, sort: (e.target as HTMLSelectElement).value as Sort })}>
            {(Object.keys(SORTS) as Sort[]).map((sort) => (
              <option key={sort} value={sort}>
                {SORTS[sort]}
              </option>
            ))}
          </select>
        </label>
        <span class="muted" role="status">
          {shown.length === status.tasks.length ? `${shown.length} tasks` : `${shown.length} of ${status.tasks.length} tasks`}
        </span>
      </div>
      {shown.length === 0 ? (
        <p>No task matches.</p>
      ) : (
        <table class="tasks" aria-rowcount={shown.length + 1}>
          <colgroup>
            <col class="task" />
            <col class="state" />
            <col class="last" />
            <col class="next" />
            {!readOnly && <col class="act" />}
          </colgroup>
          <Columns names={["Task", "State", "Last run", "Next run", !readOnly && { hidden: "Actions" }]} rowIndex={1} />
          <tbody ref={body}>
            {first > 0 && <tr class="spacer" aria-hidden="true" style={{ height: `${first * height}px` }} />}
            {shown.slice(first, last).map((task, i) => (
              <Row key={task.name} task={task} index={first + i} progress={progress[task.name]} readOnly={readOnly} down={down} onDialog={onDialog} onMessage={onMessage} />
            ))}
            {last < shown.length && <tr class="spacer" aria-hidden="true" style={{ height: `${(shown.length - last) * height}px` }} />}
          </tbody>
        </table>
      )}
    </section>
  );
}
