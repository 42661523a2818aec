import { LATER_SETTINGS, LATER_TASK_FIELDS, type ChannelSpec, type CredentialSpec, type Settings, type TaskSpec } from "./config.js";

export const STATE_FORMAT_VERSION = 1;

/** What `apply` last made so: the desired model at that moment, with bookkeeping. */
export interface AppliedState {
  format_version: number;
  /** Increases by one with every apply. 0: nothing applied yet. */
  serial: number;
  /** Identifies this line of states; a plan made against another lineage is refused. "" until the first apply. */
  lineage: string;
  applied_at: string | null;
  /** sha256 of the configuration text that was applied. */
  config_sha256: string | null;
  settings: Settings | null;
  credentials: Record<string, CredentialSpec>;
  notifications: Record<string, ChannelSpec>;
  tasks: Record<string, TaskSpec>;
}

/** The state before anything was applied. Its lineage is given by the first write. */
export function emptyState(): AppliedState {
  return {
    format_version: STATE_FORMAT_VERSION,
    serial: 0,
    lineage: "",
    applied_at: null,
    config_sha256: null,
    settings: null,
    credentials: {},
    notifications: {},
    tasks: {},
  };
}

/** Why a parsed state file cannot be used, or undefined if it can. */
export function stateProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return "it is not a JSON object";
  const state = value as Partial<AppliedState>;
  if (state.format_version !== STATE_FORMAT_VERSION) {
    return typeof state.format_version === "number" && state.format_version > STATE_FORMAT_VERSION
      ? `it was written by a newer cloudsync (format ${state.format_version}); upgrade cloudsync`
      : "its format_version is missing or unknown";
  }
  if (!Number.isInteger(state.serial) || (state.serial as number) < 0) return "its serial is not a whole number";
  if (typeof state.lineage !== "string" || state.lineage === "") return "its lineage is missing";
  for (const key of ["credentials", "tasks"] as const) {
    const section = state[key];
    if (section === null || typeof section !== "object" || Array.isArray(section)) return `its ${key} are not an object`;
  }
  return undefined;
}

/** Gives `value` the fields it lacks, in place. (Spreading both into a new object was ~40 µs a task.) */
function fillIn<T extends object>(value: T, defaults: Partial<T>): T {
  for (const key of Object.keys(defaults) as (keyof T)[]) if (!Object.hasOwn(value, key)) value[key] = defaults[key]!;
  return value;
}

/**
 * A state written before some task fields existed, with those fields at the
 * values that keep it behaving as before. Changes `state` (just parsed, owned
 * by the caller) rather than copying it.
 */
export function withLaterFields(state: AppliedState): AppliedState {
  for (const task of Object.values(state.tasks)) fillIn(task, LATER_TASK_FIELDS);
  if (state.settings) fillIn(state.settings, LATER_SETTINGS);
  state.notifications ??= {};
  return state;
}
