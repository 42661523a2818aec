import { formatDiagnostic, type Diagnostic } from "../model/diagnostics.js";
import { ConfigError, type UserError } from "../errors.js";
import type { Stamped } from "../model/events.js";
import { errorJson } from "../views/error.js";
import type { CliContext } from "./context.js";

const STYLES = { red: [31, 39], yellow: [33, 39], green: [32, 39], bold: [1, 22], dim: [2, 22] } as const;
export type Style = keyof typeof STYLES;

export function paint(enabled: boolean, style: Style, text: string): string {
  const [open, close] = STYLES[style];
  return enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
}

/** A painter for one stream: styles only when colour is on. */
export function painter(enabled: boolean) {
  return (style: Style, text: string) => paint(enabled, style, text);
}

/** Diagnostics on stderr, `FILE:LINE:COLUMN: error: MESSAGE`, the severity coloured on a terminal. */
export function printDiagnostics(ctx: CliContext, diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    const line = formatDiagnostic(d);
    const severity = `${d.severity}:`;
    const styled = line.replace(` ${severity} `, ` ${paint(ctx.colorStderr, d.severity === "error" ? "red" : "yellow", severity)} `);
    ctx.stderr.write(`${styled}\n`);
  }
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A line for people: on stdout, or on stderr when stdout carries --json; nothing with --quiet. */
export function say(ctx: CliContext, line: string): void {
  if (!ctx.quiet) (ctx.json ? ctx.stderr : ctx.stdout).write(`${line}\n`);
}

const NOTICE_PREFIX = { info: "note", warning: "warning", error: "error" } as const;

/** Notices of the operations on stderr (`note: …`, `warning: …`), with any diagnostics first; --quiet keeps only warnings and errors. */
export function printNotice(ctx: CliContext, event: Stamped): void {
  if (event.type !== "notice") return;
  if (event.diagnostics) printDiagnostics(ctx, event.diagnostics);
  if (ctx.quiet && event.level === "info") return;
  ctx.stderr.write(`${NOTICE_PREFIX[event.level]}: ${event.message}\n`);
  if (event.hint) ctx.stderr.write(`${event.hint}\n`);
}

/** A failure: with --json one object on stdout (SPEC section 2), else diagnostics and `cloudsync: error: …` on stderr. */
export function printError(ctx: CliContext | undefined, error: UserError): void {
  if (ctx?.json) {
    printJson(ctx, errorJson(error));
    return;
  }
  const stderr = ctx?.stderr ?? process.stderr;
  if (error instanceof ConfigError && ctx) {
    // The file's own errors say it all, in FILE:LINE:COLUMN form; then the one-line summary.
    printDiagnostics(ctx, error.diagnostics);
    stderr.write(`${error.message}\n`);
    return;
  }
  stderr.write(`cloudsync: ${paint(ctx?.colorStderr ?? false, "red", "error:")} ${error.message}\n`);
  if (error.hint) stderr.write(`${error.hint}\n`);
}
