import type { RcloneStats } from "../model/progress.js";
/** rclone's running totals (from `--use-json-log` with `--stats`). */

export type LogEvent =
  | { kind: "stats"; stats: RcloneStats; time: string | null }
  | { kind: "entry"; level: string; message: string; object: string | null; objectType: string | null; time: string | null }
  | { kind: "text"; line: string };

/**
 * rclone's line for one file, as its JSON log writes it (keys in this order),
 * with nothing escaped in it: most lines of a large run. Read without
 * JSON.parse; any other line is parsed in full.
 */
const FILE_LINE = /^\{"level":"(\w+)","msg":"([^"\\]*)","object":"([^"\\]*)","objectType":"([^"\\]*)","source":"[^"\\]*","time":"([^"\\]*)"\}$/;

/** One line of rclone's stderr under --use-json-log; lines before logging starts are plain text. */
export function parseLogLine(line: string): LogEvent {
  if (!line.startsWith("{")) return { kind: "text", line };
  const file = FILE_LINE.exec(line);
  if (file) return { kind: "entry", level: file[1]!, message: file[2]!, object: file[3] === "" ? null : file[3]!, objectType: file[4]!, time: file[5]! };
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { kind: "text", line };
  }
  const time = typeof entry.time === "string" ? entry.time : null;
  if (entry.stats && typeof entry.stats === "object") {
    const s = entry.stats as Record<string, unknown>;
    const n = (key: string) => (typeof s[key] === "number" ? (s[key] as number) : 0);
    return {
      kind: "stats",
      time,
      stats: {
        bytes: n("bytes"),
        totalBytes: n("totalBytes"),
        speed: n("speed"),
        eta: typeof s.eta === "number" ? s.eta : null,
        transfers: n("transfers"),
        totalTransfers: n("totalTransfers"),
        checks: n("checks"),
        deletes: n("deletes"),
        errors: n("errors"),
        elapsedTime: n("elapsedTime"),
      },
    };
  }
  return {
    kind: "entry",
    level: typeof entry.level === "string" ? entry.level : "info",
    message: typeof entry.msg === "string" ? entry.msg : line,
    object: typeof entry.object === "string" && entry.object !== "" ? entry.object : null,
    objectType: typeof entry.objectType === "string" ? entry.objectType : null,
    time,
  };
}

/** An error rclone printed, as text; plain lines count, as rclone's fatal errors bypass its JSON log. */
export function errorText(event: LogEvent): string | null {
  if (event.kind === "stats" || (event.kind === "entry" && event.level !== "error" && event.level !== "critical")) return null;
  const text = (event.kind === "text" ? event.line : `${event.object ? `${event.object}: ` : ""}${event.message}`).trim();
  return text === "" ? null : text;
}

/**
 * Signs that the encryption password or salt is wrong: names that cannot be
 * decrypted, or (without name encryption) encrypted files that end too soon.
 */
export function isDecryptionFailure(event: LogEvent): boolean {
  if (event.kind === "entry" && event.objectType === "*crypt.Object" && event.level === "error" && /unexpected EOF/.test(event.message)) return true;
  const text = event.kind === "entry" ? event.message : event.kind === "text" ? event.line : "";
  return /undecryptable|failed to authenticate decrypted block|bad password/i.test(text);
}

/** A log event as a line people read in `cloudsync logs` (the log adds the time); debug chatter is left out. */
export function formatLogEvent(event: LogEvent): string | null {
  if (event.kind === "text") return event.line;
  if (event.kind === "stats" || (event.level === "debug" && !isDecryptionFailure(event))) return null;
  const level = event.level === "info" ? "" : `${event.level.toUpperCase()}: `;
  return `${level}${event.object ? `${event.object}: ` : ""}${event.message.trim()}`;
}
