import { describe, expect, it } from "vitest";
import { destinationOf, overlappingDestinations, ownedFlag, protectedPlace } from "../../src/config/safety.js";

describe("flags cloudsync owns", () => {
  it.each([
    ["--dry-run", "--dry-run"],
    ["--dry-run=false", "--dry-run"],
    ["-n", "-n"],
    ["-vn", "-v"],
    ["-Pn", "-n"],
    ["-v", "-v"],
    ["-vv", "-v"],
    ["--verbose=2", "--verbose"],
    ["-q", "-q"],
    ["--quiet", "--quiet"],
    ["--use-json-log=false", "--use-json-log"],
    ["--log-file=/tmp/x", "--log-file"],
    ["--log-level", "--log-level"],
    ["--stats", "--stats"],
    ["--stats-one-line", "--stats-one-line"],
    ["--stats-log-level=DEBUG", "--stats-log-level"],
    ["--config=/etc/rclone.conf", "--config"],
    ["--filter-from", "--filter-from"],
    ["--filter", "--filter"],
    ["--include=*.jpg", "--include"],
    ["--include-from", "--include-from"],
    ["--exclude", "--exclude"],
    ["--exclude-from=x", "--exclude-from"],
    ["--files-from", "--files-from"],
    ["--files-from-raw", "--files-from-raw"],
    ["--transfers=32", "--transfers"],
    ["--bwlimit=1M", "--bwlimit"],
    ["--retries", "--retries"],
    ["--max-delete=5", "--max-delete"],
    ["-L", "-L"],
    ["--copy-links", "--copy-links"],
    ["--create-empty-src-dirs", "--create-empty-src-dirs"],
    ["--fast-list", "--fast-list"],
    ["--", "--"],
  ])("%s is refused", (arg, flag) => {
    expect(ownedFlag(arg)?.flag).toBe(flag);
  });

  it.each(["--checksum", "--update", "--max-age=1d", "--retries-sleep=10s", "--low-level-retries=3", "--exclude-if-present=.nobackup", "-P", "--s3-upload-concurrency=8", "1d", "--size-only"])(
    "%s is the user's",
    (arg) => {
      expect(ownedFlag(arg)).toBeUndefined();
    },
  );

  it("names the task field to use instead", () => {
    expect(ownedFlag("--transfers=8")?.instead).toBe("transfers");
    expect(ownedFlag("--exclude-from=x")?.instead).toBe("exclude");
    expect(ownedFlag("-n")?.instead).toBe("run --dry-run");
    expect(ownedFlag("-L")?.instead).toBe("follow_symlinks");
    expect(ownedFlag("-q")?.instead).toBeNull();
  });
});

describe("places no task may write into", () => {
  it.each(["/", "/etc", "/usr", "/var", "/boot", "/bin", "/sbin", "/lib", "/lib64", "/run", "/proc", "/sys", "/dev", "/proc/1", "/sys/kernel", "/dev/shm"])("%s", (path) => {
    expect(protectedPlace(path)).toBeDefined();
  });
  // Home directories: keys and start-up files (a restore there hands over the account).
  it.each(["/root", "/root/.ssh", "/root/restore", "/home", "/home/me", "/home/me/", "/home/me/.ssh", "/home/me/.config/systemd", "/home/me/./.ssh"])("%s", (path) => {
    expect(protectedPlace(path)).toBeDefined();
  });
  it.each(["/mnt/tank", "/home/me/restore", "/home/me/Documents/old", "/var/lib/restore", "/usr/local/backup", "/etc/nginx", "/srv", "/rooted", "/tmp/x", "/devices", "/process"])("%s is allowed", (path) => {
    expect(protectedPlace(path)).toBeUndefined();
  });
});

describe("overlapping destinations", () => {
  const pull = (path: string) => destinationOf({ direction: "pull", path, credential: "c", bucket: null, folder: "" }, false);
  const push = (credential: string, bucket: string | null, folder: string, local = false) => destinationOf({ direction: "push", path: "/src", credential, bucket, folder }, local);

  it("finds the same place and places inside each other, not neighbours", () => {
    const found = overlappingDestinations([
      ["a", pull("/mnt/restore")],
      ["b", pull("/mnt/restore")],
      ["c", pull("/mnt/restore/photos")],
      ["d", pull("/mnt/restored")],
      ["e", push("s3", "bucket", "x")],
      ["f", push("s3", "bucket", "x/y")],
      ["g", push("s3", "other", "x")],
      ["h", push("b2", "bucket", "x")],
      ["i", push("disk", null, "/mnt/restore/deep", true)],
      ["j", push("sftp", null, "/srv")],
      ["k", push("sftp", null, "srv")],
    ]);
    expect(found).toEqual([
      { task: "b", other: "a", nested: false },
      { task: "c", other: "a", nested: true },
      { task: "f", other: "e", nested: true },
      { task: "i", other: "a", nested: true },
    ]);
  });

  it("a bucket's top contains its folders", () => {
    expect(overlappingDestinations([["top", push("s3", "b", "")], ["sub", push("s3", "b", "/photos/")]])).toEqual([{ task: "sub", other: "top", nested: true }]);
  });
});
