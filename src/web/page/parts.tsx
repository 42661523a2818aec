import { formatBytes, formatDuration } from "../../views/format.js";
import type { Progress, TaskRow } from "./api.js";

const STATE_CLASS: Record<TaskRow["state"], string> = { PENDING: "neutral", RUNNING: "running", SUCCESS: "good", FAILED: "bad", ABORTED: "warn", HELD: "warn" };

/** The state oval: a colour and always the word, so it reads without colour too. */
export function StateBadge({ state, onClick, label }: { state: TaskRow["state"]; onClick?: () => void; label?: string }) {
  const text = state;
  return onClick ? (
    <button type="button" class={`badge ${STATE_CLASS[state]}`} onClick={onClick} aria-label={label ?? `${state}: show the log`}>
      {text}
    </button>
  ) : (
    <span class={`badge ${STATE_CLASS[state]}`}>{text}</span>
  );
}

/** A running transfer: percentage, bytes, speed and ETA. */
export function ProgressLine({ task, progress }: { task: string; progress: Progress }) {
  const fraction = progress.total_bytes > 0 ? Math.min(1, progress.bytes / progress.total_bytes) : progress.total_files > 0 ? progress.files / progress.total_files : 0;
  const percent = Math.floor(fraction * 100);
  return (
    <div class="progress">
      <progress max={100} value={percent} aria-label={`${task}: ${percent}% transferred`} />
      <span class="figures">
        {percent}% · {formatBytes(progress.bytes)} of {formatBytes(progress.total_bytes)} · {formatBytes(progress.speed)}/s · ETA {progress.eta === null ? "–" : formatDuration(progress.eta * 1000)}
      </span>
    </div>
  );
}

const TIME = new Intl.DateTimeFormat("sv-SE", { dateStyle: "short", timeStyle: "short" });

/** A time in the reader's zone, as the CLI prints it: 2026-11-24 18:33. */
export const when = (iso: string | null) => (iso === null ? "–" : TIME.format(new Date(iso)));
