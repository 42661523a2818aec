// Generated from schema/cloudsync.schema.json by scripts/generate-backends.mjs. Do not edit.
export const SCHEMA_KEYS = {
  "root": [
    "version",
    "settings",
    "credentials",
    "notifications",
    "tasks"
  ],
  "settings": [
    "state_dir",
    "timezone",
    "max_parallel_runs",
    "log_retention",
    "allowed_roots",
    "rclone",
    "notify",
    "metrics",
    "web",
    "fleet"
  ],
  "metrics": [
    "listen",
    "textfile"
  ],
  "web": [
    "listen",
    "token",
    "read_only"
  ],
  "fleet": [
    "publish",
    "key",
    "host",
    "stale_after"
  ],
  "task": [
    "description",
    "direction",
    "transfer_mode",
    "allow_empty_source",
    "max_delete",
    "versions",
    "path",
    "credential",
    "bucket",
    "folder",
    "schedule",
    "enabled",
    "snapshot",
    "create_empty_src_dirs",
    "follow_symlinks",
    "fast_list",
    "transfers",
    "bwlimit",
    "exclude",
    "include",
    "pre_script",
    "post_script",
    "encryption",
    "destinations",
    "parallel",
    "rclone_args",
    "retries",
    "retry_delay",
    "timeout",
    "catchup",
    "notify",
    "max_age",
    "check"
  ],
  "check": [
    "schedule",
    "download"
  ],
  "encryption": [
    "password",
    "salt",
    "filename_encryption"
  ],
  "schedule_object": [
    "minute",
    "hour",
    "dom",
    "month",
    "dow"
  ],
  "bwlimit_entry": [
    "time",
    "bandwidth"
  ],
  "notification": [
    "type",
    "url",
    "headers",
    "token",
    "priority",
    "smtp",
    "user",
    "password",
    "from",
    "to",
    "command",
    "events"
  ],
  "fleet_publish": [
    "credential",
    "bucket",
    "folder"
  ]
} as const;

export const SCALAR_TYPES: Record<string, Record<string, "boolean" | "integer">> = {
  "settings": {
    "max_parallel_runs": "integer",
    "log_retention": "integer"
  },
  "metrics": {},
  "web": {
    "read_only": "boolean"
  },
  "fleet": {},
  "task": {
    "allow_empty_source": "boolean",
    "max_delete": "integer",
    "enabled": "boolean",
    "snapshot": "boolean",
    "create_empty_src_dirs": "boolean",
    "follow_symlinks": "boolean",
    "fast_list": "boolean",
    "transfers": "integer",
    "parallel": "integer",
    "retries": "integer",
    "catchup": "boolean"
  },
  "check": {
    "download": "boolean"
  },
  "encryption": {
    "filename_encryption": "boolean"
  },
  "schedule_object": {
    "minute": "integer",
    "hour": "integer",
    "dom": "integer",
    "month": "integer",
    "dow": "integer"
  },
  "bwlimit_entry": {},
  "notification": {
    "priority": "integer"
  }
};
