import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { RunRecords } from "../state/run-records.js";

// `abort TASK` asks by leaving a file beside the task's lock; whichever process
// runs the task (a `run` in a terminal, the watch service) sees it and stops.

const abortPath = (store: RunRecords, task: string) => `${store.lockPath(task).replace(/\.lock$/, "")}.abort`;

export function requestAbort(store: RunRecords, task: string, runId: string): void {
  writeFileSync(abortPath(store, task), runId, { mode: 0o600 });
}

export function clearAbort(store: RunRecords, task: string): void {
  rmSync(abortPath(store, task), { force: true });
}

/** Calls `onAbort` once an abort of this run is asked for; returns a function that stops watching. */
export function watchForAbort(store: RunRecords, task: string, runId: () => string | undefined, onAbort: () => void, intervalMs = 250): () => void {
  const path = abortPath(store, task);
  const timer = setInterval(() => {
    if (!existsSync(path)) return;
    const wanted = readFileSync(path, "utf8").trim();
    const id = runId();
    if (id !== undefined && (wanted === "" || wanted === id)) {
      clearInterval(timer);
      onAbort();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Waits until `done()` or the time is up; true if done. */
export async function waitUntil(done: () => boolean, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
  return true;
}
