import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BACKENDS, BUNDLED_RCLONE_VERSION } from "../../src/model/generated/backends.js";
import { backendTableFrom, isProviderList, type RcloneProvider } from "../../src/model/rclone-providers.js";

const option = (Name: string, extra: Partial<RcloneProvider["Options"][number]> = {}) => ({
  Name, Help: `${Name}.\n\nMore.`, Provider: "", Type: "string", Required: false, IsPassword: false, Exclusive: false, Advanced: false, DefaultStr: "", ...extra,
});

function installedRclone(): { version: string; providers: unknown } | null {
  try {
    const version = /^rclone v?(\S+)/.exec(execFileSync("rclone", ["version"], { encoding: "utf8" }))![1]!;
    return { version, providers: JSON.parse(execFileSync("rclone", ["config", "providers"], { encoding: "utf8", maxBuffer: 64 << 20 })) };
  } catch {
    return null;
  }
}

describe("rclone's backend list → the table credentials are checked against", () => {
  const installed = installedRclone();
  it.runIf(installed?.version === BUNDLED_RCLONE_VERSION)("makes of the bundled rclone's own list exactly the bundled table (build and run time agree)", () => {
    expect(isProviderList(installed!.providers)).toBe(true);
    expect(backendTableFrom(installed!.providers as RcloneProvider[])).toEqual(BACKENDS);
  });

  it("merges an option listed once per provider, required only when every provider needs it; leaves out wrappers", () => {
    const table = backendTableFrom([
      {
        Name: "s3", Prefix: "s3", Description: "S3",
        Options: [
          option("provider", { Examples: [{ Value: "AWS", Help: "" }, { Value: "Minio", Help: "" }] }),
          option("region", { Provider: "AWS", Required: true }),
          option("region", { Provider: "Minio", Required: true }),
          option("endpoint", { Provider: "Minio", Required: true }),
          option("secret_access_key"),
          option("sse_kms_key_id", { Exclusive: true, Examples: [{ Value: "", Help: "None" }, { Value: "arn:x", Help: "" }] }),
        ],
      },
      { Name: "crypt", Prefix: "crypt", Description: "Encrypt", Options: [option("password", { IsPassword: true })] },
      { Name: "google cloud storage", Prefix: "gcs", Description: "GCS", Options: [option("anonymous", { Type: "bool" })] },
    ]);
    expect(Object.keys(table)).toEqual(["google cloud storage", "s3"]);
    expect(table.s3!.bucketBased).toBe(true);
    expect(table.s3!.options.region).toEqual({ rcloneType: "string", required: true });
    expect(table.s3!.options.endpoint).toEqual({ rcloneType: "string" });
    expect(table.s3!.options.secret_access_key).toEqual({ rcloneType: "string", sensitive: true });
    expect(table.s3!.options.sse_kms_key_id!.choices).toEqual(["", "arn:x"]);
    expect(table["google cloud storage"]!.aliases).toEqual(["google cloud storage", "gcs"]);
  });

  it("refuses what is not rclone's list (a cache or a binary may hold anything)", () => {
    for (const value of [null, {}, [], [{ Name: "x" }], [{ Name: "x", Prefix: "x", Options: [{ Name: 1 }] }]]) expect(isProviderList(value)).toBe(false);
  });
});
