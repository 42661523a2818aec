import { Component } from "preact";
import { useLayoutEffect, useState } from "preact/hooks";
import { post, taskPath, type Progress, type Status, type TaskRow } from "./api.js";
import type { Dialog } from "./app.js";
import { ProgressLine, StateBadge, when } from "./parts.js";

interface Props {
  status: Status;
  progress: Record<string, Progress>;
  readOnly: boolean;
  onDialog: (dialog: Dialog) => void;
  onMessage: (message: string) => void;
}

/** Run now, Dry run, Abort, Check, Restore: each a POST of the operations layer. */
export function Actions({ task, readOnly, onDialog, onMessage }: { task: TaskRow; readOnly: boolean; onDialog: (d: Dialog) => void; onMessage: (m: string) => void }) {
  if (readOnly) return null;
  const act = (what: string, path: string, body: unknown = {}) => async () => {
    onMessage(`${task.name}: ${what}…`);
    try {
      await post(`${taskPath(task.name)}/${path}`, body);
    } catch (error) {
      onMessage(`${task.name}: ${what} refused — ${(error as Error).message}`);
    }
  };
  const running = task.state === "RUNNING";
  return (
    <div class="actions" role="group" aria-label={`Actions for ${task.name}`}>
      {task.state === "HELD" && (
        <button type="button" class="danger" onClick={act("approve", "approve")} aria-label={`Approve ${task.name}'s next run deleting beyond max_delete`}>
          Approve
        </button>
      )}
      {running ? (
        <button type="button" class="danger" onClick={act("abort", "abort")} aria-label={`Abort ${task.name}`}>
          Abort
        </button>
      ) : (
        <>
          <button type="button" onClick={act("run now", "run")} aria-label={`Run ${task.name} now`}>
            Run now
          </button>
          <button type="button" onClick={act("dry run", "run", { dry_run: true })} aria-label={`Dry run ${task.name}`}>
            Dry run
          </button>
          <button type="button" onClick={act("check", "check")} aria-label={`Check ${task.name}`}>
            Check
          </button>
        </>
      )}
      <button type="button" onClick={() => onDialog({ kind: "restore", task: task.name })} aria-label={`Restore ${task.name}`}>
        Restore
      </button>
    </div>
  );
}

/** Rows drawn per frame: the first screenful at once, the rest a chunk per frame, so a long list shows at once and the page stays responsive. */
const ROWS_PER_FRAME = 150;

interface RowProps {
  task: TaskRow;
  progress: Progress | undefined;
  readOnly: boolean;
  onDialog: (dialog: Dialog) => void;
  onMessage: (message: string) => void;
}

/** One task's row; drawn again only when its task, progress or mode changes (a list of 1,000 moves one row at a time). */
class Row extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    // A fresh list from the API has new objects with mostly the same contents.
    const same = next.task === this.props.task || JSON.stringify(next.task) === JSON.stringify(this.props.task);
    return !same || next.progress !== this.props.progress || next.readOnly !== this.props.readOnly;
  }

  override render({ task, progress, readOnly, onDialog, onMessage }: RowProps) {
    return (
      <tr data-task={task.name}>
        <th scope="row" data-label="Task">
          <a href={`#/task/${encodeURIComponent(task.name)}`}>{task.name}</a>
          {task.description && <div class="description">{task.description}</div>}
        </th>
        <td data-label="Direction">
          {task.direction.toUpperCase()} {task.transfer_mode.toUpperCase()}
        </td>
        <td data-label="Path ↔ remote" class="paths">
          {task.direction === "push" ? `${task.path} → ${task.remote}` : `${task.remote} → ${task.path}`}
        </td>
        <td data-label="Schedule">
          {task.schedule === null ? (
            "only when asked"
          ) : (
            <>
              {task.schedule_words}
              <div class="cron">
                <code>{task.schedule}</code>
              </div>
            </>
          )}
        </td>
        <td data-label="Enabled">{task.enabled ? "yes" : "no"}</td>
        <td data-label="Next run">{when(task.next_run)}</td>
        <td data-label="Last run">{task.last_run ? when(task.last_run.started_at) : "never"}</td>
        <td data-label="State" class="state">
          <StateBadge state={task.state} onClick={task.last_run ? () => onDialog({ kind: "logs", task: task.name, run: task.last_run!.id }) : undefined} label={`${task.name} ${task.state}: show the log`} />
          {task.state === "RUNNING" && progress && <ProgressLine task={task.name} progress={progress} />}
          {(task.state === "FAILED" || task.state === "ABORTED" || task.state === "HELD") && task.last_run?.error && <div class="error">{task.last_run.error.split("\n")[0]}</div>}
          {task.destinations && (
            <ul class="destinations" aria-label={`${task.name}'s destinations`}>
              {task.destinations.map((d) => (
                <li key={d.name} data-destination={d.name} title={d.error ?? d.remote}>
                  <span class="destination-name">{d.name}</span> <StateBadge state={d.state} />
                </li>
              ))}
            </ul>
          )}
        </td>
        {!readOnly && (
          <td data-label="Actions">
            <Actions task={task} readOnly={readOnly} onDialog={onDialog} onMessage={onMessage} />
          </td>
        )}
      </tr>
    );
  }
}

/** The Cloud Sync Tasks list: every task with its state, live. */
export function TaskTable({ status, progress, readOnly, onDialog, onMessage }: Props) {
  const [limit, setLimit] = useState(ROWS_PER_FRAME);
  useLayoutEffect(() => {
    if (status.tasks.length > 0) performance.mark(limit >= status.tasks.length ? "cloudsync:all-rows" : "cloudsync:first-rows");
    if (limit >= status.tasks.length) return;
    const frame = requestAnimationFrame(() => setLimit((n) => n + ROWS_PER_FRAME));
    return () => cancelAnimationFrame(frame);
  }, [limit, status.tasks.length]);
  if (status.serial === 0) return <p>Nothing is applied yet: the service applies the file when it is valid.</p>;
  if (status.tasks.length === 0) return <p>No tasks are applied.</p>;
  return (
    <table class="tasks">
      <caption>Cloud sync tasks ({status.tasks.length})</caption>
      <thead>
        <tr>
          <th scope="col">Task</th>
          <th scope="col">Direction</th>
          <th scope="col">Path ↔ remote</th>
          <th scope="col">Schedule</th>
          <th scope="col">Enabled</th>
          <th scope="col">Next run</th>
          <th scope="col">Last run</th>
          <th scope="col">State</th>
          {!readOnly && <th scope="col">Actions</th>}
        </tr>
      </thead>
      <tbody>
        {status.tasks.slice(0, limit).map((task) => (
          <Row key={task.name} task={task} progress={progress[task.name]} readOnly={readOnly} onDialog={onDialog} onMessage={onMessage} />
        ))}
      </tbody>
    </table>
  );
}
