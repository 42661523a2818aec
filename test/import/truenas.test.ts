import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { importTrueNas, nameFrom, rateOf } from "../../src/import/truenas.js";
import { shellQuote, shellWords } from "../../src/import/shell-words.js";
import { load } from "../helpers/load.js";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as unknown;

describe("import truenas", () => {
  const old = importTrueNas(fixture("tasks-24.10.json"), fixture("credentials-24.10.json"));
  const current = importTrueNas(fixture("tasks-25.04.json"), fixture("credentials-25.04.json"));

  it("reads both credential shapes alike: up to 24.10 (provider + attributes) and from 25.04 (provider.type)", () => {
    expect(current.text).toBe(old.text);
    expect(current.env).toEqual(old.env);
    // Tasks carry their credential: the credentials file is not needed.
    expect(importTrueNas(fixture("tasks-25.04.json")).text).toBe(old.text);
  });

  it("gives a file that validates, every secret a ${VAR} whose value is kept apart", async () => {
    const env = { ...old.env, ...Object.fromEntries(old.placeholders.map((p) => [p, "x"])) };
    const loaded = await load(old.text, "cloudsync.yaml", env);
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    for (const value of Object.values(old.env)) expect(old.text).not.toContain(value.split("\n")[0]!);
    expect(old.env).toMatchObject({ WASABI_S3_SECRET_ACCESS_KEY: "s3-secret-old-shape-value", BACKBLAZE_KEY: "b2-application-key-secret", NAS_OVER_SFTP_PASS: "sftp-password-value", DRIVE_TOKEN: expect.stringContaining("ya29") });
    const config = loaded.config!;
    expect(Object.keys(config.tasks)).toHaveLength(19);
    expect(config.credentials["wasabi-s3"]!.options).toMatchObject({ provider: "Wasabi", region: "us-east-2", server_side_encryption: "AES256", storage_class: "STANDARD_IA" });
  });

  it("maps each provider's fields to rclone's options, as TrueNAS hands them to rclone", async () => {
    const env = { ...old.env, ...Object.fromEntries(old.placeholders.map((p) => [p, "x"])) };
    const { config } = await load(old.text, "cloudsync.yaml", env);
    const c = config!.credentials;
    expect(c.backblaze).toMatchObject({ type: "b2", options: { chunk_size: "256M", upload_cutoff: "256M" } });
    expect(config!.tasks["documents-b2-encrypted"]!.rclone_args).toEqual(["--multi-thread-cutoff=513M"]);
    expect(c.nextcloud!.options.vendor).toBe("nextcloud");
    expect(c.onedrive!.options).toMatchObject({ drive_type: "business", drive_id: "b!abc123" });
    expect(c.drive!.options).toMatchObject({ root_folder_id: "root", acknowledge_abuse: true });
    expect(c.gcs!.options).toMatchObject({ project_number: "my-project-42", bucket_policy_only: true });
    expect(String(c.gcs!.options.service_account_credentials)).not.toContain("\n");
    expect(c.storj).toMatchObject({ type: "s3", options: { provider: "Other", endpoint: "https://gateway.storjshare.io", chunk_size: "64M" } });
    expect(c.swift!.options).toMatchObject({ auth_version: 3, endpoint_type: "public", region: "RegionOne" });
    expect(c.swift!.options).not.toHaveProperty("user_id");
    expect(c.mirror).toMatchObject({ type: "http", options: { url: "https://mirror.example.com/pub/" } });
    expect(c["redacted-s3"]!.options).toMatchObject({ region: "eu-west-1", provider: "Other" });
  });

  it("carries every task field over: schedule, bandwidth in exact units, filters, scripts with bash, args, transfers, flags, encryption", async () => {
    const env = { ...old.env, ...Object.fromEntries(old.placeholders.map((p) => [p, "x"])) };
    const { config } = await load(old.text, "cloudsync.yaml", env);
    const photos = config!.tasks["photos-to-wasabi"]!;
    expect(photos).toMatchObject({
      description: "Photos to Wasabi",
      direction: "push",
      transfer_mode: "sync",
      path: "/mnt/tank/data1",
      bucket: "photos",
      folder: "backup1",
      schedule: "30 2 * * 1,3,7",
      bwlimit: "08:00,512k 18:00,10M 23:00,off",
      exclude: ["*.tmp", "/cache/**"],
      rclone_args: ["--checksum", "--s3-acl", "private"],
      transfers: 16,
      snapshot: true,
      follow_symlinks: true,
      create_empty_src_dirs: true,
      fast_list: true,
      enabled: true,
    });
    expect(photos.pre_script).toBe("#!/bin/bash\necho starting\nzfs list");
    expect(photos.post_script.startsWith("#!/usr/bin/env python3")).toBe(true);
    expect(config!.tasks["photos-to-wasabi-2"]!.enabled).toBe(false);
    expect(config!.tasks["documents-b2-encrypted"]!.encryption).toEqual({ password: "crypt pass with 'quotes' and $dollars", salt: "salty\nnewline", filename_encryption: true });
    expect(config!.tasks["task-4"]!.direction).toBe("pull");
    expect(old.text).toContain("# TrueNAS cloud sync task 1; its last job in TrueNAS: SUCCESS at 2025-12-03T00:00:00.000Z (run history is not imported)");
  });

  it("warns about what cannot come over, naming it: redacted secrets, unsupported providers, owned flags, a keychain key", () => {
    const messages = old.warnings.map((w) => `${w.about}: ${w.message}`);
    expect(messages).toContainEqual(expect.stringMatching(/^redacted-s3: REDACTED_S3_SECRET_ACCESS_KEY: TrueNAS gave "\*\*\*\*\*\*\*\*"/));
    expect(old.placeholders).toEqual(["REDACTED_S3_SECRET_ACCESS_KEY"]);
    expect(messages).toContainEqual(expect.stringMatching(/^hubic: TrueNAS task 19 uses a HUBIC credential.*left out/));
    expect(messages).toContainEqual(expect.stringMatching(/^photos-to-wasabi: its extra argument --dry-run is a flag cloudsync sets itself/));
    const keyed = importTrueNas([{ id: 1, description: "k", direction: "PUSH", transfer_mode: "COPY", path: "/mnt/a", credentials: { id: 9, name: "Keyed", provider: "SFTP", attributes: { host: "h", user: "u", private_key: 4 } }, attributes: { folder: "/x" } }]);
    expect(keyed.warnings[0]).toMatchObject({ about: "keyed", message: expect.stringContaining("keychain credential 4") });
    expect(keyed.text).toContain("key_file: /path/to/the/private/key/of/keyed");
  });

  it("keeps TrueNAS's text literal: a ${…} in it is not resolved, a newline in a name starts no YAML", async () => {
    const literal = "/mnt/${HOME}/$${X}";
    const imported = importTrueNas([
      {
        id: 1,
        description: "nightly ${HOME}",
        direction: "PUSH",
        transfer_mode: "COPY",
        path: literal,
        exclude: ["${HOME}/*.tmp"],
        pre_script: "echo ${HOME}",
        credentials: { id: 2, name: 'evil\nversion: 2\ntasks: {x: 1} #', provider: "S3", attributes: { access_key_id: "AK${HOME}", secret_access_key: "secret", endpoint: "https://${HOME}.example" } },
        attributes: { bucket: "b", folder: "/f" },
      },
    ]);
    const loaded = await load(imported.text, "cloudsync.yaml", { ...imported.env, HOME: "/root" });
    expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const [task] = Object.values(loaded.config!.tasks);
    expect(task).toMatchObject({ description: "nightly ${HOME}", path: literal, exclude: ["${HOME}/*.tmp"], pre_script: "#!/bin/bash\necho ${HOME}" });
    // The secret is the import's own reference, resolved to the value kept apart, itself never resolved again.
    expect(Object.values(loaded.config!.credentials)[0]!.options).toMatchObject({ access_key_id: "AK${HOME}", endpoint: "https://${HOME}.example" });
    expect(imported.text).not.toMatch(/^version: 2/m);
  });

  it("makes valid, unique names from descriptions and keeps the descriptions", () => {
    expect(nameFrom("Documents → B2 (encrypted)", "x")).toBe("documents-b2-encrypted");
    expect(nameFrom("Fotos für Oma", "x")).toBe("fotos-fur-oma");
    expect(nameFrom("!!!", "task-3")).toBe("task-3");
    expect(nameFrom("a".repeat(100), "x")).toHaveLength(56);
    expect(Object.keys(importTrueNas(fixture("tasks-24.10.json")).paths.map((p) => p.task)).length).toBe(19);
    expect(old.paths.map((p) => p.task)).toContain("photos-to-wasabi-2");
  });

  it("gives every secret its own variable, even where two names spell the same one", () => {
    const task = (id: number, description: string, credential: Record<string, unknown>) => ({
      id,
      description,
      direction: "PUSH",
      transfer_mode: "SYNC",
      path: "/mnt/a",
      credentials: credential,
      attributes: { bucket: "b", folder: "/f" },
      encryption: true,
      encryption_password: `password of ${description}`,
      encryption_salt: `salt of ${description}`,
    });
    const imported = importTrueNas([
      task(1, "Photos B2", { id: 1, name: "Store A", provider: "S3", attributes: { access_key_id: "a", secret_access_key: "secret one" } }),
      task(2, "Photos_B2", { id: 2, name: "Store_A", provider: "S3", attributes: { access_key_id: "b", secret_access_key: "secret two" } }),
    ]);
    // Each value once, under a name of its own (access keys are kept apart too).
    const values = Object.values(imported.env);
    expect(values.sort()).toEqual(["a", "b", "password of Photos B2", "password of Photos_B2", "salt of Photos B2", "salt of Photos_B2", "secret one", "secret two"]);
    const references = [...imported.text.matchAll(/: \$\{([A-Z0-9_]+)\}$/gm)].map((m) => m[1]);
    expect(new Set(references).size).toBe(8);
  });

  it("leaves a flag cloudsync owns out with its value; keeps U+2028 and U+2029 in a path as they are", () => {
    const imported = importTrueNas([
      {
        id: 1,
        description: "odd",
        direction: "PUSH",
        transfer_mode: "COPY",
        path: "/mnt/a\u2028b\u2029c",
        exclude: ["x\u2028y"],
        args: "--checksum --exclude foo --max-delete 10 --bwlimit=1M --transfers 4 --size-only",
        credentials: { id: 2, name: "s", provider: "S3", attributes: { access_key_id: "a", secret_access_key: "s" } },
        attributes: { bucket: "b", folder: "/f" },
      },
    ]);
    expect(imported.text).toContain("rclone_args:\n      - --checksum\n      - --size-only\n");
    expect(imported.warnings.map((w) => w.message)).toEqual(expect.arrayContaining([expect.stringContaining("--exclude foo is a flag cloudsync sets itself"), expect.stringContaining("--max-delete 10 is a flag")]));
    expect(imported.text).toContain("/mnt/a\u2028b\u2029c");
    expect(imported.text).not.toMatch(/[\u2028\u2029] /);
  });

  it("bandwidth: bytes per second to rclone units without loss", () => {
    expect(rateOf(524288)).toBe("512k");
    expect(rateOf(10485760)).toBe("10M");
    expect(rateOf(1000)).toBe("1000B");
    expect(rateOf(null)).toBe("off");
  });

  it("splits args like a shell, and quotes values so that a shell reads them back exactly", () => {
    expect(shellWords(`--a "b c" 'd e' f\\ g --h=i`)).toEqual(["--a", "b c", "d e", "f g", "--h=i"]);
    expect(shellWords(`--a "b`)).toBeNull();
    expect(shellQuote("it's $HOME\n")).toBe(`'it'\\''s $HOME\n'`);
  });

  it("refuses what is not TrueNAS's JSON", () => {
    expect(() => importTrueNas({ not: "a list" })).toThrow(/cloudsync\.query/);
    expect(() => importTrueNas([], {})).toThrow(/cloudsync\.credentials\.query/);
    // A list, but of no tasks: some other JSON.
    expect(() => importTrueNas([[1], [2]])).toThrow(/holds no tasks.*cloudsync\.query/);
    expect(() => importTrueNas(["a", 1, null])).toThrow(/holds no tasks/);
  });

  it("leaves out, with a warning, an entry that is not a task", () => {
    const { warnings } = importTrueNas([42, { id: 1, description: "x", credentials: 99 }]);
    expect(warnings.map((w) => w.message)).toContain("entry 1 of the tasks file is not a task (an object); it was left out");
  });

describe("import truenas --merge-destinations", () => {
  it("makes pushes of one path on one schedule (scripts and filters alike) one task with a destination each", async () => {
    const raw = fixture("tasks-25.04.json") as Record<string, unknown>[];
    const first = raw.find((t) => t.direction === "PUSH")!;
    const twin = { ...first, id: 9001, description: "The same, elsewhere", attributes: { ...(first.attributes as object), folder: "/elsewhere" } };
    const alone = importTrueNas([first, twin]);
    const merged = importTrueNas([first, twin], null, { mergeDestinations: true });
    expect(Object.keys((await load(alone.text, "cloudsync.yaml", alone.env)).config?.tasks ?? {})).toHaveLength(2);
    const env = { ...merged.env, ...Object.fromEntries(merged.placeholders.map((p) => [p, "x"])) };
    const { config, diagnostics } = await load(merged.text, "cloudsync.yaml", env);
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const [task] = Object.values(config!.tasks);
    expect(Object.keys(config!.tasks)).toHaveLength(1);
    expect(Object.values(task!.destinations!).map((d) => d.folder)).toEqual([expect.any(String), expect.stringMatching(/elsewhere$/)]);
    expect(merged.warnings).toContainEqual(expect.objectContaining({ message: expect.stringMatching(/are one task with a destination each/) }));
  });
});

});
