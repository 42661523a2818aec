import { watch } from "chokidar";

/** Tells of changes to files and directories (the file, ${file:…} files, the state directory). */
export interface FileWatcher {
  add(paths: string[]): void;
  close(): Promise<void>;
}

export type WatchFiles = (paths: string[], onChange: (path: string) => void, onError: (error: Error) => void) => Promise<FileWatcher>;

/**
 * chokidar, one level deep: editors that save by renaming are seen as a change of the file.
 * Its errors (EMFILE when file descriptors run out) are told, never thrown: the service
 * also looks at the file and the state on a timer, so a change the watcher misses is still seen.
 */
export const watchWithChokidar: WatchFiles = async (paths, onChange, onError) => {
  const watcher = watch(paths, { ignoreInitial: true, depth: 0 });
  watcher.on("all", (_event, path) => onChange(path));
  watcher.on("error", (error) => onError(error instanceof Error ? error : new Error(String(error))));
  await new Promise<void>((ready) => watcher.once("ready", () => ready()));
  return { add: (more) => watcher.add(more), close: () => watcher.close() };
};
