// Writes a large, valid configuration for benchmarks: N tasks over M credentials;
// the first `changed` tasks get another schedule, for plans with a few changes. Task N's
// local path is ROOT/N (the bench makes them, as a user's paths exist).
export function largeConfig(tasks, credentials, changed = 0, root = "/mnt/tank/data") {
  const lines = ["version: 1", "settings:", "  timezone: UTC", "credentials:"];
  for (let c = 0; c < credentials; c++) {
    lines.push(`  store-${c}:`, "    type: s3", "    provider: Minio", `    endpoint: http://127.0.0.1:${9000 + c}`, "    access_key_id: ${S3_KEY:-key}", "    secret_access_key: ${S3_SECRET:-secret}");
  }
  lines.push("tasks:");
  for (let t = 0; t < tasks; t++) {
    lines.push(
      `  task-${t}:`,
      `    description: Task number ${t}`,
      `    direction: ${t % 2 ? "push" : "pull"}`,
      `    transfer_mode: ${["copy", "sync", "move"][t % 3]}`,
      `    path: ${root}/${t}`,
      `    credential: store-${t % credentials}`,
      `    bucket: bucket-${t % 7}`,
      `    folder: /backups/${t}`,
      `    schedule: "${t % 60} ${t < changed ? (t + 1) % 24 : t % 24} * * *"`,
      `    transfers: ${["low", "medium", "high", 6][t % 4]}`,
      `    bwlimit: "08:00,512k 12:00,10M 18:00,off"`,
      `    exclude: ["*.tmp", "/cache/"]`,
      `    pre_script: |`,
      `      echo "starting $CLOUDSYNC_TASK"`,
      ...(t % 5 === 0 ? ["    encryption:", "      password: ${PASS:-pw}", "      salt: ${SALT:-salt}", "      filename_encryption: true"] : []),
    );
  }
  return `${lines.join("\n")}\n`;
}
