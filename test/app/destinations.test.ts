import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apply } from "../../src/app/apply.js";
import { destinationLines, findRun, readLog } from "../../src/app/logs.js";
import { run } from "../../src/app/run.js";
import { status } from "../../src/app/status.js";
import { appWorkspace, type AppWorkspace } from "../helpers/app.js";

let ws: AppWorkspace;
let source: string;
beforeEach(() => {
  ws = appWorkspace();
  source = ws.folder("source", { "a.txt": "alpha", "b.txt": "beta" });
});
afterEach(() => ws.remove());

const realRclone = execFileSync("sh", ["-c", "command -v rclone"], { encoding: "utf8" }).trim();
const manual = (extra: object = {}) => ({ trigger: "manual" as const, signal: new AbortController().signal, ...extra });
const destination = (name: string) => join(ws.dir, name);

/**
 * An rclone that fails, with exit code 5 (a failure that may pass), the first `times` syncs into a
 * folder named `flaky`, and logs the start and end of every sync; the real rclone does the work.
 */
function wrappedRclone(times = 0): string {
  const path = join(ws.dir, "rclone");
  const log = join(ws.dir, "rclone-calls");
  const count = join(ws.dir, "flaky-count");
  writeFileSync(count, "0");
  writeFileSync(
    path,
    `#!/bin/sh
case "$1" in sync|copy) echo "start $3 $(date +%s%N)" >> ${log} ;; esac
case "$3" in *flaky*)
  n=$(cat ${count}); echo $((n + 1)) > ${count}
  if [ "$n" -lt ${times} ]; then echo '{"level":"error","msg":"a passing fault","time":"2026-01-01T00:00:00Z"}' >&2; exit 5; fi ;;
esac
"${realRclone}" "$@"; code=$?
case "$1" in sync|copy) echo "end $3 $(date +%s%N)" >> ${log} ;; esac
exit $code
`,
  );
  chmodSync(path, 0o755);
  return path;
}

const calls = () => (existsSync(join(ws.dir, "rclone-calls")) ? readFileSync(join(ws.dir, "rclone-calls"), "utf8").trim().split("\n") : []);

async function configure(task: Record<string, unknown>, rclone?: string) {
  ws.write({
    settings: { state_dir: ws.stateDir, ...(rclone ? { rclone } : {}) },
    credentials: { disk: { type: "local" } },
    tasks: { photos: { direction: "push", transfer_mode: "sync", path: source, retry_delay: "1ms", ...task } },
  });
  await apply(ws, { autoApprove: true });
}

describe("a task with several destinations", () => {
  it("one run copies to each, records each one's outcome, and is SUCCESS only when all are; the post-script hears how each went", async () => {
    const blocker = join(ws.dir, "blocker");
    writeFileSync(blocker, "a file where a folder should be");
    await configure({
      post_script: `echo "$CLOUDSYNC_RESULTS" > ${join(ws.dir, "results")}`,
      destinations: {
        nas: { credential: "disk", folder: destination("nas") },
        broken: { credential: "disk", folder: join(blocker, "inside") },
        usb: { credential: "disk", folder: destination("usb"), transfer_mode: "copy" },
      },
    });
    const record = await run(ws, "photos", manual());
    expect(record.state).toBe("FAILED");
    expect(record.error).toMatch(/^1 of 3 destinations did not succeed\nbroken: FAILED — /);
    expect(record.destinations).toMatchObject({ nas: { state: "SUCCESS", files: 2 }, broken: { state: "FAILED" }, usb: { state: "SUCCESS", files: 2 } });
    expect(record).toMatchObject({ files: 4, bytes: 18 });
    expect(readFileSync(join(destination("usb"), "b.txt"), "utf8")).toBe("beta");
    expect(readFileSync(join(ws.dir, "results"), "utf8").trim()).toBe("nas=SUCCESS broken=FAILED usb=SUCCESS");

    const shown = (await status(ws)).tasks[0]!;
    expect(shown.state).toBe("FAILED");
    expect(shown.destinations).toEqual([
      expect.objectContaining({ name: "nas", state: "SUCCESS", remote: `disk:${destination("nas")}` }),
      expect.objectContaining({ name: "broken", state: "FAILED", error: expect.stringMatching(/rclone/) }),
      expect.objectContaining({ name: "usb", state: "SUCCESS" }),
    ]);
    const log = readLog(await findRun(ws, "photos")).chunk;
    const nasOnly = destinationLines("nas")(log, true).toString();
    expect(nasOnly).toMatch(/--- sync: .* → disk:.*\/nas/);
    expect(nasOnly).not.toMatch(/broken|usb/);
  });

  it("retries only the destination that failed; --destination runs one alone", async () => {
    await configure({ retries: 2, destinations: { steady: { credential: "disk", folder: destination("steady") }, flaky: { credential: "disk", folder: destination("flaky") } } }, wrappedRclone(1));
    const record = await run(ws, "photos", manual());
    expect(record.state).toBe("SUCCESS");
    expect(record.destinations).toMatchObject({ steady: { state: "SUCCESS", attempts: 1 }, flaky: { state: "SUCCESS", attempts: 2 } });
    expect(calls().filter((c) => c.startsWith("start")).map((c) => c.split(" ")[1]!.replace(/.*\//, ""))).toEqual(["steady", "flaky", "flaky"]);

    const only = await run(ws, "photos", manual({ destination: "flaky" }));
    expect(Object.keys(only.destinations!)).toEqual(["flaky"]);
    await expect(run(ws, "photos", manual({ destination: "tape" }))).rejects.toThrow(/has no destination "tape"/);
  });

  it("parallel: N writes to that many at once", async () => {
    await configure({ parallel: 2, destinations: { one: { credential: "disk", folder: destination("one") }, two: { credential: "disk", folder: destination("two") } } }, wrappedRclone());
    expect((await run(ws, "photos", manual())).state).toBe("SUCCESS");
    const at = (what: string, name: string) => Number(calls().find((c) => c.startsWith(what) && c.includes(`/${name} `))!.split(" ")[2]);
    // Each started before the other ended.
    expect(at("start", "two")).toBeLessThan(at("end", "one"));
    expect(at("start", "one")).toBeLessThan(at("end", "two"));
  });

  it("a check checks each destination, and finds what is missing at one", async () => {
    await configure({ destinations: { one: { credential: "disk", folder: destination("one") }, two: { credential: "disk", folder: destination("two") } } });
    await run(ws, "photos", manual());
    writeFileSync(join(destination("two"), "a.txt"), "changed behind its back");
    const check = await run(ws, "photos", manual({ kind: "check" }));
    expect(check).toMatchObject({ state: "FAILED", destinations: { one: { state: "SUCCESS" }, two: { state: "FAILED" } } });
    expect(check.check).toMatchObject({ matched: 3, differ: 1 });
  });
});
