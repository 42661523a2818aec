import { useState } from "preact/hooks";
import { ApiError, post, taskPath, type RestoreAnswer } from "./api.js";
import { Modal } from "./dialog.js";

/** Restore: the reversed task restore would generate; "Add to the file" does exactly `restore --write`. */
export function RestoreDialog({ task, onClose, onMessage }: { task: string; onClose: () => void; onMessage: (m: string) => void }) {
  const [path, setPath] = useState("");
  const [mode, setMode] = useState("copy");
  const [name, setName] = useState("");
  const [answer, setAnswer] = useState<RestoreAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const ask = async (write: boolean) => {
    setProblem(null);
    try {
      const result = await post<RestoreAnswer>(`${taskPath(task)}/restore`, { path, transfer_mode: mode, name: name || undefined, write });
      setAnswer(result);
      if (result.written) onMessage(`Added task ${result.name} to the file (enabled: false); the service applies it.`);
    } catch (error) {
      const e = error as ApiError;
      setProblem([e.message, e.hint, ...(e.diagnostics ?? []).map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`)].filter(Boolean).join("\n"));
    }
  };
  return (
    <Modal title={`Restore ${task}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void ask(false);
        }}
      >
        <label for="restore-path">Restore into (an absolute directory)</label>
        <input id="restore-path" required value={path} onInput={(e) => setPath((e.target as HTMLInputElement).value)} placeholder="/mnt/tank/restore" />
        <label for="restore-mode">Transfer mode</label>
        <select id="restore-mode" value={mode} onChange={(e) => setMode((e.target as HTMLSelectElement).value)}>
          <option value="copy">copy: keep what is there</option>
          <option value="sync">sync: make it equal to the remote (deletes)</option>
        </select>
        <label for="restore-name">Name (default {task}-restore)</label>
        <input id="restore-name" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <div class="actions">
          <button type="submit">Preview</button>
          <button type="button" disabled={!answer || answer.written} onClick={() => void ask(true)}>
            Add to the file
          </button>
        </div>
      </form>
      {problem && (
        <pre class="problem" role="alert">
          {problem}
        </pre>
      )}
      {answer && (
        <>
          <p>{answer.written ? `Added ${answer.name} to the file:` : `The entry restore generates (${answer.name}):`}</p>
          <pre class="entry" aria-label="The generated task">
            {answer.entry}
          </pre>
        </>
      )}
    </Modal>
  );
}
