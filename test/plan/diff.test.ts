import { describe, expect, it } from "vitest";
import type { DesiredConfig, TaskSpec } from "../../src/model/config.js";
import { DEFAULT_SETTINGS } from "../../src/model/config.js";
import { computePlan, same } from "../../src/plan/diff.js";
import { planJson, renderPlan, summaryLine } from "../../src/views/plan.js";
import { emptyState, type AppliedState } from "../../src/model/applied-state.js";
import { taskSpec } from "../helpers/specs.js";

const task = taskSpec;

const desired = (tasks: Record<string, TaskSpec>, secret = "s3cret"): DesiredConfig => ({
  settings: { ...DEFAULT_SETTINGS },
  notifications: {},
  credentials: { store: { type: "s3", options: { provider: "Minio", secret_access_key: secret } } },
  tasks,
});

const applied = (config: DesiredConfig): AppliedState => ({ ...emptyState(), serial: 1, lineage: "l", settings: config.settings, credentials: config.credentials, tasks: config.tasks });
const plain = (_style: string, text: string) => text;

describe("destinations in a plan", () => {
  const multi = (destinations: TaskSpec["destinations"]) => task({ credential: "", bucket: null, destinations, parallel: 1 });
  const nas = { credential: "store", bucket: "photos", folder: "nas", encryption: null, overrides: {} };

  it("a destination added, changed or removed is a field of its own, its encryption's secrets masked", () => {
    const before = desired({ photos: multi({ nas }) });
    const after = desired({ photos: multi({ nas: { ...nas, overrides: { transfer_mode: "sync" } }, offsite: { ...nas, folder: "offsite", encryption: { password: "hunter2-long-secret", salt: null, filename_encryption: true }, overrides: {} } }) });
    const plan = computePlan(after, applied(before));
    expect(plan.changes[0]).toMatchObject({ address: "task.photos", action: "update", changed_fields: ["destinations.nas", "destinations.offsite"] });
    const text = renderPlan(plan, plain);
    expect(text).toContain('+ destinations.offsite = { credential = "store", bucket = "photos", folder = "offsite", encryption = { password = (sensitive value), salt = null, filename_encryption = true } }');
    expect(text).toMatch(/~ destinations\.nas += \{.*\} → \{.*transfer_mode = "sync" \}/);
    expect(text + JSON.stringify(planJson(plan))).not.toContain("hunter2-long-secret");
    expect(computePlan(desired({ photos: multi({ nas }) }), applied(after)).changes[0]!.fields.map((f) => [f.field, f.after === undefined ? "removed" : "changed"])).toEqual([
      ["destinations.nas", "changed"],
      ["destinations.offsite", "removed"],
    ]);
  });

  it("a state applied before destinations plans no change for an unchanged task", () => {
    const { destinations: _d, parallel: _p, ...older } = task();
    expect(computePlan(desired({ photos: task() }), applied(desired({ photos: older as TaskSpec }))).changes).toEqual([]);
  });
});

