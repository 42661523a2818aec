// One task: its actions, destinations, settings in groups, its entry as
// written in the file (FILE:LINE), the CLI commands for it, a chart and a
// table of its runs and checks, the versions browser and a credential check.
import { useEffect, useState } from "preact/hooks";
import { formatDuration } from "../../views/format.js";
import { getJson, post, taskPath, type FolderAt, type Progress, type Status, type TaskDetail, type TaskRow, type Verification } from "./api.js";
import type { Dialog } from "./app.js";
import { browsePath, FolderBrowser, RestoreFolder, useAnswer } from "./browse.js";
import { RunChart } from "./chart.js";
import { exactTime, When } from "./clock.js";
import { Actions, type Down } from "./list.js";
import { Breakable, Columns, kindText, outcomeText, ProgressLine, StateBadge } from "./parts.js";

/** The settings in the groups people look for them in; a key not named here goes to Advanced. */
const GROUPS: [string, string[]][] = [
  ["Transfer", ["direction", "transfer_mode", "path", "remote", "transfers", "parallel", "bwlimit", "exclude", "include", "follow_symlinks", "create_empty_src_dirs", "fast_list", "snapshot"]],
  ["Remote", ["credential", "bucket", "folder", "encryption"]],
  ["Schedule", ["schedule", "enabled", "catchup", "max_age", "check", "notify"]],
  ["Scripts", ["pre_script", "post_script"]],
  ["Safety", ["max_delete", "allow_empty_source", "versions", "retries", "retry_delay", "timeout"]],
];
/** Shown elsewhere on the page. */
const ELSEWHERE = new Set(["name", "description", "destinations", "schedule_words"]);

const LABELS: Record<string, string> = {
  transfer_mode: "Transfer mode",
  bwlimit: "Bandwidth limit",
  follow_symlinks: "Follow symlinks",
  create_empty_src_dirs: "Create empty folders",
  fast_list: "Fast list",
  max_delete: "Most deletions per run",
  allow_empty_source: "Allow an empty source",
  versions: "Keep versions",
  retry_delay: "Retry delay",
  max_age: "Alert when older than",
  pre_script: "Before (pre-script)",
  post_script: "After (post-script)",
  rclone_args: "rclone arguments",
  check: "Verification",
  catchup: "Catch up missed runs",
};
const labelOf = (key: string) => LABELS[key] ?? key.charAt(0).toUpperCase() + key.slice(1).replace(/_/g, " ");

