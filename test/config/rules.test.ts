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

  it("the fleet: its folder on a credential of the file, in a bucket exactly when the backend has them; its key never written out", () => {
    const fleet = (publish: Record<string, unknown>, key = "a-key-of-sixteen-or-more") => ({ credentials: { c: { type: "sftp", host: "h" }, s3: { type: "s3", provider: "Other" }, disk: { type: "local" } }, settings: { fleet: { publish, key } }, tasks: {} });
    expect(findings(fleet({ credential: "c", folder: "fleet" }))).toEqual([expect.stringMatching(/^warning settings\.fleet\.key: /)]);
    expect(findings(fleet({ credential: "cc", folder: "fleet" }))).toEqual([expect.stringMatching(/^error settings\.fleet\.publish\.credential: .*"cc".*c\b/), expect.stringMatching(/^warning settings\.fleet\.key/)]);
    expect(findings(fleet({ credential: "s3", folder: "fleet" }))[0]).toMatch(/^error settings\.fleet\.publish: .*keeps data in buckets/);
    expect(findings(fleet({ credential: "c", bucket: "b" }))[0]).toMatch(/^error settings\.fleet\.publish\.bucket: .*does not apply/);
    expect(findings(fleet({ credential: "disk", folder: "relative" }))[0]).toMatch(/^error settings\.fleet\.publish\.folder: /);
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

  it("destinations: on a push only, instead of the task's own place; two of one task never in one place", () => {
    const creds = { credentials: { c: { type: "sftp", host: "h" }, disk: { type: "local" } } };
    const push = (extra: Record<string, unknown>) => ({ ...creds, tasks: { t: { direction: "push", transfer_mode: "sync", path: "/data", ...extra } } });
    expect(findings(push({ destinations: { nas: { credential: "c", folder: "/b" }, usb: { credential: "disk", folder: "/mnt/usb/b" } } }))).toEqual([]);
    expect(findings(push({}))).toEqual([expect.stringMatching(/^error tasks\.t: a task needs "credential".*or "destinations"/)]);
    expect(findings(push({ credential: "c", destinations: { nas: { credential: "c", folder: "/b" } } }))).toEqual([expect.stringMatching(/^error tasks\.t\.credential: with "destinations", each destination names its own "credential"/)]);
    expect(findings({ ...creds, tasks: { t: { direction: "pull", transfer_mode: "sync", path: "/data", destinations: { nas: { credential: "c", folder: "/b" } } } } })).toEqual([expect.stringMatching(/^error tasks\.t\.destinations: "destinations" are for a push/)]);
    expect(findings(push({ destinations: { one: { credential: "c", folder: "/b" }, two: { credential: "c", folder: "/b/inner" } } }))).toEqual([
      expect.stringMatching(/^error tasks\.t\.destinations\.two: destination "two" writes into a place inside that of destination "one" of the same task/),
    ]);
  });

  it("a destination's own place and settings are held to the task rules, each reported where it is written", () => {
    const creds = { credentials: { c: { type: "sftp", host: "h" }, web: { type: "http", url: "https://example.com" } } };
    const found = findings({
      ...creds,
      tasks: {
        t: {
          direction: "push",
          transfer_mode: "sync",
          path: "/data",
          rclone_args: ["--dry-run"],
          destinations: { a: { credential: "nope", folder: "/b" }, b: { credential: "web" }, c: { credential: "c", folder: "/c", rclone_args: ["--transfers=9"], max_delete: "150%" } },
        },
      },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^error tasks\.t\.rclone_args\.0: .*--dry-run/),
        expect.stringMatching(/^error tasks\.t\.destinations\.a\.credential: unknown credential "nope"/),
        expect.stringMatching(/^error tasks\.t\.destinations\.b\.credential: .*read-only/),
        expect.stringMatching(/^error tasks\.t\.destinations\.c\.rclone_args\.0: .*--transfers/),
        expect.stringMatching(/^error tasks\.t\.destinations\.c\.max_delete: /),
      ]),
    );
    // The task's own rclone_args are reported once, not once per destination.
    expect(found.filter((f) => f.includes("--dry-run"))).toHaveLength(1);
  });
});
