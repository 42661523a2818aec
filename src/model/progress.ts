/** A run's progress as rclone reports it every second. */
export interface RcloneStats {
  bytes: number;
  totalBytes: number;
  speed: number;
  eta: number | null;
  transfers: number;
  totalTransfers: number;
  checks: number;
  deletes: number;
  errors: number;
  elapsedTime: number;
}
