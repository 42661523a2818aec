import { useEffect, useRef, useState } from "preact/hooks";
import { taskPath } from "./api.js";
import { Modal } from "./dialog.js";

/** The log of a run, followed while it runs; Download logs saves it as a .log file. */
export function LogsDialog({ task, run, onClose }: { task: string; run: string; onClose: () => void }) {
  const [text, setText] = useState("");
  const [state, setState] = useState("");
  const pre = useRef<HTMLPreElement>(null);
  const path = `${taskPath(task)}/runs/${encodeURIComponent(run)}/log`;
  useEffect(() => {
    let offset = 0;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      const response = await fetch(`${path}?offset=${offset}`);
      if (stopped || !response.ok) return;
      const chunk = await response.text();
      offset = Number(response.headers.get("x-log-offset") ?? offset);
      const now = response.headers.get("x-run-state") ?? "";
      setState(now);
      if (chunk) setText((t) => t + chunk);
      if (now === "RUNNING") timer = setTimeout(poll, 500);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [path]);
  useEffect(() => {
    const el = pre.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [text]);
  return (
    <Modal title={`Logs: ${task}, run ${run}`} onClose={onClose} wide>
      <p>
        {state === "RUNNING" ? "Running: the log follows." : `Run ${state}.`}{" "}
        <a href={`${path}?download=1`} download={`${task}-${run}.log`}>
          Download logs
        </a>
      </p>
      <pre ref={pre} class="log" tabIndex={0} aria-label="The run's log">
        {text}
      </pre>
    </Modal>
  );
}
