import { describe, expect, it } from "vitest";
import { BackendCatalog } from "../../src/model/backends.js";
import type { CredentialSpec, TaskSpec } from "../../src/model/config.js";
import { buildInvocation, endpoints, remoteConfig, remotePath } from "../../src/rclone/command.js";
import { reveal } from "../../src/secrets/obscure.js";
import { taskSpec } from "../helpers/specs.js";

const task = (overrides: Partial<TaskSpec> = {}): TaskSpec => taskSpec({ transfer_mode: "sync", folder: "2024", schedule: null, ...overrides });
const s3: CredentialSpec = { type: "s3", options: { provider: "Minio", access_key_id: "AKIA-key-id", secret_access_key: "s3-secret-value" } };
const sftp: CredentialSpec = { type: "sftp", options: { host: "127.0.0.1", user: "me", pass: "sftp-password" } };

describe("remotes as environment variables", () => {
  it("defines the credential as RCLONE_CONFIG_CLOUDSYNC_*, password options obscured, and lists every secret form", () => {
    const config = remoteConfig(sftp, { bucket: null, folder: "backups", encryption: null });
    expect(config.remote).toBe("cloudsync:backups");
    expect(config.env).toMatchObject({ RCLONE_CONFIG: "/dev/null", RCLONE_CONFIG_CLOUDSYNC_TYPE: "sftp", RCLONE_CONFIG_CLOUDSYNC_HOST: "127.0.0.1" });
    expect(config.env.RCLONE_CONFIG_CLOUDSYNC_PASS).not.toBe("sftp-password");
    expect(reveal(config.env.RCLONE_CONFIG_CLOUDSYNC_PASS!)).toBe("sftp-password");
    expect(config.secrets).toEqual(["sftp-password", config.env.RCLONE_CONFIG_CLOUDSYNC_PASS]);
  });

  it("obscures the password options of the rclone in use, a backend the bundled table does not know included", () => {
    const newer = new BackendCatalog({ protondrive: { aliases: ["protondrive"], bucketBased: false, options: { username: { rcloneType: "string" }, mailbox_password: { rcloneType: "string", obscure: true } } } }, "1.68.2");
    const config = remoteConfig({ type: "protondrive", options: { username: "me", mailbox_password: "mailbox-secret" } }, { bucket: null, folder: "", encryption: null }, newer);
    expect(reveal(config.env.RCLONE_CONFIG_CLOUDSYNC_MAILBOX_PASSWORD!)).toBe("mailbox-secret");
    expect(config.secrets).toEqual(expect.arrayContaining(["mailbox-secret", config.env.RCLONE_CONFIG_CLOUDSYNC_MAILBOX_PASSWORD]));
    expect(config.env.RCLONE_CONFIG_CLOUDSYNC_USERNAME).toBe("me");
  });

  it("wraps an encrypted location in crypt, password and salt obscured", () => {
    const config = remoteConfig(s3, { bucket: "photos", folder: "2024", encryption: { password: "crypt-pw", salt: "crypt-salt", filename_encryption: true } });
    expect(config.remote).toBe("cloudsynccrypt:");
    expect(config.env).toMatchObject({ RCLONE_CONFIG_CLOUDSYNCCRYPT_TYPE: "crypt", RCLONE_CONFIG_CLOUDSYNCCRYPT_REMOTE: "cloudsync:photos/2024", RCLONE_CONFIG_CLOUDSYNCCRYPT_FILENAME_ENCRYPTION: "standard" });
    expect(reveal(config.env.RCLONE_CONFIG_CLOUDSYNCCRYPT_PASSWORD!)).toBe("crypt-pw");
    expect(reveal(config.env.RCLONE_CONFIG_CLOUDSYNCCRYPT_PASSWORD2!)).toBe("crypt-salt");
    expect(config.secrets).toEqual(expect.arrayContaining(["s3-secret-value", "crypt-pw", "crypt-salt", config.env.RCLONE_CONFIG_CLOUDSYNCCRYPT_PASSWORD]));
  });

  it("remote paths: bucket and folder, or the folder alone", () => {
    expect(remotePath({ bucket: "b", folder: "" })).toBe("cloudsync:b");
    expect(remotePath({ bucket: "b", folder: "x/y" })).toBe("cloudsync:b/x/y");
    expect(remotePath({ bucket: null, folder: "/srv" })).toBe("cloudsync:/srv");
    expect(endpoints({ direction: "pull", path: "/mnt/r" }, "cloudsync:b")).toEqual({ source: "cloudsync:b", destination: "/mnt/r" });
  });
});

describe("the rclone command line", () => {
  it("puts the task's rclone_args before cloudsync's own flags, so cloudsync's win", () => {
    const spec = task({ rclone_args: ["--checksum", "--dry-run=false", "--use-json-log=false"], transfers: 8, bwlimit: "10M", fast_list: true, follow_symlinks: true, create_empty_src_dirs: true });
    const { args } = buildInvocation(spec, remoteConfig(s3, spec), { dryRun: true, filterFile: "/tmp/f", localSource: null, maxDelete: 5 });
    expect(args.slice(0, 6)).toEqual(["sync", "/mnt/photos", "cloudsync:photos/2024", "--checksum", "--dry-run=false", "--use-json-log=false"]);
    expect(args.slice(6)).toEqual([
      "--use-json-log", "--stats", "1s", "--stats-log-level", "NOTICE", "-v", "--retries", "1", "--transfers", "8", "--bwlimit", "10M",
      "--filter-from", "/tmp/f", "--create-empty-src-dirs", "--copy-links", "--fast-list", "--max-delete", "5", "--dry-run=true",
    ]);
  });

  it("a real run says --dry-run=false last; a snapshot is read instead of the path; encryption logs at debug level", () => {
    const spec = task({ encryption: { password: "p", salt: null, filename_encryption: false } });
    const { args } = buildInvocation(spec, remoteConfig(s3, spec), { dryRun: false, filterFile: null, localSource: "/mnt/.cloudsync-snapshots/x" });
    expect(args.slice(0, 3)).toEqual(["sync", "/mnt/.cloudsync-snapshots/x", "cloudsynccrypt:"]);
    expect(args).toContain("-vv");
    expect(args.at(-1)).toBe("--dry-run=false");
    expect(args).not.toContain("--max-delete");
  });

  it("rclone reads a bandwidth timetable in the schedules' zone (settings.timezone), not the machine's", () => {
    const timed = task({ bwlimit: "08:00,512k 18:00,off" });
    expect(buildInvocation(timed, remoteConfig(s3, timed), { dryRun: false, filterFile: null, localSource: null, timezone: "Europe/Berlin" }).env.TZ).toBe("Europe/Berlin");
    expect(buildInvocation(timed, remoteConfig(s3, timed), { dryRun: false, filterFile: null, localSource: null, timezone: null }).env.TZ).toBeUndefined();
    const unlimited = task({ bwlimit: null });
    expect(buildInvocation(unlimited, remoteConfig(s3, unlimited), { dryRun: false, filterFile: null, localSource: null, timezone: "Europe/Berlin" }).env.TZ).toBeUndefined();
  });
});
