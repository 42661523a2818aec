import type { RcloneStats } from "../model/progress.js";

/** A run's progress as the page's event stream carries it. */
export function progressJson(stats: RcloneStats) {
  const { bytes, totalBytes, speed, eta, transfers, totalTransfers, checks, deletes, errors } = stats;
  return { bytes, total_bytes: totalBytes, speed, eta, files: transfers, total_files: totalTransfers, checks, deletes, errors };
}
