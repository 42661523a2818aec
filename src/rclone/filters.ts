/**
 * An rclone --filter-from file: what is never transferred first, then the
 * task's excludes, then its includes, and when there are includes a final
 * catch-all that excludes everything they did not match.
 */
export function filterFile(exclude: readonly string[], include: readonly string[], never: readonly string[] = []): string {
  const lines = [...never.map((p) => `- ${p}`), ...exclude.map((p) => `- ${p}`), ...include.map((p) => `+ ${p}`)];
  if (include.length > 0) lines.push("- **");
  return `${lines.join("\n")}\n`;
}
