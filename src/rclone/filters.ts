/**
 * An rclone --filter-from file: excludes first, then includes, and when there
 * are includes a final catch-all that excludes everything they did not match.
 */
export function filterFile(exclude: readonly string[], include: readonly string[]): string | null {
  if (exclude.length === 0 && include.length === 0) return null;
  const lines = [...exclude.map((p) => `- ${p}`), ...include.map((p) => `+ ${p}`)];
  if (include.length > 0) lines.push("- **");
  return `${lines.join("\n")}\n`;
}
