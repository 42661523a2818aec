import { diffLines } from "diff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { interpolate } from "../../src/config/interpolate.js";
import { addRestoreTask, type RestoreRequest } from "../../src/config/restore.js";

const request = (extra: Partial<RestoreRequest> = {}): RestoreRequest => ({ task: "photos", direction: "push", path: "/mnt/restore", transferMode: "copy", ...extra });

function added(before: string, after: string): string {
  const parts = diffLines(before, after);
  // Additions only: nothing of the original is removed or changed.
  expect(parts.filter((p) => p.removed)).toEqual([]);
  return parts.filter((p) => p.added).map((p) => p.value).join("");
}

const FILE = `# backups
version: 1

credentials:
  offsite:
    type: s3   # minio
    access_key_id: \${KEY}
    secret_access_key: \${file:/run/secrets/s3}

tasks:
  photos:
    description: Photos
    direction: PUSH
    transfer_mode: sync
    path: /mnt/tank/photos
    credential: offsite
    bucket: "photos"
    folder: '/2024'
    transfers: high
    schedule: daily
    exclude: ["*.tmp"]
    pre_script: |
      echo hi

    encryption:
      password: \${PHOTOS_PASS}
      salt: \${PHOTOS_SALT}
      filename_encryption: true

  docs:
    direction: push
    transfer_mode: copy
    path: /mnt/tank/docs
    credential: offsite
    bucket: docs
    post_script: |
      echo done

# settings last
settings:
  max_parallel_runs: 2
`;

