// Browsing a task's destination (as it is, or as it was at a time) and
// restoring one folder of it into a new directory: shared by the versions
// browser of the task page and the restore dialog.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { formatBytes } from "../../views/format.js";
import { ApiError, post, queryOf, taskPath, type RestoreAtAnswer } from "./api.js";
import { When } from "./clock.js";
import { Columns } from "./parts.js";

export interface Entry {
  name: string;
  path: string;
  is_dir: boolean;
  size: number | null;
  modified: string | null;
  /** Where a file of the past comes from: the destination now ("current"), or a version folder's stamp. */
  from?: string | null;
}

/** An error as the page tells it: the message and the hint. */
export const told = (error: unknown) => {
  const e = error as ApiError;
  return [e.message, e.hint].filter(Boolean).join(" ");
};

/** The value an input's answer depends on, asked for again once the inputs rest for a moment; older answers are dropped. */
export function useAnswer<T>(key: string, ask: (() => Promise<T>) | null, delayMs = 300): { answer: T | null; problem: unknown; pending: boolean; key: string | null } {
  const [state, setState] = useState<{ answer: T | null; problem: unknown; key: string | null }>({ answer: null, problem: null, key: null });
  const [pending, setPending] = useState(false);
  const asked = useRef(0);
  useEffect(() => {
    const request = ++asked.current;
    if (!ask) {
      setState({ answer: null, problem: null, key: null });
      setPending(false);
      return;
    }
    setPending(true);
    const timer = setTimeout(() => {
      ask().then(
        (answer) => request === asked.current && (setState({ answer, problem: null, key }), setPending(false)),
        (problem: unknown) => request === asked.current && (setState({ answer: null, problem, key }), setPending(false)),
      );
    }, delayMs);
    return () => clearTimeout(timer);
  }, [key]);
  return { ...state, pending };
}

/** Where in the tree: the top and each folder on the way, each a button back to it. */
function Breadcrumbs({ path, top, onPath }: { path: string; top: string; onPath: (path: string) => void }) {
  const parts = path === "" ? [] : path.split("/");
  return (
    <nav class="crumbs" aria-label="Folder">
      <button type="button" class="link" onClick={() => onPath("")} aria-current={parts.length === 0 ? "location" : undefined}>
        {top}
      </button>
      {parts.map((part, i) => (
        <span key={i}>
          {" / "}
          <button type="button" class="link" onClick={() => onPath(parts.slice(0, i + 1).join("/"))} aria-current={i === parts.length - 1 ? "location" : undefined}>
            {part}
          </button>
        </span>
      ))}
    </nav>
  );
}

