/** How restore writes into the local directory: copy keeps what is there, sync makes it equal to the remote. */
export type RestoreMode = "copy" | "sync";

/** A transfer mode of restore as the user wrote it, in any case; null for anything else. */
export function restoreModeOf(written: string): RestoreMode | null {
  const mode = written.toLowerCase();
  return mode === "copy" || mode === "sync" ? mode : null;
}
