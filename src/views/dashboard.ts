// The web API's answers, which the page's types are derived from (src/web/page/api.ts): every record,
// plan and task list in them is the JSON view the CLI prints with --json.
import type { AbortResult, ServiceHealth, StatusReport, TaskDetail } from "../model/results.js";
import type { RunRecord } from "../model/run-record.js";
import { planJson } from "./plan.js";
import { recordJson } from "./record.js";
import { statusJson } from "./status.js";
import { credentialJson, taskSettingsJson } from "./task.js";

/** GET /api/v1/status: `status --json`, and whether the page may act. */
export const dashboardStatusJson = (status: { report: StatusReport; readOnly: boolean; zone: string; fleet: boolean }) => ({ ...statusJson(status.report), read_only: status.readOnly, zone: status.zone, fleet: status.fleet });

/** GET /api/v1/health. */
export function healthJson(health: ServiceHealth) {
  const { config } = health;
  return {
    service: health.service,
    serial: health.serial,
    applied_at: health.applied_at,
    file: health.file,
    config: { state: config.state, diagnostics: config.diagnostics, plan: config.plan && planJson(config.plan) },
    read_only: health.readOnly,
  };
}

/** GET /api/v1/tasks/TASK: settings with secrets shown as `(sensitive)`, where it is defined, its runs. */
export function taskDetailJson(detail: TaskDetail) {
  return {
    name: detail.name,
    settings: taskSettingsJson(detail.spec),
    credential: detail.credential && credentialJson(detail.credential.name, detail.credential.spec),
    defined_at: detail.definedAt,
    written: detail.written,
    runs: detail.runs.map(recordJson),
  };
}

/** A run or check started from the page. */
export const startedJson = (record: RunRecord) => ({ started: recordJson(record) });

/** POST …/abort. */
export const abortJson = (result: AbortResult) =>
  result.outcome === "stopped" ? { outcome: result.outcome, record: result.record && recordJson(result.record) } : { outcome: result.outcome, records: result.records.map(recordJson) };