/** One folder's listing: folders open, files show their size and time (and an action, such as a download). */
export function FolderBrowser({ entries, path, top, onPath, fileAction, loading, problem }: { entries: readonly Entry[] | null; path: string; top: string; onPath: (path: string) => void; fileAction?: (entry: Entry) => ComponentChildren; loading: boolean; problem: unknown }) {
  const sorted = entries && [...entries].sort((a, b) => Number(b.is_dir) - Number(a.is_dir) || a.name.localeCompare(b.name));
  return (
    <div class="browser" aria-busy={loading}>
      <Breadcrumbs path={path} top={top} onPath={onPath} />
      {problem ? (
        <p class="problem" role="alert">
          {told(problem)}
        </p>
      ) : !sorted ? (
        <p role="status">Loading…</p>
      ) : sorted.length === 0 ? (
        <p>This folder is empty.</p>
      ) : (
        <div class="listing-box">
          <table class="listing">
            <Columns names={["Name", "Size", "Modified", fileAction !== undefined && { hidden: "Action" }]} />
            <tbody>
              {sorted.map((entry) => (
                <tr key={entry.path}>
                  <th scope="row">
                    {entry.is_dir ? (
                      <button type="button" class="link" onClick={() => onPath(entry.path)} aria-label={`Open folder ${entry.name}`}>
                        {entry.name}/
                      </button>
                    ) : (
                      <span>{entry.name}</span>
                    )}
                    {entry.from && entry.from !== "current" && <span class="mark muted"> from the version of {entry.from}</span>}
                  </th>
                  <td>{entry.is_dir ? "" : formatBytes(entry.size ?? 0)}</td>
                  <td>{entry.modified ? <When iso={entry.modified} /> : ""}</td>
                  {fileAction && <td>{entry.is_dir ? "" : fileAction(entry)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Restores a folder (or all) of the destination, as it was at a time, into a new or empty local directory:
 * what it would write is listed again whenever an input changes, and only that is written.
 */
export function RestoreFolder({ task, at, path, from, down, onMessage }: { task: string; at: string; path: string; from: string | undefined; down: string | null; onMessage: (message: string) => void }) {
  const [to, setTo] = useState("");
  const [done, setDone] = useState<RestoreAtAnswer | null>(null);
  const [writing, setWriting] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const body = { at, to, path: path || undefined, from };
  const key = JSON.stringify(body);
  const preview = useAnswer<RestoreAtAnswer>(key, to.startsWith("/") && at ? () => post<RestoreAtAnswer>(`${taskPath(task)}/restore-at`, { ...body, dry_run: true }) : null);
  useEffect(() => {
    setDone(null);
    setProblem(null);
  }, [key]);
  const current = preview.key === key && !preview.pending ? preview.answer : null;
  const write = async () => {
    setWriting(true);
    setProblem(null);
    try {
      const result = await post<RestoreAtAnswer>(`${taskPath(task)}/restore-at`, body);
      setDone(result);
      onMessage(`${task}: restored ${plural(result.files.length, "file")} (${formatBytes(result.bytes)}) into ${result.to}`);
    } catch (error) {
      setProblem(error);
    } finally {
      setWriting(false);
    }
  };
  const what = path ? `${path}/` : "everything";
  return (
    <div class="restore-folder">
      <label for={`restore-to-${task}`}>
        Restore {what} into a new or empty directory <span class="muted">(absolute path on the server)</span>
      </label>
      <input id={`restore-to-${task}`} value={to} placeholder="/mnt/tank/restored" onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
      <p class="muted" role="status">
        {!to.startsWith("/")
          ? "Say where to: an absolute directory."
          : preview.pending
            ? "Listing what would be written…"
            : preview.problem
              ? ""
              : current && (current.files.length === 0 ? "Nothing to restore at that time." : `Would write ${plural(current.files.length, "file")} (${formatBytes(current.bytes)}) into ${current.to}.`)}
      </p>
      {preview.problem !== null && !preview.pending && (
        <p class="problem" role="alert">
          {told(preview.problem)}
        </p>
      )}
      {current && current.files.length > 0 && (
        <details>
          <summary>The files</summary>
          <ul class="files">
            {current.files.slice(0, 200).map((f) => (
              <li key={f.path}>
                {f.path} <span class="muted">{f.from === "current" ? "" : `(version of ${f.from})`}</span>
              </li>
            ))}
            {current.files.length > 200 && <li class="muted">and {current.files.length - 200} more</li>}
          </ul>
        </details>
      )}
      <button type="button" disabled={!current || current.files.length === 0 || writing || done !== null || down !== null} title={down ?? undefined} onClick={() => void write()}>
        {writing ? "Restoring…" : current ? `Restore ${plural(current.files.length, "file")}` : "Restore"}
      </button>
      {problem !== null && (
        <p class="problem" role="alert">
          {told(problem)}
        </p>
      )}
      {done && (
        <p role="status">
          Restored {plural(done.files.length, "file")} ({formatBytes(done.bytes)}) into <code>{done.to}</code>.
        </p>
      )}
    </div>
  );
}

export const browsePath = (task: string, kind: "browse" | "versions" | "versions/file", values: Record<string, string | undefined>) => `${taskPath(task)}/${kind}${queryOf(values)}`;
