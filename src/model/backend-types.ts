/** How rclone describes one option of a backend, as far as cloudsync needs it. */
export interface BackendOption {
  /** rclone's option type: string, bool, int, SizeSuffix, Duration, … */
  rcloneType: string;
  required?: true;
  /** rclone expects the value obscured (`rclone obscure`). */
  obscure?: true;
  /** Never shown in any output. */
  sensitive?: true;
  /** The only values rclone accepts (an "exclusive" option). */
  choices?: string[];
}

export interface Backend {
  /** Names accepted for `type:`; the first is rclone's canonical name. */
  aliases: string[];
  /** Data lives in buckets (or containers): a task needs `bucket`. */
  bucketBased: boolean;
  options: Record<string, BackendOption>;
}

export type BackendTable = Record<string, Backend>;