describe("addRestoreTask", () => {
  it("adds the reversed task after the last one, values as written, nothing else touched", () => {
    const result = addRestoreTask(FILE, request());
    if (!result.ok) throw new Error(result.problem);
    const entry = added(FILE, result.text);
    expect(entry.split("\n").filter(Boolean)).toEqual(result.entry.split("\n").filter(Boolean));
    // Set apart by a blank line, as the file's tasks are; before the comment that follows them.
    expect(result.text).toContain(`      echo done\n\n${result.entry}`);
    expect(result.entry).toMatchInlineSnapshot(`
      "  # The reverse of photos, made by cloudsync restore; it runs only when asked: cloudsync run photos-restore
        photos-restore:
          description: Restore of photos
          direction: pull
          transfer_mode: copy
          path: /mnt/restore
          credential: offsite
          bucket: "photos"
          folder: '/2024'
          transfers: high
          encryption:
            password: \${PHOTOS_PASS}
            salt: \${PHOTOS_SALT}
            filename_encryption: true
          enabled: false
      "
    `);
    const tasks = parse(result.text).tasks;
    expect(Object.keys(tasks)).toEqual(["photos", "docs", "photos-restore"]);
    expect(tasks["photos-restore"]).not.toHaveProperty("schedule");
    expect(tasks["photos-restore"]).not.toHaveProperty("exclude");
    expect(parse(result.text).settings).toEqual({ max_parallel_runs: 2 });
  });

  it("reverses pull to push; takes --name, --description and sync", () => {
    const result = addRestoreTask(FILE, request({ task: "docs", direction: "pull", name: "docs-back", description: "Docs back", transferMode: "sync" }));
    if (!result.ok) throw new Error(result.problem);
    expect(parse(result.text).tasks["docs-back"]).toEqual({
      description: "Docs back",
      direction: "push",
      transfer_mode: "sync",
      path: "/mnt/restore",
      credential: "offsite",
      bucket: "docs",
      enabled: false,
    });
  });

  it("writes the path and description given as they are: a ${…} in them is no reference", () => {
    const result = addRestoreTask(FILE, request({ path: "/mnt/${HOME}/back", description: "from ${HOME}" }));
    if (!result.ok) throw new Error(result.problem);
    const written = parse(result.text).tasks["photos-restore"] as { path: string; description: string };
    const read = (raw: string) => interpolate(raw, { env: { HOME: "/root" }, readFile: () => "" }, () => {}).value;
    expect([read(written.path), read(written.description)]).toEqual(["/mnt/${HOME}/back", "from ${HOME}"]);
  });

  it("follows the file's indentation", () => {
    const text = "version: 1\ncredentials:\n    d: {type: local}\ntasks:\n    t:\n        direction: push\n        transfer_mode: copy\n        path: /a\n        credential: d\n        folder: /b\n";
    const result = addRestoreTask(text, request({ task: "t" }));
    if (!result.ok) throw new Error(result.problem);
    added(text, result.text);
    expect(result.entry).toContain("\n    t-restore:\n        description: Restore of t\n");
    expect(parse(result.text).tasks["t-restore"].folder).toBe("/b");
  });

  it("copes with a file that ends without a newline, and with tasks that are not last", () => {
    const text = "version: 1\ntasks:\n  t:\n    path: /a # last";
    const result = addRestoreTask(text, request({ task: "t" }));
    if (!result.ok) throw new Error(result.problem);
    expect(result.text.startsWith(text)).toBe(true);
    expect(parse(result.text).tasks["t-restore"].path).toBe("/mnt/restore");
  });

  it("keeps a file's CRLF line endings", () => {
    const text = FILE.replace(/\n/g, "\r\n");
    const result = addRestoreTask(text, request());
    if (!result.ok) throw new Error(result.problem);
    expect(result.text.replace(/\r\n/g, "")).not.toContain("\n");
    expect(result.text.startsWith(text.slice(0, text.indexOf("# settings last")))).toBe(true);
    expect(parse(result.text).tasks["photos-restore"].direction).toBe("pull");
  });

  it("refuses an existing name, a bad name, a missing task and flow-style tasks", () => {
    expect(addRestoreTask(FILE, request({ name: "docs" }))).toMatchObject({ ok: false, problem: "a task named docs already exists" });
    expect(addRestoreTask(FILE, request({ name: "Docs Back" }))).toMatchObject({ ok: false, problem: expect.stringMatching(/cannot be a task name/) });
    expect(addRestoreTask(FILE, request({ task: "nope" }))).toMatchObject({ ok: false, problem: "there is no task nope in the file" });
    expect(addRestoreTask("version: 1\ntasks: {photos: {path: /a}}\n", request())).toMatchObject({ ok: false, problem: expect.stringMatching(/flow style/) });
  });

  it("only ever adds, whatever the tasks and comments around them", () => {
    const task = fc.record({
      comment: fc.option(fc.constantFrom("# a note", "# ---"), { nil: undefined }),
      blank: fc.boolean(),
      script: fc.boolean(),
      trailing: fc.option(fc.constantFrom("  # tail", "# tail at column 0"), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(task, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.boolean(), (tasks, after, newline) => {
        let text = "version: 1\ntasks:\n";
        tasks.forEach((t, i) => {
          if (t.blank && i > 0) text += "\n";
          if (t.comment) text += `  ${t.comment}\n`;
          text += `  t${i}:\n    direction: push\n    path: /a\n`;
          if (t.script) text += "    post_script: |\n      echo x\n\n";
          if (t.trailing) text += `${t.trailing}\n`;
        });
        if (after) text += "\nsettings:\n  max_parallel_runs: 1\n";
        if (!newline) text = text.replace(/\n+$/, "");
        const result = addRestoreTask(text, request({ task: "t0" }));
        if (!result.ok) throw new Error(result.problem);
        const parts = diffLines(text.endsWith("\n") ? text : `${text}\n`, result.text.endsWith("\n") ? result.text : `${result.text}\n`);
        expect(parts.filter((p) => p.removed)).toEqual([]);
        const parsed = parse(result.text);
        expect(Object.keys(parsed.tasks)).toEqual([...tasks.map((_, i) => `t${i}`), "t0-restore"]);
        expect(parsed.tasks["t0-restore"]).toMatchObject({ direction: "pull", path: "/mnt/restore", enabled: false });
        if (after) expect(parsed.settings).toEqual({ max_parallel_runs: 1 });
      }),
      { numRuns: 300 },
    );
  });
});
