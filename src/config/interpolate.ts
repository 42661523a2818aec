import type { BackendCatalog } from "../model/backends.js";
import { messages } from "./messages.js";
import { pointerOf } from "./pointer.js";

/** What interpolation may look at; the CLI passes the real environment and file system. */
export interface Environment {
  env: Readonly<Record<string, string | undefined>>;
  /** Returns the file's text, or throws an Error whose message says why not. */
  readFile(path: string): string;
  /** The backends of the rclone the file names (settings.rclone, else "rclone"); the bundled table when not given. */
  backendsOf?: (rclone: string) => Promise<BackendCatalog>;
  /** Whether a program can be started as the file names it (a path, or a name on PATH); not asked when not given. */
  findsProgram?: (command: string) => boolean;
  /**
   * A value that is not here (an unset variable, a file or credential that cannot be read) is no error:
   * the reference stays as written, unchecked. For exports made where the secrets are not.
   */
  allowMissingValues?: boolean;
  /** What a local path is on this machine; not asked when not given. */
  localPathKind?: (path: string) => "directory" | "other" | "missing";
}

export interface Interpolation {
  value: string;
  /** The string was exactly one reference, e.g. `${PORT}`. */
  wholeReference: boolean;
  /** Files read through `${file:…}`, so a watcher can follow them. */
  files: string[];
  /** Environment variables referenced (`${NAME}`, `${NAME:-default}`), so an export can provide them. */
  variables: string[];
  /** systemd credentials referenced (`${credential:NAME}`), so an export can load them. */
  credentials: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A systemd credential's name: a file name, as LoadCredential= takes it. */
const CREDENTIAL_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.@-]*$/;
/** Where systemd keeps credentials for services; read directly when no service manager passed them ($CREDENTIALS_DIRECTORY unset). */
export const CREDENTIAL_STORES = ["/etc/credstore", "/run/credstore"] as const;

/** What to write in the file for `text` to be read as it is: every `${` escaped as `$${`. */
export const asLiteral = (text: string): string => text.replaceAll("${", () => "$${");

/**
 * Resolves `${NAME}`, `${NAME:-default}`, `${file:/abs/path}`, `${credential:NAME}` and the
 * escape `$${`. Problems go to `report` with the offset of the reference (and whether only the
 * value is missing, not the reference wrong), and the reference is left as written.
 */
export function interpolate(raw: string, environment: Environment, report: (message: string, offset: number, missingValue: boolean) => void): Interpolation {
  let out = "";
  let references = 0;
  let literal = false;
  const found = { files: [] as string[], variables: [] as string[], credentials: [] as string[] };
  let i = 0;
  while (i < raw.length) {
    // Text up to the next `$` is copied as it is.
    const dollar = raw.indexOf("$", i);
    if (dollar < 0) {
      out += raw.slice(i);
      break;
    }
    out += raw.slice(i, dollar);
    i = dollar;
    if (raw.startsWith("$${", i)) {
      out += "${";
      literal = true;
      i += 3;
      continue;
    }
    if (!raw.startsWith("${", i)) {
      out += "$";
      i += 1;
      continue;
    }
    const close = raw.indexOf("}", i + 2);
    if (close < 0) {
      report(messages.unclosedReference(), i, false);
      out += raw.slice(i);
      break;
    }
    const body = raw.slice(i + 2, close);
    const resolved = resolveReference(body, environment, found);
    references += 1;
    if (typeof resolved === "string") out += resolved;
    else {
      report(resolved.error, i, resolved.missingValue === true);
      out += raw.slice(i, close + 1);
    }
    i = close + 1;
  }
  const wholeReference = references === 1 && !literal && /^\$\{[^}]*\}$/.test(raw);
  return { value: out, wholeReference, ...found };
}

const withoutTrailingNewline = (text: string) => text.replace(/\r?\n$/, "");
const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * `${credential:NAME}`: the credential systemd passed the service ($CREDENTIALS_DIRECTORY/NAME);
 * without a service manager, systemd's own credential stores, where LoadCredential= would take it from.
 */
type Resolved = string | { error: string; missingValue?: true };

