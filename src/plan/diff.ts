import { isSensitiveOption, urlPassword } from "../model/backends.js";
import type { ChannelSpec, CredentialSpec, DesiredConfig, TaskSpec } from "../model/config.js";
import type { AppliedState } from "../model/applied-state.js";
import { credentialsOf, destinationsOf } from "../model/destinations.js";
import type { Action, Change, FieldChange, Kind, Plan, PlanWarning } from "../model/plan.js";

/** JSON with sorted keys: equal values give equal text whatever order the file used. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Structural equality of JSON-like values; key order does not matter. */
export function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // Loops, not every(): a plan compares every field of every task, in a process that runs once.
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], other[i])) return false;
    return true;
  }
  const [left, right] = [a as Record<string, unknown>, b as Record<string, unknown>];
  const keys = Object.keys(left);
  if (keys.length !== Object.keys(right).length) return false;
  for (const key of keys) if (!Object.hasOwn(right, key) || !same(left[key], right[key])) return false;
  return true;
}

function compareFields(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): FieldChange[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys
    .map((field) => ({ field, before: before?.[field], after: after?.[field] }))
    .filter((f) => before === undefined || after === undefined || !same(f.before, f.after));
}

/** A credential as a flat record: `type` and its options, so options diff field by field. */
function credentialFields(credential: CredentialSpec | undefined): Record<string, unknown> | undefined {
  return credential && { type: credential.type, ...credential.options };
}

function change(kind: Kind, name: string, before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): Change | undefined {
  if (before !== undefined && after !== undefined && same(before, after)) return undefined;
  const action: Action = before === undefined ? "create" : after === undefined ? "delete" : "update";
  const fields = compareFields(before, after);
  return { address: kind === "settings" ? "settings" : `${kind}.${name}`, kind, name, action, changed_fields: fields.map((f) => f.field), fields };
}

/** A channel as the file wrote it: the fields its type uses, empty ones left out. */
function channelFields(channel: ChannelSpec | undefined): Record<string, unknown> | undefined {
  if (!channel) return undefined;
  return Object.fromEntries(Object.entries(channel).filter(([, value]) => value !== null && !(Array.isArray(value) && value.length === 0) && !(typeof value === "object" && !Array.isArray(value) && Object.keys(value as object).length === 0)));
}

const asRecord = (value: object | null | undefined) => (value ?? undefined) as Record<string, unknown> | undefined;

const sortedNames = (...records: Record<string, unknown>[]) => [...new Set(records.flatMap((r) => Object.keys(r)))].sort();

/** Where a task of one destination writes or reads on its remote, in rclone's words: `credential:bucket/folder`. */
export function placeOf(task: Pick<TaskSpec, "credential" | "bucket" | "folder">): string {
  return task.bucket === null ? `${task.credential}:${task.folder}` : `${task.credential}:${[task.bucket, task.folder].filter(Boolean).join("/")}`;
}

/** Where a task's remote side is: `credential:bucket/folder`, or each destination's, by name. */
export function remoteOf(task: TaskSpec): string {
  if (!task.destinations) return placeOf(task);
  return Object.entries(task.destinations)
    .map(([name, destination]) => `${name}=${placeOf(destination)}`)
    .join(", ");
}

/** What a task will delete, and where, when it runs (for each destination a sync or move writes to). */
function deletionNote(task: TaskSpec): string | undefined {
  const notes = destinationsOf(task).flatMap(({ spec }) => {
    const [source, destination] = spec.direction === "push" ? [spec.path, placeOf(spec)] : [placeOf(spec), spec.path];
    if (spec.transfer_mode === "sync") return [`will DELETE files in ${destination} that are not in ${source}`];
    if (spec.transfer_mode === "move") return [`will delete files from ${source} once they are copied to ${destination}`];
    return [];
  });
  return notes.length > 0 ? notes.join(", and ") : undefined;
}

function taskWarnings(name: string, before: TaskSpec | undefined, after: TaskSpec | undefined): PlanWarning[] {
  const address = `task.${name}`;
  if (!after) return [];
  const note = deletionNote(after);
  if (!before) return note ? [{ address, message: `task "${name}" ${note} when it runs` }] : [];
  const warnings: PlanWarning[] = [];
  if (before.direction !== after.direction) {
    warnings.push({
      address,
      message: `task "${name}" changes direction: it will now write into ${after.direction === "pull" ? after.path : remoteOf(after)}${note ? ` and ${note}` : ""}`,
    });
  } else if (note && (deletionNote(before) !== note || before.path !== after.path)) {
    warnings.push({ address, message: `task "${name}" ${note} when it runs` });
  }
  return warnings;
}

