// What `plan` finds: the changes that would make the applied state the file's, field by field. Shapes only.

export type Action = "create" | "update" | "delete";
export type Kind = "settings" | "credential" | "notification" | "task";

export interface FieldChange {
  field: string;
  /** undefined: the field did not exist before (create) or will not after (delete). */
  before: unknown;
  after: unknown;
}

export interface Change {
  /** `task.NAME`, `credential.NAME` or `settings`. */
  address: string;
  kind: Kind;
  name: string;
  action: Action;
  /** The fields that differ (every field for create and delete), by the names the file uses. */
  changed_fields: string[];
  fields: FieldChange[];
  /** For a credential: its backend type, which decides which options are secret. */
  backend?: string;
  /** For a credential: the tasks that use it (after the change, or before a delete). */
  affected_tasks?: string[];
}

export interface PlanWarning {
  address: string;
  message: string;
}

export interface Plan {
  changes: Change[];
  summary: { add: number; change: number; destroy: number };
  warnings: PlanWarning[];
}
