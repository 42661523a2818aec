import { watch } from "chokidar";

/** Tells of changes to files and directories (the file, ${file:…} files, the state directory). */
export interface FileWatcher {
  add(paths: string[]): void;
  close(): Promise<void>;
}

export type WatchFiles = (paths: string[], onChange: (path: string) => void) => Promise<FileWatcher>;

/** chokidar, one level deep: editors that save by renaming are seen as a change of the file. */
export const watchWithChokidar: WatchFiles = async (paths, onChange) => {
  const watcher = watch(paths, { ignoreInitial: true, depth: 0 });
  watcher.on("all", (_event, path) => onChange(path));
  await new Promise<void>((ready) => watcher.once("ready", () => ready()));
  return { add: (more) => watcher.add(more), close: () => watcher.close() };
};