/** A setting as text: lists joined, mappings as `key: value` pairs, yes/no for switches. */
function shown(value: unknown): string {
  if (value === null || value === undefined || value === "") return "–";
  if (value === true) return "yes";
  if (value === false) return "no";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(shown).join(", ");
  if (typeof value === "object") return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${shown(v)}`).join("; ");
  return String(value);
}

function Setting({ name, value, words }: { name: string; value: unknown; words: string | null }) {
  const script = name.endsWith("_script") && typeof value === "string" && value !== "";
  return (
    <div>
      <dt title={name}>{labelOf(name)}</dt>
      <dd>
        {script ? <pre>{value}</pre> : <Breakable text={shown(value)} />}
        {name === "schedule" && words && <span class="muted"> ({words})</span>}
      </dd>
    </div>
  );
}

function Settings({ settings }: { settings: TaskDetail["settings"] }) {
  const entries = Object.entries(settings).filter(([key]) => !ELSEWHERE.has(key));
  const grouped = new Set(GROUPS.flatMap(([, keys]) => keys));
  const groups: [string, [string, unknown][]][] = [
    ...GROUPS.map(([title, keys]): [string, [string, unknown][]] => [title, keys.filter((k) => k in settings).map((k) => [k, (settings as Record<string, unknown>)[k]])]),
    ["Advanced", entries.filter(([key]) => !grouped.has(key))],
  ];
  return (
    <div class="groups">
      {groups.map(([title, pairs]) => (
        <section key={title} class="group" aria-label={`${title} settings`}>
          <h4>{title}</h4>
          <dl class="settings">
            {pairs.map(([key, value]) => (
              <Setting key={key} name={key} value={value} words={settings.schedule_words} />
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}

/** A block of text with a button that copies it. */
function Copyable({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard?.writeText(text).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 2000);
      },
      () => undefined,
    );
  return (
    <div class="copyable">
      <pre>{text}</pre>
      <button type="button" class="copy" onClick={() => void copy()} aria-label={`Copy ${label}`}>
        {copied ? "Copied" : "Copy"}
      </button>
    </div>
  );
}

/** A word for the shell, quoted when it needs to be. */
const shellWord = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

function commandsFor(task: string, file: string | undefined, row: TaskRow): string {
  const base = `cloudsync${file && file !== "cloudsync.yaml" ? ` -c ${shellWord(file)}` : ""}`;
  const name = shellWord(task);
  const lines = [`${base} run ${name}`, `${base} run ${name} --dry-run`, `${base} check ${name}`, `${base} logs ${name} --follow`, `${base} history ${name}`, `${base} versions ${name}`, `${base} restore ${name} --at 1d --to /tmp/${task}-as-of-yesterday --dry-run`];
  if (row.state === "HELD") lines.push(`${base} approve ${name}`);
  return lines.join("\n");
}

/** "2026-12-07T21:03": now, in the page's zone, as a datetime-local input wants it. */
const nowForInput = () => exactTime(new Date().toISOString()).replace(" ", "T");

/** The destination as it was at a time: browse its folders, download a file, restore a folder into a new directory. */
function VersionsBrowser({ task, destinations, keeps, readOnly, down, onMessage }: { task: string; destinations: string[]; keeps: boolean; readOnly: boolean; down: Down; onMessage: (message: string) => void }) {
  // "Now" is this very moment (a file written a few seconds ago is in it); a time typed in is read by the
  // server as "2026-12-07 21:03" in the schedules' zone, the page's.
  const [at, setAt] = useState(() => ({ input: nowForInput(), exact: new Date().toISOString() as string | null }));
  const [path, setPath] = useState("");
  const [from, setFrom] = useState(destinations[0]);
  const when = at.exact ?? at.input.replace("T", " ");
  const folder = useAnswer<FolderAt>(JSON.stringify([when, path, from]), when ? () => getJson<FolderAt>(browsePath(task, "versions", { at: when, path, from })) : null, 200);
  return (
    <section aria-labelledby="versions">
      <h3 id="versions">Versions: the destination as it was</h3>
      {!keeps && <p class="muted">This task keeps no versions (add versions: {"{keep: 30d}"}): only what is at the destination now can be browsed.</p>}
      <div class="controls">
        <label>
          As it was at{" "}
          <input type="datetime-local" value={at.input} step={60} onInput={(e) => setAt({ input: (e.target as HTMLInputElement).value, exact: null })} />
        </label>
        <button type="button" onClick={() => setAt({ input: nowForInput(), exact: new Date().toISOString() })}>
          Now
        </button>
        {destinations.length > 0 && (
          <label>
            Destination{" "}
            <select value={from} onChange={(e) => setFrom((e.target as HTMLSelectElement).value)}>
              {destinations.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <FolderBrowser
        entries={folder.answer?.entries ?? null}
        path={path}
        top={task}
        onPath={setPath}
        loading={folder.pending}
        problem={folder.problem}
        fileAction={(entry) => (
          <a href={browsePath(task, "versions/file", { at: when, path: entry.path, from })} download={entry.name} aria-label={`Download ${entry.name}`}>
            Download
          </a>
        )}
      />
      {!readOnly && <RestoreFolder task={task} at={when} path={path} from={from} down={down} onMessage={onMessage} />}
    </section>
  );
}

interface Props {
  name: string;
  status: Status;
  readOnly: boolean;
  down: Down;
  changes: number;
  progress: Progress | undefined;
  onDialog: (d: Dialog) => void;
  onMessage: (m: string) => void;
}

export function TaskPage({ name, status, readOnly, down, changes, progress, onDialog, onMessage }: Props) {
  const [detail, setDetail] = useState<TaskDetail | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [verified, setVerified] = useState<string | null>(null);
  useEffect(() => {
    getJson<TaskDetail>(taskPath(name)).then(
      (d) => {
        setDetail(d);
        setProblem(null);
      },
      (e: Error) => setProblem(e.message),
    );
  }, [name, changes]);
  useEffect(() => {
    document.getElementById("task-title")?.focus();
  }, [name]);
  const row = status.tasks.find((t) => t.name === name);
  if (problem && !detail) return <p role="alert">{problem}</p>;
  if (!detail || !row) return <p role="status">Loading…</p>;
  const verify = async () => {
    setVerified("Checking the credential…");
    try {
      const result = await post<Verification>(`/api/v1/credentials/${encodeURIComponent(detail.credential!.name)}/verify`);
      setVerified(result.valid ? `credential ${detail.credential!.name} (${result.type}): OK` : `credential ${detail.credential!.name} (${result.type}): FAILED — ${result.error}`);
    } catch (error) {
      setVerified((error as Error).message);
    }
  };
  const shownProgress = progress ?? row.running?.progress ?? undefined;
  const destinations = row.destinations?.map((d) => d.name) ?? [];
  const keeps = detail.settings.versions !== null || Object.values(detail.settings.destinations ?? {}).some((d) => d.overrides.versions);
  return (
    <article class="task-page">
      <p>
        <a href="#/">← All tasks</a>
      </p>
      <h2 id="task-title" tabIndex={-1}>
        {name} <StateBadge state={row.state} />
        {row.encrypted && <span class="badge neutral">encrypted</span>}
        {!row.enabled && <span class="badge neutral">disabled</span>}
        {row.overdue && <span class="badge warn">OVERDUE</span>}
      </h2>
      {row.description && <p>{row.description}</p>}
      <p class="muted">
        <Breakable text={row.direction === "push" ? `${row.path} → ${row.remote}` : `${row.remote} → ${row.path}`} /> · {row.transfer_mode} · next run <When iso={row.next_run} empty={row.schedule === null ? "when asked" : "–"} />
        {row.schedule_words && ` (${row.schedule_words})`}
      </p>
      <Actions task={row} readOnly={readOnly} down={down} onDialog={onDialog} onMessage={onMessage} />
      {row.state === "RUNNING" && shownProgress && <ProgressLine task={name} progress={shownProgress} />}
      {row.state === "HELD" && row.last_run?.error && <p class="problem">{row.last_run.error}</p>}

      {row.destinations && (
        <section aria-labelledby="destinations">
          <h3 id="destinations">Destinations</h3>
          <table class="history">
            <Columns names={["Destination", "State", "Where", "Last error"]} />
            <tbody>
              {row.destinations.map((d) => (
                <tr key={d.name} data-destination={d.name}>
                  <th scope="row">{d.name}</th>
                  <td>
                    <StateBadge state={d.state} />
                  </td>
                  <td class="path">
                    <Breakable text={d.remote} />
                  </td>
                  <td class="error">{d.error?.split("\n")[0] ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section aria-labelledby="history">
        <h3 id="history">Runs and checks</h3>
        <RunChart runs={detail.runs} />
        {detail.runs.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <div class="table-box">
            <table class="history">
              <Columns names={["Started", "What", "State", "Took", "Result", "Log"]} />
              <tbody>
                {detail.runs.map((r) => (
                  <tr key={r.id} class={r.dry_run || r.kind === "check" ? "apart" : ""}>
                    <td>
                      <When iso={r.started_at} />
                    </td>
                    <td>{kindText(r)}</td>
                    <td>
                      <StateBadge state={r.state} />
                    </td>
                    <td>{r.duration_ms === null ? "–" : formatDuration(r.duration_ms)}</td>
                    <td>
                      {outcomeText(r)}
                      {r.error && (
                        <div class="error" title={r.error}>
                          {r.error.split("\n")[0]}
                        </div>
                      )}
                    </td>
                    <td>
                      <button type="button" class="link" onClick={() => onDialog({ kind: "logs", task: name, run: r.id })} aria-label={`Log of the ${kindText(r)} of ${exactTime(r.started_at)}`}>
                        Log
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="settings">
        <h3 id="settings">Settings</h3>
        <Settings settings={detail.settings} />
      </section>

      {detail.written && (
        <section aria-labelledby="written">
          <h3 id="written">As written</h3>
          {detail.defined_at && (
            <p>
              <code>
                {detail.defined_at.file}:{detail.defined_at.line}
              </code>
            </p>
          )}
          <Copyable text={detail.written} label={`${name}'s entry`} />
        </section>
      )}

      <section aria-labelledby="cli">
        <h3 id="cli">From the command line</h3>
        <Copyable text={commandsFor(name, detail.defined_at?.file, row)} label="the commands" />
      </section>

      <VersionsBrowser task={name} destinations={destinations} keeps={keeps} readOnly={readOnly} down={down} onMessage={onMessage} />

      {detail.credential && (
        <section aria-labelledby="credential">
          <h3 id="credential">
            Credential {detail.credential.name} ({detail.credential.type})
          </h3>
          <dl class="settings">
            {Object.entries(detail.credential.options).map(([key, value]) => (
              <div key={key}>
                <dt>{key}</dt>
                <dd>{shown(value)}</dd>
              </div>
            ))}
          </dl>
          {!readOnly && (
            <button type="button" disabled={down !== null} title={down ?? undefined} onClick={() => void verify()}>
              Check the credential
            </button>
          )}
          {verified && <p role="status">{verified}</p>}
        </section>
      )}
    </article>
  );
}
