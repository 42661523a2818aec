import { Fragment, type ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { formatBytes, formatDuration } from "../../views/format.js";
import type { Progress, RecentRun, RecordJson, TaskRow } from "./api.js";
import { exactTime } from "./clock.js";

const STATE_CLASS: Record<TaskRow["state"], string> = { PENDING: "neutral", RUNNING: "running", SUCCESS: "good", FAILED: "bad", ABORTED: "warn", HELD: "warn" };

/** The state oval: a colour and always the word, so it reads without colour too. */
export function StateBadge({ state, onClick, label }: { state: TaskRow["state"]; onClick?: () => void; label?: string }) {
  return onClick ? (
    <button type="button" class={`badge ${STATE_CLASS[state]}`} onClick={onClick} aria-label={label ?? `${state}: show the log`}>
      {state}
    </button>
  ) : (
    <span class={`badge ${STATE_CLASS[state]}`}>{state}</span>
  );
}

/** A running transfer or check: percentage, bytes of the total, speed and time left. */
export function ProgressLine({ task, progress }: { task: string; progress: Progress }) {
  const fraction = progress.total_bytes > 0 ? Math.min(1, progress.bytes / progress.total_bytes) : progress.total_files > 0 ? Math.min(1, progress.files / progress.total_files) : 0;
  const percent = Math.floor(fraction * 100);
  const total = progress.total_bytes > 0 ? ` of ${formatBytes(progress.total_bytes)}` : "";
  return (
    <div class="progress">
      <progress max={100} value={percent} aria-label={`${task}: ${percent}% done`} />
      <span class="figures">
        {percent}% · {formatBytes(progress.bytes)}
        {total} · {formatBytes(progress.speed)}/s{progress.eta !== null && ` · ${formatDuration(progress.eta * 1000)} left`}
      </span>
    </div>
  );
}

/** What a run did, or what a check found, in a few words. */
export function outcomeText(r: RecordJson): string {
  if (r.kind === "check") {
    if (!("matched" in r)) return r.state === "RUNNING" ? `${r.checks} checked so far` : "–";
    const apart = r.differ + r.missing_on_remote + r.missing_on_local;
    return `${r.matched} matched${apart > 0 ? `, ${r.differ} differ, ${r.missing_on_remote} missing at the destination, ${r.missing_on_local} missing here` : ""}${r.errors > 0 ? `, ${r.errors} errors` : ""}`;
  }
  return `${r.files} ${r.files === 1 ? "file" : "files"}, ${formatBytes(r.bytes)}${r.deletes > 0 ? `, ${r.deletes} deleted` : ""}`;
}

/** "run", "dry run", "check". */
export const kindText = (r: { kind: string; dry_run: boolean }) => (r.dry_run ? `dry ${r.kind}` : r.kind);

const STRIP_LABEL = (r: RecentRun) => `${kindText(r)} ${r.state}, ${exactTime(r.started_at)}`;

/** The last runs and checks at a glance, oldest first: a square each (a check round, a dry run hollow). */
export function HistoryStrip({ task, recent, onOpen }: { task: string; recent: readonly RecentRun[]; onOpen: (run: string) => void }) {
  if (recent.length === 0) return null;
  return (
    <ol class="strip" aria-label={`${task}: the last ${recent.length} runs and checks`}>
      {[...recent].reverse().map((r) => (
        <li key={r.id}>
          <button type="button" class={`tick ${STATE_CLASS[r.state]} ${r.kind}${r.dry_run ? " dry" : ""}`} title={STRIP_LABEL(r)} aria-label={STRIP_LABEL(r)} onClick={() => onOpen(r.id)} tabIndex={-1} />
        </li>
      ))}
    </ol>
  );
}

/** The padlock of an encrypted task (drawn: the page has no icon font), with its word for screen readers. */
export function Encrypted() {
  return (
    <span class="mark lock" title="encrypted">
      <svg viewBox="0 0 12 14" width="11" height="13" aria-hidden="true">
        <path d="M3 6V4a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="1.6" />
        <rect x="1" y="6" width="10" height="8" rx="1.5" fill="currentColor" />
      </svg>
      <span class="sr-only">encrypted</span>
    </span>
  );
}

/** Text that may wrap after each slash (a path), never inside a name. */
export const Breakable = ({ text }: { text: string }) => (
  <>
    {text.split("/").map((part, i) => (
      <Fragment key={i}>
        {i > 0 && "/"}
        {i > 0 && <wbr />}
        {part}
      </Fragment>
    ))}
  </>
);

/** A long path, shortened in the middle so both ends stay readable; the whole path on hover. */
export function ShortPath({ path, keep = 48 }: { path: string; keep?: number }) {
  if (path.length <= keep) return <span class="path">{path}</span>;
  const half = Math.floor((keep - 1) / 2);
  return (
    <span class="path" title={path}>
      <span aria-hidden="true">
        {path.slice(0, half)}…{path.slice(-half)}
      </span>
      <span class="sr-only">{path}</span>
    </span>
  );
}

/** A disclosure of more actions: closes when one is used (focus back on it), on Escape, or when focus leaves. */
export function Menu({ label, name, children }: { label: string; name: string; children: ComponentChildren }) {
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    const element = details.current!;
    const close = (event: Event) => {
      if (!element.open) return;
      if (event instanceof KeyboardEvent && event.key !== "Escape") return;
      if (event instanceof FocusEvent && element.contains(event.relatedTarget as Node | null)) return;
      element.open = false;
      if (event instanceof KeyboardEvent) element.querySelector("summary")!.focus();
    };
    element.addEventListener("keydown", close);
    element.addEventListener("focusout", close);
    // An item used: the menu closes, and focus stays on its button.
    element.addEventListener("click", (event) => {
      if ((event.target as HTMLElement).closest("button")) {
        element.open = false;
        element.querySelector("summary")!.focus();
      }
    });
  }, []);
  return (
    <details class="menu" ref={details}>
      <summary aria-label={`${label}: ${name}`}>{label}</summary>
      <div class="menu-items">{children}</div>
    </details>
  );
}

/** A table's column headings; a heading only screen readers need is given as `{ hidden: "…" }`. */
export function Columns({ names, rowIndex }: { names: readonly (string | { hidden: string } | false)[]; rowIndex?: number }) {
  return (
    <thead>
      <tr aria-rowindex={rowIndex}>
        {names.map((name, i) =>
          name === false ? null : (
            <th key={i} scope="col">
              {typeof name === "string" ? name : <span class="sr-only">{name.hidden}</span>}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
