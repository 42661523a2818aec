import { useEffect, useState } from "preact/hooks";
import { formatBytes, formatDuration } from "../../views/format.js";
import { getJson, post, taskPath, type Status, type TaskDetail, type Verification } from "./api.js";
import type { Dialog } from "./app.js";
import { StateBadge, when } from "./parts.js";
import { Actions } from "./task-table.js";

/** A setting as text: lists joined, mappings as `key: value` pairs. */
function shown(value: unknown): string {
  if (value === null || value === undefined) return "–";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(shown).join(", ");
  if (typeof value === "object") return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${shown(v)}`).join("; ");
  return String(value);
}

/** One task: its applied settings (secrets as "(sensitive)"), where it is defined, its runs and checks, a credential check. */
export function TaskPage({ name, status, readOnly, changes, onDialog, onMessage }: { name: string; status: Status; readOnly: boolean; changes: number; onDialog: (d: Dialog) => void; onMessage: (m: string) => void }) {
  const [detail, setDetail] = useState<TaskDetail | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [verified, setVerified] = useState<string | null>(null);
  useEffect(() => {
    getJson<TaskDetail>(taskPath(name)).then(setDetail, (e: Error) => setProblem(e.message));
  }, [name, changes]);
  const row = status.tasks.find((t) => t.name === name);
  if (problem) return <p role="alert">{problem}</p>;
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
  return (
    <article class="task-page">
      <p>
        <a href="#/">← All tasks</a>
      </p>
      <h2>
        {name} <StateBadge state={row.state} />
      </h2>
      {detail.defined_at && (
        <p>
          Defined at{" "}
          <code>
            {detail.defined_at.file}:{detail.defined_at.line}:{detail.defined_at.column}
          </code>
        </p>
      )}
      <Actions task={row} readOnly={readOnly} onDialog={onDialog} onMessage={onMessage} />
      <section aria-labelledby="settings">
        <h3 id="settings">Applied settings</h3>
        <dl class="settings">
          {Object.entries(detail.settings).map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{key.endsWith("_script") && value ? <pre>{String(value)}</pre> : shown(value)}</dd>
            </div>
          ))}
        </dl>
      </section>
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
            <button type="button" onClick={() => void verify()}>
              Check the credential
            </button>
          )}
          {verified && <p role="status">{verified}</p>}
        </section>
      )}
      <section aria-labelledby="history">
        <h3 id="history">Runs and checks</h3>
        {detail.runs.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <table class="history">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Kind</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
                <th scope="col">Took</th>
                <th scope="col">Transferred</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {detail.runs.map((r) => (
                <tr key={r.id}>
                  <td data-label="Run">
                    <button type="button" class="link" onClick={() => onDialog({ kind: "logs", task: name, run: r.id })} aria-label={`Show the log of ${r.id}`}>
                      {r.id}
                    </button>
                  </td>
                  <td data-label="Kind">{r.dry_run ? `${r.kind} (dry)` : r.kind}</td>
                  <td data-label="State">
                    <StateBadge state={r.state} />
                  </td>
                  <td data-label="Started">{when(r.started_at)}</td>
                  <td data-label="Took">{r.duration_ms === null ? "–" : formatDuration(r.duration_ms)}</td>
                  <td data-label="Transferred">
                    {r.files} files, {formatBytes(r.bytes)}
                  </td>
                  <td data-label="Error" class="error">
                    {r.error?.split("\n")[0] ?? ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </article>
  );
}
