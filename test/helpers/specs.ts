import { LATER_TASK_FIELDS, type TaskSpec } from "../../src/model/config.js";
import { startedRecord, type RunRecord } from "../../src/model/run-record.js";

/** A normalized task as the desired model holds it: a daily push copy to a bucket, changed where a test needs. */
export const taskSpec = (overrides: Partial<TaskSpec> = {}): TaskSpec => ({
  ...LATER_TASK_FIELDS,
  description: "",
  direction: "push",
  transfer_mode: "copy",
  path: "/mnt/photos",
  credential: "store",
  bucket: "photos",
  folder: "",
  schedule: "0 0 * * *",
  enabled: true,
  snapshot: false,
  create_empty_src_dirs: false,
  follow_symlinks: false,
  fast_list: false,
  transfers: 4,
  bwlimit: null,
  exclude: [],
  include: [],
  pre_script: "",
  post_script: "",
  encryption: null,
  rclone_args: [],
  retries: 2,
  retry_delay: "30s",
  timeout: null,
  catchup: false,
  ...overrides,
});

/** A finished manual run of task `t` that did nothing, changed where a test needs. */
export const runRecord = (overrides: Partial<RunRecord> = {}): RunRecord => ({
  ...startedRecord({ id: "r1", kind: "run", task: "t", dry_run: false, trigger: "manual", started_at: "2026-01-01T00:00:00.000Z", pid: 1, boot_id: null }),
  seq: 1,
  state: "SUCCESS",
  attempts: 1,
  ...overrides,
});
