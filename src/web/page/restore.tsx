// Restore: the reversed task `restore` generates (previewed again on every
// change, and only what was previewed is added to the file), or one folder of
// the destination straight into a new directory; the destination browsed.
import { useEffect, useState } from "preact/hooks";
import { getJson, post, taskPath, type Listing, type RestoreAnswer, type Started, type Status } from "./api.js";
import { browsePath, FolderBrowser, RestoreFolder, told, useAnswer } from "./browse.js";
import { Modal } from "./dialog.js";

interface Props {
  task: string;
  status: Status | null;
  down: string | null;
  onClose: () => void;
  onMessage: (message: string) => void;
}

export function RestoreDialog({ task, status, down, onClose, onMessage }: Props) {
  const row = status?.tasks.find((t) => t.name === task);
  const destinations = row?.destinations?.map((d) => d.name) ?? [];
  const [from, setFrom] = useState(destinations[0]);
  const [folder, setFolder] = useState("");
  const [how, setHow] = useState<"task" | "folder">("task");
  const listing = useAnswer<Listing>(JSON.stringify([from, folder]), () => getJson<Listing>(browsePath(task, "browse", { path: folder, from })), 0);
  // "now" for a restore of the destination as it is: fixed when the folder way is chosen, so the preview holds still.
  const [now, setNow] = useState(() => new Date().toISOString());
  useEffect(() => setNow(new Date().toISOString()), [how, from]);
  return (
    <Modal title={`Restore ${task}`} onClose={onClose} wide>
      {destinations.length > 0 && (
        <>
          <label for="restore-from">From the destination</label>
          <select id="restore-from" value={from} onChange={(e) => setFrom((e.target as HTMLSelectElement).value)}>
            {destinations.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </>
      )}
      <h3 class="small">What the destination holds</h3>
      <FolderBrowser entries={listing.answer?.entries ?? null} path={folder} top={listing.answer?.location ?? "the destination"} onPath={setFolder} loading={listing.pending} problem={listing.problem} />
      <fieldset class="how">
        <legend>How to restore</legend>
        <label class="inline">
          <input type="radio" name="restore-how" checked={how === "task"} onChange={() => setHow("task")} /> All of it, as a task in the file (the reversed task; run it when you choose)
        </label>
        <label class="inline">
          <input type="radio" name="restore-how" checked={how === "folder"} onChange={() => setHow("folder")} /> {folder ? `The folder ${folder}/` : "All of it"}, now, into a new directory
        </label>
      </fieldset>
      {how === "task" ? <RestoreTask task={task} from={from} status={status} down={down} onMessage={onMessage} /> : <RestoreFolder task={task} at={now} path={folder} from={from} down={down} onMessage={onMessage} />}
    </Modal>
  );
}

/** The reversed task: previewed on every change; a sync into a non-empty directory asks first; "Run it now" once the service has applied it. */
function RestoreTask({ task, from, status, down, onMessage }: { task: string; from: string | undefined; status: Status | null; down: string | null; onMessage: (message: string) => void }) {
  const [path, setPath] = useState("");
  const [mode, setMode] = useState("copy");
  const [name, setName] = useState("");
  const [force, setForce] = useState(false);
  const [written, setWritten] = useState<RestoreAnswer | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const body = { path, transfer_mode: mode, name: name || undefined, from, force: mode === "sync" && force };
  const key = JSON.stringify(body);
  const preview = useAnswer<RestoreAnswer>(key, path.startsWith("/") ? () => post<RestoreAnswer>(`${taskPath(task)}/restore`, { ...body, write: false }) : null);
  useEffect(() => {
    setWritten(null);
    setProblem(null);
  }, [key]);
  const current = preview.key === key && !preview.pending ? preview.answer : null;
  // A sync into a directory with files in it: the service says how much would go (409), and the reader confirms.
  const conflict = preview.key === key && (preview.problem as { status?: number } | null)?.status === 409;

  const write = async () => {
    setProblem(null);
    try {
      const result = await post<RestoreAnswer>(`${taskPath(task)}/restore`, { ...body, write: true });
      setWritten(result);
      onMessage(`Added task ${result.name} to the file (enabled: false); the service applies it.`);
    } catch (error) {
      setProblem(error);
    }
  };
  const applied = written !== null && status?.tasks.some((t) => t.name === written.name) === true;
  const runIt = async () => {
    try {
      const started = await post<Started>(`${taskPath(written!.name)}/run`);
      onMessage(`${written!.name}: run ${started.started.id} started`);
    } catch (error) {
      setProblem(error);
    }
  };
  return (
    <form onSubmit={(e) => e.preventDefault()}>
      <label for="restore-path">Restore into (an absolute directory on the server)</label>
      <input id="restore-path" required value={path} onInput={(e) => setPath((e.target as HTMLInputElement).value)} placeholder="/mnt/tank/restore" />
      <label for="restore-mode">Transfer mode</label>
      <select id="restore-mode" value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value)}>
        <option value="copy">copy: keep what is there</option>
        <option value="sync">sync: make it equal to the remote (deletes)</option>
      </select>
      <label for="restore-name">Name (default {task}-restore)</label>
      <input id="restore-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      {(conflict || force) && mode === "sync" && (
        <div class="confirm" role={conflict ? "alert" : undefined}>
          {conflict && <p>{told(preview.problem)}</p>}
          <label class="inline">
            <input type="checkbox" checked={force} onChange={(e) => setForce((e.target as HTMLInputElement).checked)} /> Yes: make {path} equal to the remote, deleting what the remote lacks
          </label>
        </div>
      )}
      <p class="muted" role="status">
        {!path.startsWith("/") ? "Say where to: an absolute directory." : preview.pending ? "Previewing…" : ""}
      </p>
      {preview.problem !== null && !conflict && !preview.pending && (
        <pre class="problem" role="alert">
          {[told(preview.problem), ...((preview.problem as { diagnostics?: { file: string; line: number; column: number; message: string }[] | null }).diagnostics ?? []).map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`)].join("\n")}
        </pre>
      )}
      {current && (
        <>
          <p>{written ? `Added ${written.name} to the file:` : `The entry restore adds (${current.name}):`}</p>
          <pre class="entry" aria-label="The generated task">
            {current.entry}
          </pre>
        </>
      )}
      <div class="actions">
        <button type="button" disabled={!current || written !== null || down !== null} title={down ?? undefined} onClick={() => void write()}>
          Add to the file
        </button>
        {written && (
          <button type="button" disabled={!applied || down !== null} title={applied ? undefined : "Waiting for the service to apply the file…"} onClick={() => void runIt()}>
            {applied ? `Run it now: ${written.name}` : "Run it now (once applied…)"}
          </button>
        )}
      </div>
      {problem !== null && (
        <p class="problem" role="alert">
          {told(problem)}
        </p>
      )}
    </form>
  );
}