function resolveCredential(name: string, environment: Environment, found: Omit<Interpolation, "value" | "wholeReference">): Resolved {
  if (!CREDENTIAL_NAME.test(name)) return { error: messages.badCredentialName(name) };
  found.credentials.push(name);
  const directory = environment.env.CREDENTIALS_DIRECTORY;
  const places = directory ? [directory] : CREDENTIAL_STORES;
  const reasons: string[] = [];
  for (const place of places) {
    const path = `${place.replace(/\/+$/, "")}/${name}`;
    found.files.push(path);
    try {
      return withoutTrailingNewline(environment.readFile(path));
    } catch (error) {
      reasons.push(`${path}: ${reasonOf(error)}`);
    }
  }
  return { error: messages.credentialUnreadable(name, directory !== undefined && directory !== "", reasons), missingValue: true };
}

/** A systemd credential's value as `${credential:NAME}` reads it; throws an Error saying why not. */
export function readCredential(name: string, environment: Environment): string {
  const resolved = resolveCredential(name, environment, { files: [], variables: [], credentials: [] });
  if (typeof resolved !== "string") throw new Error(resolved.error);
  return resolved;
}

function resolveReference(body: string, environment: Environment, found: Omit<Interpolation, "value" | "wholeReference">): Resolved {
  if (body.startsWith("file:")) {
    const path = body.slice("file:".length);
    if (!path.startsWith("/")) return { error: messages.fileReferenceNotAbsolute(path) };
    found.files.push(path);
    try {
      return withoutTrailingNewline(environment.readFile(path));
    } catch (error) {
      return { error: messages.fileReferenceUnreadable(path, reasonOf(error)), missingValue: true };
    }
  }
  if (body.startsWith("credential:")) return resolveCredential(body.slice("credential:".length), environment, found);
  const fallbackAt = body.indexOf(":-");
  const name = fallbackAt >= 0 ? body.slice(0, fallbackAt) : body;
  if (!NAME.test(name)) return { error: messages.badReference(body) };
  found.variables.push(name);
  const value = environment.env[name];
  // As in the shell, `:-` also stands in for a variable that is set but empty.
  if (fallbackAt >= 0 && !value) return body.slice(fallbackAt + 2);
  return value ?? { error: messages.unsetVariable(name), missingValue: true };
}

/** The systemd credentials a file's text names (`${credential:NAME}`, not `$${…}`), in order, once each. */
export function credentialReferences(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/(\$?)\$\{credential:([^}\s]+)\}/g)) if (match[1] === "" && CREDENTIAL_NAME.test(match[2]!)) names.add(match[2]!);
  return [...names];
}

/** What one load's interpolation resolved, for the checks that follow it. */
export class References {
  /** Strings with a reference: pointer → the text as written and as resolved. */
  readonly resolved = new Map<string, { raw: string; resolved: string }>();
  /** Paths of strings that were exactly one reference, such as `${PORT}`. */
  readonly whole: string[][] = [];
  /** Pointers whose references failed (already reported). */
  readonly unresolved = new Set<string>();
  /** Files read through `${file:…}`. */
  readonly files = new Set<string>();
  /** Environment variables referenced. */
  readonly variables = new Set<string>();
  /** systemd credentials referenced. */
  readonly credentials = new Set<string>();

  constructor(private readonly environment: Environment) {}

  resolve = (raw: string, path: readonly string[], report: (message: string, offset: number) => void): string => {
    if (!raw.includes("${")) return raw;
    let failed = false;
    const result = interpolate(raw, this.environment, (message, offset, missingValue) => {
      failed = true;
      if (!(missingValue && this.environment.allowMissingValues)) report(message, offset);
    });
    const pointer = pointerOf(path);
    for (const file of result.files) this.files.add(file);
    for (const name of result.variables) this.variables.add(name);
    for (const name of result.credentials) this.credentials.add(name);
    this.resolved.set(pointer, { raw, resolved: result.value });
    if (failed) {
      this.unresolved.add(pointer);
      return raw;
    }
    if (result.wholeReference) this.whole.push([...path]);
    return result.value;
  };
}
