// Who holds a lock (state.lock, watch.lock, runs/TASK.lock), as its file records it, and how that is said.

export interface LockHolder {
  pid: number;
  /** When the holding process started (Linux), to tell a reused pid from the holder. */
  pid_started: string | null;
  host: string;
  /** The boot of the holder's machine: a lock from an earlier boot of this host is stale. */
  boot_id: string | null;
  command: string;
  since: string;
}

export function describeHolder(holder: LockHolder): string {
  return `process ${holder.pid} ("cloudsync ${holder.command}") on ${holder.host}, since ${holder.since}`;
}

/** Whose lock was taken over, and why that was safe. */
export function describeTakeover(holder: LockHolder | null, reason: string): string {
  return `${holder ? describeHolder(holder) : "a holder that cannot be read"}: ${reason}`;
}