/**
 * A task as a flat record for the diff: each destination a field of its own (`destinations.NAME`,
 * its settings in one object), so a destination added, changed or removed is a change of its own;
 * `parallel` only where there are destinations to run at once.
 */
function taskFields(task: TaskSpec | undefined): Record<string, unknown> | undefined {
  if (!task) return undefined;
  const { destinations, parallel, ...rest } = task;
  if (!destinations) return rest;
  const each = Object.entries(destinations).map(([name, d]) => [`destinations.${name}`, { credential: d.credential, bucket: d.bucket, folder: d.folder, encryption: d.encryption, ...d.overrides }]);
  return { ...rest, parallel, ...Object.fromEntries(each) };
}

/**
 * Desired against applied: what apply would create, update and delete, field
 * by field, and what deserves a second look. Pure: everything comes in as arguments.
 */
export function computePlan(desired: DesiredConfig, applied: AppliedState): Plan {
  const changes: Change[] = [];
  const warnings: PlanWarning[] = [];

  // Settings are recorded with the first apply; after that, a difference is a change like any other.
  if (applied.settings) {
    const settings = change("settings", "settings", asRecord(applied.settings), asRecord(desired.settings));
    if (settings) changes.push(settings);
  }

  const usersOf = (credential: string, tasks: Record<string, TaskSpec>) =>
    Object.entries(tasks)
      .filter(([, t]) => credentialsOf(t).includes(credential))
      .map(([n]) => n)
      .sort();
  for (const name of sortedNames(applied.credentials, desired.credentials)) {
    const before = applied.credentials[name];
    const after = desired.credentials[name];
    const c = change("credential", name, credentialFields(before), credentialFields(after));
    if (!c) continue;
    c.backend = (after ?? before)!.type;
    c.affected_tasks = usersOf(name, c.action === "delete" ? applied.tasks : desired.tasks);
    changes.push(c);
  }
  for (const name of sortedNames(applied.notifications, desired.notifications)) {
    const c = change("notification", name, channelFields(applied.notifications[name]), channelFields(desired.notifications[name]));
    if (c) changes.push(c);
  }
  for (const name of sortedNames(applied.tasks, desired.tasks)) {
    const before = applied.tasks[name];
    const after = desired.tasks[name];
    const c = change("task", name, taskFields(before), taskFields(after));
    if (!c) continue;
    changes.push(c);
    warnings.push(...taskWarnings(name, before, after));
  }

  const count = (action: Action) => changes.filter((c) => c.action === action).length;
  return { changes, summary: { add: count("create"), change: count("update"), destroy: count("delete") }, warnings };
}

const ENCRYPTION_SECRETS = new Set(["password", "salt"]);
/** A channel's fields that carry a credential: its URL (a webhook's URL is its password), headers, password and token. */
const CHANNEL_SECRETS = new Set(["url", "headers", "password", "token"]);

/** Whether a field of a change holds a secret (wholly, or inside it as `encryption` does), on either side of the change. */
export function isSensitiveField(change: Pick<Change, "kind" | "backend">, field: Pick<FieldChange, "field" | "before" | "after">): boolean {
  if (change.kind === "credential") {
    return field.field !== "type" && change.backend !== undefined && [field.before, field.after].some((value) => isSensitiveOption(change.backend!, field.field, value));
  }
  if (change.kind === "notification") return CHANNEL_SECRETS.has(field.field) || (field.field === "smtp" && [field.before, field.after].some((v) => typeof v === "string" && urlPassword(v) !== undefined));
  if (change.kind === "settings") return field.field === "web" || field.field === "fleet";
  return change.kind === "task" && (field.field === "encryption" || field.field.startsWith("destinations."));
}

/** Fields that hold secrets among their parts: those parts are masked, the rest shown. */
const SECRET_PARTS: Record<string, ReadonlySet<string>> = { encryption: ENCRYPTION_SECRETS, web: new Set(["token"]), fleet: new Set(["key"]) };

/** One side of a field change, safe to show: secrets replaced by `mask`. */
export function maskValue(change: Pick<Change, "kind" | "backend">, field: FieldChange, side: "before" | "after", mask: string): unknown {
  const value = field[side];
  if (value === undefined || value === null || !isSensitiveField(change, field)) return value;
  const maskParts = (record: Record<string, unknown>, parts: ReadonlySet<string>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, parts.has(k) && v !== null ? mask : v]));
  if (change.kind === "task" && field.field.startsWith("destinations.")) {
    const destination = value as Record<string, unknown>;
    return { ...destination, encryption: destination.encryption && maskParts(destination.encryption as Record<string, unknown>, ENCRYPTION_SECRETS) };
  }
  const parts = SECRET_PARTS[field.field];
  if ((change.kind === "task" || change.kind === "settings") && parts) return maskParts(value as Record<string, unknown>, parts);
  return mask;
}
