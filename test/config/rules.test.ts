import { describe, expect, it } from "vitest";
import { buildModel } from "../../src/config/model-builder.js";
import { applyRules, RULES, type Rule } from "../../src/config/rules/index.js";
import { perTask } from "../../src/config/rules/rule.js";
import { knownCredential, snapshotOfSource } from "../../src/config/rules/tasks.js";
import { BUNDLED_BACKENDS } from "../../src/model/backends.js";

/** What `rules` report about `data`, as `error|warning path: message`. */
function findings(data: Record<string, unknown>, rules: readonly Rule[] = RULES): string[] {
  const built = buildModel(data, BUNDLED_BACKENDS);
  const found: string[] = [];
  applyRules({ written: data, ...built, backends: BUNDLED_BACKENDS, referenced: new Map() }, { error: (m, path) => found.push(`error ${path.join(".")}: ${m}`), warn: (m, path) => found.push(`warning ${path.join(".")}: ${m}`) }, rules);
  return found;
}

const base = { credentials: { c: { type: "sftp", host: "h" } } };

describe("the rules", () => {
  it("each has a name that says what it holds", () => {
    for (const rule of RULES) expect(rule.name === "" || /^[a-z][A-Za-z]+$/.test(rule.name)).toBe(true);
  });

  it("a valid file meets every rule", () => {
    expect(findings({ ...base, tasks: { t: { direction: "push", path: "/data", credential: "c", folder: "/backup", schedule: "daily" } } })).toEqual([]);
  });

  it("each rule can be run alone, and reports only its own finding", () => {
    const data = { ...base, tasks: { t: { direction: "pull", path: "/data", credential: "nope", folder: "/b", snapshot: true } } };
    expect(findings(data, [perTask(knownCredential)])).toEqual([expect.stringMatching(/^error tasks\.t\.credential: .*nope/)]);
    expect(findings(data, [perTask(snapshotOfSource)])).toEqual([expect.stringMatching(/^error tasks\.t\.snapshot: /)]);
    expect(findings(data).length).toBeGreaterThanOrEqual(2);
  });

  it("report problems in values the model builder could not read, where they are", () => {
    expect(findings({ ...base, tasks: { t: { direction: "push", path: "/data", credential: "c", folder: "/b", schedule: { minute: 61 } } } })).toEqual([expect.stringMatching(/^error tasks\.t\.schedule\.minute: /)]);
  });

  it("warn of a secret written out, and not of one that comes through ${…}", () => {
    const data = { credentials: { c: { type: "sftp", host: "h", pass: "hunter2" } }, tasks: {} };
    expect(findings(data)).toEqual([expect.stringMatching(/^warning credentials\.c\.pass: /)]);
    const built = buildModel(data, BUNDLED_BACKENDS);
    const found: string[] = [];
    applyRules({ written: data, ...built, backends: BUNDLED_BACKENDS, referenced: new Map([["/credentials/c/pass", "hunter2"]]) }, { error: (m) => found.push(m), warn: (m) => found.push(m) });
    expect(found).toEqual([]);
  });

  it("versions: nothing in rclone_args may keep replaced files elsewhere or delete the kept ones, and keep keeps something", () => {
    const versioned = (extra: Record<string, unknown>) => ({ ...base, tasks: { t: { direction: "push", transfer_mode: "sync", path: "/data", credential: "c", folder: "/b", versions: { keep: "30d" }, ...extra } } });
    expect(findings(versioned({}))).toEqual([]);
    expect(findings(versioned({ rclone_args: ["--checksum", "--backup-dir=/elsewhere", "--delete-excluded"] }))).toEqual([
      expect.stringMatching(/^error tasks\.t\.rclone_args\.1: .*--backup-dir with "versions"/),
      expect.stringMatching(/^error tasks\.t\.rclone_args\.2: .*--delete-excluded .*would delete the kept versions/),
    ]);
    expect(findings(versioned({ versions: { keep: "0s" } }))).toEqual([expect.stringMatching(/^error tasks\.t\.versions\.keep: .*keeps nothing/)]);
    expect(findings({ ...base, tasks: { t: { direction: "push", path: "/data", credential: "c", folder: "/b", rclone_args: ["--backup-dir=/x"] } } })).toEqual([]);
  });
});
