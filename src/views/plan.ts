import { diffLines } from "diff";
import { maskValue } from "../plan/diff.js";
import type { Change, FieldChange, Plan } from "../model/plan.js";

export const SENSITIVE = "(sensitive value)";

type Paint = (style: "green" | "yellow" | "red" | "bold" | "dim", text: string) => string;

const SYMBOL = { create: "+", update: "~", delete: "-" } as const;
const STYLE = { create: "green", update: "yellow", delete: "red" } as const;
const VERB = { create: "will be created", update: "will be updated in place", delete: "will be destroyed" } as const;

/** `Plan: N to add, N to change, N to destroy.` or `No changes.` — the one place these lines are worded. */
export function summaryLine(plan: { changes: readonly unknown[]; summary: Plan["summary"] }): string {
  const { add, change, destroy } = plan.summary;
  return plan.changes.length === 0 ? "No changes." : `Plan: ${add} to add, ${change} to change, ${destroy} to destroy.`;
}

function formatScalar(value: unknown): string {
  if (value === SENSITIVE) return SENSITIVE;
  if (Array.isArray(value)) return `[${value.map(formatScalar).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k} = ${formatScalar(v)}`)
      .join(", ")} }`;
  }
  return JSON.stringify(value) ?? "null";
}

const isMultiline = (value: unknown): value is string => typeof value === "string" && value.includes("\n");

/** Fields with nothing in them are left out of created and destroyed blocks, as Terraform leaves out unset attributes. */
function isUnset(field: FieldChange): boolean {
  const value = field.after === undefined ? field.before : field.after;
  if (field.field === "enabled") return false;
  return value === null || value === "" || value === false || (Array.isArray(value) && value.length === 0);
}

function fieldLines(change: Change, field: FieldChange, width: number, paint: Paint): string[] {
  const before = maskValue(change, field, "before", SENSITIVE);
  const after = maskValue(change, field, "after", SENSITIVE);
  const action = field.before === undefined ? "create" : field.after === undefined ? "delete" : "update";
  const symbol = paint(STYLE[action], SYMBOL[action]);
  const name = field.field.padEnd(width);
  const indent = "      ";

  if (isMultiline(before) || isMultiline(after)) {
    const body =
      action === "update"
        ? diffLines(String(before ?? ""), String(after ?? "")).flatMap((part) =>
            part.value
              .replace(/\n$/, "")
              .split("\n")
              .map((line) => (part.added ? paint("green", `+ ${line}`) : part.removed ? paint("red", `- ${line}`) : `  ${line}`)),
          )
        : String(after ?? before)
            .replace(/\n$/, "")
            .split("\n")
            .map((line) => `  ${line}`);
    return [`${indent}${symbol} ${name} = <<-EOT`, ...body.map((line) => `${indent}    ${line}`), `${indent}  EOT`];
  }
  if (action === "update" && change.kind === "task" && field.field === "encryption" && before && after) {
    // Show which part of the encryption changed, its secrets still masked.
    const parts = Object.keys({ ...(field.before as object), ...(field.after as object) }).filter(
      (k) => JSON.stringify((field.before as Record<string, unknown>)[k]) !== JSON.stringify((field.after as Record<string, unknown>)[k]),
    );
    const shown = parts.map((k) => {
      const b = (before as Record<string, unknown>)[k];
      const a = (after as Record<string, unknown>)[k];
      return b === SENSITIVE || a === SENSITIVE ? `~ ${k} = ${SENSITIVE}` : `~ ${k} = ${formatScalar(b)} → ${formatScalar(a)}`;
    });
    return [`${indent}${symbol} ${name} = { ${shown.join(", ")} }`];
  }
  if (action === "update") {
    if (before === SENSITIVE || after === SENSITIVE) return [`${indent}${symbol} ${name} = ${SENSITIVE}`];
    return [`${indent}${symbol} ${name} = ${formatScalar(before)} ${paint("dim", "→")} ${formatScalar(after)}`];
  }
  return [`${indent}${symbol} ${name} = ${formatScalar(action === "create" ? after : before)}`];
}

const NAMES_SHOWN = 10;

/** `task a`, `tasks a, b` or `tasks a, b, … and 9,990 more`: a header stays one readable line. */
function namesOf(names: readonly string[], noun: string): string {
  const shown = names.slice(0, NAMES_SHOWN).join(", ");
  const rest = names.length - NAMES_SHOWN;
  return `${noun}${names.length === 1 ? "" : "s"} ${shown}${rest > 0 ? ` and ${rest.toLocaleString("en")} more` : ""}`;
}

function changeBlock(change: Change, paint: Paint): string[] {
  const label = change.kind === "settings" ? "settings" : `${change.kind} ${JSON.stringify(change.name)}`;
  const users = change.affected_tasks?.length ? `; used by ${namesOf(change.affected_tasks, "task")}` : "";
  const fields = change.action === "update" ? change.fields : change.fields.filter((f) => !isUnset(f));
  const width = Math.max(0, ...fields.map((f) => f.field.length));
  return [
    paint("bold", `  # ${change.address} ${VERB[change.action]}${users}`),
    `  ${paint(STYLE[change.action], SYMBOL[change.action])} ${label} {`,
    ...fields.flatMap((f) => fieldLines(change, f, width, paint)),
    "    }",
  ];
}

/** The plan as people read it, in the style Terraform users know. */
export function renderPlan(plan: Plan, paint: Paint): string {
  if (plan.changes.length === 0) return `${summaryLine(plan)} The applied state matches the configuration.\n`;
  const lines = ["cloudsync will perform these actions:", ""];
  for (const change of plan.changes) lines.push(...changeBlock(change, paint), "");
  if (plan.warnings.length > 0) {
    lines.push(paint("bold", "Warnings:"));
    for (const w of plan.warnings) lines.push(`  ${paint("yellow", "!")} ${w.message}`);
    lines.push("");
  }
  lines.push(paint("bold", summaryLine(plan)));
  return `${lines.join("\n")}\n`;
}

/** The plan as `plan --json` prints it: SPEC's shape, secrets masked. */
export function planJson(plan: Plan) {
  return {
    format_version: 1,
    changes: plan.changes.map((change) => {
      const side = (which: "before" | "after") =>
        change.action === (which === "before" ? "create" : "delete")
          ? null
          : Object.fromEntries(change.fields.map((f) => [f.field, maskValue(change, f, which, SENSITIVE) ?? null]));
      return {
        address: change.address,
        action: change.action,
        changed_fields: change.changed_fields,
        ...(change.affected_tasks ? { affected_tasks: change.affected_tasks } : {}),
        before: side("before"),
        after: side("after"),
      };
    }),
    summary: plan.summary,
    warnings: plan.warnings.map((w) => w.message),
  };
}
