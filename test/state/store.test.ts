import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { StateStore } from "../../src/state/store.js";
import { tempDir } from "../helpers/cli.js";

const dir = tempDir();
afterAll(() => dir.remove());

describe("the state store's leftovers", () => {
  it("a state or backup temporary file named with this process's pid is a dead writer's: its pid came round again", async () => {
    // Pids are reused (pid_max is often 32,768): a writer killed long ago may have had the pid this process has now.
    const store = new StateStore(join(dir.path, "state"));
    store.ensureDir();
    const mine = [`.state.json.${process.pid}.0badf00d.tmp`, `.state.backup.json.${process.pid}.tmp`];
    for (const name of mine) writeFileSync(join(store.dir, name), "{");
    (await store.lock({ command: "apply", waitMs: 0, now: () => new Date("2026-12-06T00:00:00Z") })).release();
    expect(readdirSync(store.dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});
