import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { expiredStamps, pathFilter, pointInTime, stampsFilter, stampTime, versionFiles, versionFolders, versionsOf, versionStamp, type ListedFile, type VersionFile } from "../../src/rclone/versions.js";

const DAY = 86_400_000;

describe("version folders", () => {
  it("are named by the run's start in UTC, to the second, and read back", () => {
    const at = new Date("2026-12-07T03:15:42.789Z");
    expect(versionStamp(at)).toBe("2026-12-07T031542Z");
    expect(stampTime("2026-12-07T031542Z")).toEqual(new Date("2026-12-07T03:15:42Z"));
    for (const name of ["2026-12-07T031542", "notes", "2026-13-07T031542Z", "2026-12-07T251542Z"]) expect(stampTime(name)).toBeNull();
  });

  it("expire by their stamp: the time a run replaced the files, never the files' own age", () => {
    const now = new Date("2026-12-08T12:00:00Z");
    expect(expiredStamps(["2026-12-07T115959Z", "2026-12-07T120001Z", "2026-12-08T110000Z", "not-a-stamp"], DAY, now)).toEqual(["2026-12-07T115959Z"]);
  });

  it("are selected for removal, or for one path in each, with rclone's glob characters escaped", () => {
    expect(stampsFilter(["2026-12-07T031542Z"])).toBe("+ /2026-12-07T031542Z/**\n- **\n");
    expect(pathFilter("photos/[2024] {best}*.jpg", true)).toBe("+ /*/photos/\\[2024\\] \\{best\\}\\*.jpg\n+ /*/photos/\\[2024\\] \\{best\\}\\*.jpg/**\n- **\n");
    expect(pathFilter("/docs/", false)).toBe("- /.cloudsync-versions/\n+ /docs\n+ /docs/**\n- **\n");
  });

  it("are summed up newest first, and a path's versions found in each", () => {
    const listed: ListedFile[] = [
      { path: "2026-12-07T031542Z/a.txt", size: 3, modified: "2026-12-01T00:00:00Z" },
      { path: "2026-12-07T031542Z/docs/b.txt", size: 5, modified: "2026-12-01T00:00:00Z" },
      { path: "2026-12-08T031542Z/docs/b.txt", size: 7, modified: "2026-12-07T00:00:00Z" },
      { path: "stray.txt", size: 1, modified: "2026-12-01T00:00:00Z" },
    ];
    const versions = versionFiles(listed);
    expect(versions.map((v) => `${v.stamp} ${v.path}`)).toEqual(["2026-12-07T031542Z a.txt", "2026-12-07T031542Z docs/b.txt", "2026-12-08T031542Z docs/b.txt"]);
    expect(versionFolders(versions, ["2026-12-09T000000Z"]).map((f) => [f.stamp, f.files, f.bytes])).toEqual([
      ["2026-12-09T000000Z", 0, 0],
      ["2026-12-08T031542Z", 1, 7],
      ["2026-12-07T031542Z", 2, 8],
    ]);
    expect(versionsOf(versions, "docs").map((v) => v.stamp)).toEqual(["2026-12-08T031542Z", "2026-12-07T031542Z"]);
    expect(versionsOf(versions, "doc")).toEqual([]);
  });
});

/**
 * A model of a task's history: writes and deletes at the source, syncs to the destination that move what
 * they replace into version folders (as rclone's --backup-dir does), and what the destination and the
 * source held at any time.
 */
type Step = { kind: "write"; file: string } | { kind: "delete"; file: string } | { kind: "run" };
type Held = Map<string, { content: string; mtime: number }>;

function simulate(steps: readonly Step[]) {
  const START = Date.parse("2026-12-01T00:00:00Z");
  const source: Held = new Map();
  const destination: Held = new Map();
  const versions: (VersionFile & { content: string })[] = [];
  const sourceHistory: { at: number; held: Held }[] = [{ at: START - 1, held: new Map() }];
  const destinationHistory: { at: number; held: Held }[] = [{ at: START - 1, held: new Map() }];
  steps.forEach((step, i) => {
    const at = START + (i + 1) * 1000;
    if (step.kind === "write") source.set(step.file, { content: `${step.file}@${at}`, mtime: at });
    if (step.kind === "delete") source.delete(step.file);
    if (step.kind === "run") {
      const stamp = versionStamp(new Date(at));
      for (const [file, held] of destination) {
        const now = source.get(file);
        if (!now || now.mtime !== held.mtime) versions.push({ stamp, path: file, size: held.content.length, modified: new Date(held.mtime).toISOString(), content: held.content });
      }
      destination.clear();
      for (const [file, held] of source) destination.set(file, { ...held });
      destinationHistory.push({ at, held: new Map(destination) });
    }
    sourceHistory.push({ at, held: new Map(source) });
  });
  const asOf = (history: { at: number; held: Held }[], at: number) => history.filter((h) => h.at <= at).at(-1)!.held;
  return { START, end: START + steps.length * 1000, destination, versions, sourceAt: (at: number) => asOf(sourceHistory, at), destinationAt: (at: number) => asOf(destinationHistory, at) };
}

const step = fc.oneof(
  fc.record({ kind: fc.constant("write" as const), file: fc.constantFrom("a", "b", "c", "d/e") }),
  fc.record({ kind: fc.constant("delete" as const), file: fc.constantFrom("a", "b", "c", "d/e") }),
  fc.constant({ kind: "run" as const }),
);

describe("restoring to a point in time", () => {
  it("gives back everything the destination held then, and beyond it only files the source held then, unchanged", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (steps, where) => {
        const model = simulate(steps);
        const at = Math.floor(model.START + where * (model.end - model.START + 2000));
        const current = [...model.destination].map(([path, held]) => ({ path, size: held.content.length, modified: new Date(held.mtime).toISOString() }));
        const restored = new Map(
          pointInTime(current, model.versions, new Date(at)).map((file) => [file.path, file.stamp === null ? model.destination.get(file.path)!.content : model.versions.find((v) => v.stamp === file.stamp && v.path === file.path)!.content]),
        );
        for (const [path, held] of model.destinationAt(at)) expect(restored.get(path), `${path} at ${new Date(at).toISOString()}`).toBe(held.content);
        for (const [path, content] of restored) if (!model.destinationAt(at).has(path)) expect(model.sourceAt(at).get(path)?.content, `${path} beyond the destination`).toBe(content);
      }),
      { numRuns: 500 },
    );
  });

  it("right after a run, is exactly what the source held", () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), fc.nat(), (steps, pick) => {
        const model = simulate(steps);
        const runs = steps.flatMap((s, i) => (s.kind === "run" ? [model.START + (i + 1) * 1000] : []));
        fc.pre(runs.length > 0);
        const at = runs[pick % runs.length]! + 500;
        const current = [...model.destination].map(([path, held]) => ({ path, size: held.content.length, modified: new Date(held.mtime).toISOString() }));
        const restored = pointInTime(current, model.versions, new Date(at)).map((f) => f.path);
        expect(restored).toEqual([...model.sourceAt(at).keys()].sort());
      }),
      { numRuns: 300 },
    );
  });
});