describe("computePlan", () => {
  it("creates everything against an empty state", () => {
    const plan = computePlan(desired({ photos: task() }), emptyState());
    expect(plan.changes.map((c) => [c.address, c.action])).toEqual([
      ["credential.store", "create"],
      ["task.photos", "create"],
    ]);
    expect(plan.summary).toEqual({ add: 2, change: 0, destroy: 0 });
    expect(plan.changes[0]!.affected_tasks).toEqual(["photos"]);
  });

  it("finds no changes when nothing differs, whatever the key order", () => {
    const config = desired({ photos: task() });
    const reordered = { ...config, credentials: { store: { type: "s3", options: { secret_access_key: "s3cret", provider: "Minio" } } } };
    expect(computePlan(reordered, applied(config)).changes).toEqual([]);
  });

  it("names exactly the changed fields, deletes what is gone, and includes settings changes", () => {
    const before = desired({ photos: task(), old: task() });
    const after = { ...desired({ photos: task({ schedule: "0 * * * *", exclude: ["*.tmp"] }) }), settings: { ...DEFAULT_SETTINGS, timezone: "UTC" } };
    const plan = computePlan(after, applied(before));
    expect(plan.changes.map((c) => [c.address, c.action, c.changed_fields])).toEqual([
      ["settings", "update", ["timezone"]],
      ["task.old", "delete", expect.arrayContaining(["schedule", "path"])],
      ["task.photos", "update", ["schedule", "exclude"]],
    ]);
    expect(plan.summary).toEqual({ add: 0, change: 2, destroy: 1 });
  });

  it("warns where data will be deleted or written elsewhere", () => {
    const before = desired({ a: task(), b: task() });
    const after = desired({ a: task({ transfer_mode: "sync" }), b: task({ direction: "pull" }), c: task({ transfer_mode: "move" }) });
    expect(computePlan(after, applied(before)).warnings.map((w) => w.message)).toEqual([
      'task "a" will DELETE files in store:photos that are not in /mnt/photos when it runs',
      'task "b" changes direction: it will now write into /mnt/photos',
      'task "c" will delete files from /mnt/photos once they are copied to store:photos when it runs',
    ]);
  });

  it("same() is structural", () => {
    expect(same({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(same({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(same([1, 2], [2, 1])).toBe(false);
  });
});

describe("rendering", () => {
  it("shows secrets never, and as (sensitive value) when they change", () => {
    const before = desired({ photos: task({ encryption: { password: "pw-one", salt: null, filename_encryption: false } }) }, "old-secret");
    const after = desired({ photos: task({ encryption: { password: "pw-two", salt: null, filename_encryption: true } }) }, "new-secret");
    const plan = computePlan(after, applied(before));
    const text = renderPlan(plan, plain);
    const json = JSON.stringify(planJson(plan));
    for (const secret of ["old-secret", "new-secret", "pw-one", "pw-two"]) {
      expect(text).not.toContain(secret);
      expect(json).not.toContain(secret);
    }
    expect(text).toContain("~ secret_access_key = (sensitive value)");
    expect(text).toContain("~ encryption = { ~ password = (sensitive value), ~ filename_encryption = false → true }");
  });

  it("shows the fleet's key never; an older state without a fleet plans no change", () => {
    const fleet = (key: string) => ({ publish: { credential: "store", bucket: "ops", folder: "fleet" }, key, host: null, stale_after: "15m" });
    const before = { ...desired({}), settings: { ...DEFAULT_SETTINGS, fleet: fleet("fleet-key-one-0123456") } };
    const after = { ...desired({}), settings: { ...DEFAULT_SETTINGS, fleet: fleet("fleet-key-two-0123456") } };
    const plan = computePlan(after, applied(before));
    const shown = renderPlan(plan, plain) + JSON.stringify(planJson(plan));
    for (const secret of ["fleet-key-one", "fleet-key-two"]) expect(shown).not.toContain(secret);
    expect(renderPlan(plan, plain)).toContain("key = (sensitive value)");
    expect(computePlan(desired({}), applied(desired({}))).changes).toEqual([]);
  });

  it("treats headers and URLs with a password as secrets, on either side of a change", () => {
    const dav = (url: string, headers: string): DesiredConfig => ({ settings: DEFAULT_SETTINGS, credentials: { dav: { type: "webdav", options: { url, headers } } }, notifications: {}, tasks: {} });
    const before = dav("https://me:first-pw@dav.example.com", "Authorization,Bearer tok-one");
    const after = dav("https://dav.example.com", "Authorization,Bearer tok-two");
    for (const plan of [computePlan(after, applied(before)), computePlan(before, emptyState()), computePlan(after, applied(before))]) {
      const shown = renderPlan(plan, plain) + JSON.stringify(planJson(plan));
      for (const secret of ["first-pw", "tok-one", "tok-two", "Bearer"]) expect(shown).not.toContain(secret);
    }
    const text = renderPlan(computePlan(after, applied(before)), plain);
    expect(text).toContain("~ url     = (sensitive value)");
    expect(text).toContain("~ headers = (sensitive value)");
  });

  it("renders in Terraform's style", () => {
    const before = desired({ photos: task({ pre_script: "echo one\necho two\n" }), old: task({ path: "/mnt/old" }) });
    const after = desired({ photos: task({ pre_script: "echo one\necho 2\n", transfers: 8 }), fresh: task({ description: "New" }) });
    expect(renderPlan(computePlan(after, applied(before)), plain)).toMatchInlineSnapshot(`
      "cloudsync will perform these actions:

        # task.fresh will be created
        + task "fresh" {
            + description   = "New"
            + direction     = "push"
            + transfer_mode = "copy"
            + path          = "/mnt/photos"
            + credential    = "store"
            + bucket        = "photos"
            + schedule      = "0 0 * * *"
            + enabled       = true
            + transfers     = 4
            + retries       = 2
            + retry_delay   = "30s"
          }

        # task.old will be destroyed
        - task "old" {
            - direction     = "push"
            - transfer_mode = "copy"
            - path          = "/mnt/old"
            - credential    = "store"
            - bucket        = "photos"
            - schedule      = "0 0 * * *"
            - enabled       = true
            - transfers     = 4
            - retries       = 2
            - retry_delay   = "30s"
          }

        # task.photos will be updated in place
        ~ task "photos" {
            ~ transfers  = 4 → 8
            ~ pre_script = <<-EOT
                  echo one
                - echo two
                + echo 2
              EOT
          }

      Plan: 1 to add, 1 to change, 1 to destroy.
      "
    `);
  });

  it("says No changes. when there are none", () => {
    const config = desired({ photos: task() });
    const plan = computePlan(config, applied(config));
    expect(summaryLine(plan)).toBe("No changes.");
    expect(planJson(plan)).toEqual({ format_version: 1, changes: [], summary: { add: 0, change: 0, destroy: 0 }, warnings: [] });
  });
});

describe("rendering many users of a credential", () => {
  it("names ten tasks and counts the rest", () => {
    const tasks = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`t${String(i).padStart(2, "0")}`, task()]));
    const text = renderPlan(computePlan(desired(tasks), emptyState()), plain);
    expect(text).toContain("# credential.store will be created; used by tasks t00, t01, t02, t03, t04, t05, t06, t07, t08, t09 and 15 more\n");
  });
});
