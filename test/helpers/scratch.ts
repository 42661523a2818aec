import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { tempDir } from "./cli.js";

/** A directory for a test file's scratch files, made before its tests and removed after them. */
export function scratchDirectory() {
  let dir: ReturnType<typeof tempDir>;
  beforeAll(() => {
    dir = tempDir();
  });
  afterAll(() => dir.remove());
  return {
    get path() {
      return dir.path;
    },
    /** Writes NAME there; returns the name, to pass as -c NAME with the directory as cwd. */
    file(name: string, content: string | Buffer): string {
      writeFileSync(join(dir.path, name), content);
      return name;
    },
  };
}
