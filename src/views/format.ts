import type { RcloneStats } from "../model/progress.js";

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`;
}

/** `2026-11-24 18:33` in the zone (the system's when null). */
export function formatLocal(date: Date, timezone: string | null): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: timezone ?? undefined, dateStyle: "short", timeStyle: "short" }).format(date);
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * One line of progress: a bar (on a terminal), %, bytes, speed, ETA, files,
 * checks, deletes. Given a width (a terminal's columns), the line fits it:
 * the least telling parts go first, so a narrow terminal never wraps it.
 */
export function progressLine(stats: RcloneStats, bar: boolean, columns = Infinity): string {
  const fraction = stats.totalBytes > 0 ? Math.min(1, stats.bytes / stats.totalBytes) : stats.totalTransfers > 0 ? stats.transfers / stats.totalTransfers : 0;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  const width = 24;
  const filled = Math.round(fraction * width);
  const parts = [
    ...(bar ? [`[${"#".repeat(filled)}${"-".repeat(width - filled)}]`] : []),
    percent,
    `${formatBytes(stats.bytes)} / ${formatBytes(stats.totalBytes)}`,
    `${formatBytes(stats.speed)}/s`,
    `ETA ${stats.eta === null ? "-" : formatDuration(stats.eta * 1000)}`,
    `files ${stats.transfers}/${stats.totalTransfers}`,
  ];
  if (stats.checks > 0) parts.push(`checks ${stats.checks}`);
  if (stats.deletes > 0) parts.push(`deleted ${stats.deletes}`);
  // Dropped in this order when the line is too wide: checks, files, ETA, speed, the bar.
  const order = [parts.findIndex((p) => p.startsWith("checks")), parts.findIndex((p) => p.startsWith("files")), parts.findIndex((p) => p.startsWith("ETA")), parts.findIndex((p) => p.endsWith("/s")), bar ? 0 : -1].filter((i) => i >= 0);
  const kept = [...parts];
  for (const index of order) {
    if (kept.filter(Boolean).join("  ").length < columns) break;
    kept[index] = "";
  }
  const line = kept.filter(Boolean).join("  ");
  return line.length < columns ? line : line.slice(0, Math.max(0, columns - 1));
}
