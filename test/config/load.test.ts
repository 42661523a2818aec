import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/model/diagnostics.js";
import { loadConfig, peekStateDir } from "../../src/config/load.js";
import { load, TEST_ENV } from "../helpers/load.js";

const FULL = `version: 1
settings:
  timezone: Europe/Berlin
  allowed_roots: [/mnt/]
credentials:
  offsite:
    type: gcs
    service_account_credentials: \${S3_SECRET}
  nas:
    type: sftp
    host: 127.0.0.1
    port: \${PORT}
    user: "\${PORT}"
tasks:
  photos:
    description: Photos
    direction: PUSH
    transfer_mode: SYNC
    path: /mnt//tank/photos/
    credential: offsite
    bucket: pics
    folder: /2024/
    schedule: {hour: 3}
    transfers: HIGH
    bwlimit: [{time: "08:00", bandwidth: 1M}, {time: "18:00", bandwidth: "off"}]
    exclude: &junk ["*.tmp"]
    include: ["*.jpg"]
    pre_script: echo "\${CLOUDSYNC_TASK} \${UNSET_IN_SCRIPT}"
    encryption:
      password: \${PASS}
    rclone_args: ["--checksum"]
  minimal:
    direction: pull
    transfer_mode: copy
    path: /mnt/minimal
    credential: nas
    folder: //srv//www/
    exclude: *junk
`;

describe("loadConfig", async () => {
  const result = await load(FULL, "cloudsync.yaml", { ...TEST_ENV, PORT: "2222" });

  it("accepts a full file without diagnostics", async () => {
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([]);
  });

  it("normalises tasks: case folded, presets and aliases resolved, paths cleaned, defaults filled", async () => {
    expect(result.config!.tasks.photos).toEqual({
      description: "Photos",
      direction: "push",
      transfer_mode: "sync",
      path: "/mnt/tank/photos",
      credential: "offsite",
      bucket: "pics",
      folder: "2024",
      schedule: "0 3 * * *",
      enabled: true,
      snapshot: false,
      create_empty_src_dirs: false,
      follow_symlinks: false,
      fast_list: false,
      transfers: 16,
      bwlimit: "08:00,1M 18:00,off",
      exclude: ["*.tmp"],
      include: ["*.jpg"],
      pre_script: 'echo "${CLOUDSYNC_TASK} ${UNSET_IN_SCRIPT}"',
      post_script: "",
      encryption: { password: "password", salt: null, filename_encryption: false },
      rclone_args: ["--checksum"],
      retries: 2,
      retry_delay: "30s",
      timeout: null,
      catchup: false,
      notify: null,
      max_age: null,
      check: null,
      versions: null,
      destinations: null,
      parallel: 1,
      allow_empty_source: false,
      max_delete: null,
    });
    expect(result.config!.tasks.minimal).toMatchObject({ schedule: null, bucket: null, folder: "/srv/www", transfers: 4, bwlimit: null, exclude: ["*.tmp"] });
  });

  it("normalises credentials: canonical backend name, resolved options", async () => {
    expect(result.config!.credentials.offsite).toEqual({ type: "google cloud storage", options: { service_account_credentials: "secret-value" } });
  });

  it("gives a plain ${VAR} the type it would have written literally; a quoted one stays text", async () => {
    expect(result.config!.credentials.nas!.options).toEqual({ host: "127.0.0.1", port: 2222, user: "2222" });
  });

  it("applies defaults to settings", async () => {
    expect(result.config!.settings).toEqual({
      state_dir: null,
      timezone: "Europe/Berlin",
      max_parallel_runs: 4,
      log_retention: 20,
      allowed_roots: ["/mnt"],
      rclone: "rclone",
      notify: [],
      metrics: { listen: null, textfile: null },
      web: { listen: null, token: null, read_only: false },
    });
  });

  it("accepts empty sections", async () => {
    const empty = await load("version: 1\nsettings:\ncredentials:\ntasks: {}\n");
    expect(empty.diagnostics).toEqual([]);
    expect(empty.config).toEqual({ settings: expect.any(Object), credentials: {}, notifications: {}, tasks: {} });
  });

  it("warns about secrets written literally, at the value", async () => {
    const literal = await load(`version: 1
credentials:
  store:
    type: s3
    secret_access_key: hunter2
tasks:
  t:
    direction: push
    transfer_mode: copy
    path: /a
    credential: store
    bucket: b
    encryption: {password: swordfish}
`);
    expect(literal.diagnostics.map(formatDiagnostic)).toEqual([
      'cloudsync.yaml:5:24: warning: "secret_access_key" is written in the file in plain text; keep secrets out of version control with ${VAR} or ${file:/path}',
      'cloudsync.yaml:13:28: warning: "encryption.password" is written in the file in plain text; keep secrets out of version control with ${VAR} or ${file:/path}',
    ]);
    expect(literal.config).not.toBeNull();
  });

  it("never prints a secret's value in a diagnostic", async () => {
    const bad = await load(`version: 1
credentials:
  store:
    type: s3
    secret_access_key: \${S3_SECRET}
    chunk_size: \${S3_SECRET}
`);
    expect(JSON.stringify(bad.diagnostics)).not.toContain("secret-value");
  });

  it("gives every file one reading, whatever else in it is reported: a %YAML 1.1 directive, a null: key, lone CR line ends", async () => {
    const base = (extra: string) =>
      `%YAML 1.1\n---\nversion: 1\ncredentials:\n  d:\n    type: local\ntasks:\n  t:\n    direction: push\n    transfer_mode: sync\n    path: /srv/a\n    credential: d\n    folder: /backup\n    max_delete: 010\n${extra}`;
    // An unrelated warning (a literal secret elsewhere) must not change what 010 means.
    const plain = await load(base(""));
    const warned = await load(base("").replace("  d:\n    type: local\n", "  d:\n    type: local\n  s:\n    type: s3\n    secret_access_key: hunter2-literal\n"));
    expect(warned.diagnostics.some((d) => d.severity === "warning")).toBe(true);
    expect(plain.config?.tasks.t?.max_delete).toBe(warned.config?.tasks.t?.max_delete);
    const nullKey = "version: 1\ncredentials:\n  d:\n    type: local\ntasks:\n  null:\n    direction: push\n    transfer_mode: copy\n    path: /srv/a\n    credential: d\n    folder: /b\n";
    const withWarning = nullKey.replace("  d:\n    type: local\n", "  d:\n    type: local\n  s:\n    type: s3\n    secret_access_key: hunter2-literal\n");
    expect((await load(nullKey)).config === null).toBe((await load(withWarning)).config === null);
    const loneCr = await load("version: 1\rcredentials: {}\rtasks: {}\r");
    expect(loneCr.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("carriage return alone")]);
  });

  it("a web token that is too short is called short, not empty, and is not quoted", async () => {
    const result = await load("version: 1\nsettings:\n  web:\n    token: ${SHORT_TOKEN}\n", "cloudsync.yaml", { SHORT_TOKEN: "fifteen-chars15" });
    expect(result.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("must be at least 16 characters long")]);
    expect(JSON.stringify(result.diagnostics)).not.toContain("fifteen-chars15");
  });

  it("refuses control characters and line separators in every field that reaches a unit or a manifest", async () => {
    const task = (field: string, value: string) =>
      `version: 1\nsettings:\n  state_dir: ${field === "state_dir" ? JSON.stringify(value) : ".cloudsync"}\ncredentials:\n  d:\n    type: local\ntasks:\n  t:\n    description: ${field === "description" ? JSON.stringify(value) : "x"}\n    direction: push\n    transfer_mode: copy\n    path: ${field === "path" ? JSON.stringify(value) : "/srv/a"}\n    credential: d\n    folder: /backup\n`;
    for (const [field, value] of [
      ["description", "nightly\u0000ExecStartPre=/bin/evil"],
      ["description", "two\nlines"],
      ["state_dir", "/var/lib/cs\nExecStartPre=/bin/evil"],
      ["path", "/srv/a\u2028b"],
      ["path", "/srv/a\u2029b"],
      ["path", "/srv/a\u0085b"],
    ]) {
      const result = await load(task(field!, value!));
      expect(result.diagnostics.map((d) => d.message), `${field} ${JSON.stringify(value)}`).toContainEqual(expect.stringContaining(`"${field}" contains a control character or line separator`));
      expect(result.config).toBeNull();
    }
  });

  it("warns about --ignore-errors on a sync, which then deletes after failing to read the source", async () => {
    const file = (mode: string) => `version: 1
credentials:
  d:
    type: local
tasks:
  t:
    direction: push
    transfer_mode: ${mode}
    path: /mnt/a
    credential: d
    folder: /mnt/b
    rclone_args: ["--checksum", "--ignore-errors"]
`;
    const sync = await load(file("sync"));
    expect(sync.diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^cloudsync\.yaml:12:33: warning: --ignore-errors makes a sync delete at the destination even when reading the source failed/)]);
    expect(sync.config).not.toBeNull();
    expect((await load(file("copy"))).diagnostics).toEqual([]);
  });

  it("warns when the rclone the file names is not on this machine, at the setting, and leaves the default to the runs", async () => {
    const file = (rclone: string) => `version: 1\nsettings:\n  rclone: ${rclone}\n`;
    const asked: string[] = [];
    const environment = { env: {}, readFile: () => "", findsProgram: (command: string) => (asked.push(command), command === "/usr/bin/rclone") };
    const missing = await loadConfig("cloudsync.yaml", file("/opt/rclone/rclone"), environment);
    expect(missing.diagnostics.map(formatDiagnostic)).toEqual(['cloudsync.yaml:3:11: warning: "/opt/rclone/rclone" is not a program on this machine (no executable file there): every run would fail until it is installed or the setting is corrected']);
    expect(missing.config).not.toBeNull();
    // Placed by the exact parser alike (a flow mapping is outside the quick path's subset).
    expect((await loadConfig("cloudsync.yaml", "version: 1\nsettings: { rclone: rclone-beta }\n", environment)).diagnostics.map(formatDiagnostic)).toEqual([expect.stringMatching(/^cloudsync\.yaml:2:21: warning: "rclone-beta" is not a program on this machine \(not found on PATH\)/)]);
    expect((await loadConfig("cloudsync.yaml", file("/usr/bin/rclone"), environment)).diagnostics).toEqual([]);
    asked.length = 0;
    expect((await loadConfig("cloudsync.yaml", "version: 1\n", environment)).diagnostics).toEqual([]);
    expect(asked).toEqual([]);
  });

  it("warns at a task's path that is not a directory on this machine: a push fails; a pull makes its own, unless its parent is missing too", async () => {
    const kinds: Record<string, "directory" | "other" | "missing"> = { "/srv/here": "directory", "/srv/file": "other", "/srv": "directory" };
    const environment = { env: {}, readFile: () => "", localPathKind: (path: string) => kinds[path] ?? "missing" };
    const task = (name: string, direction: string, path: string) => `  ${name}:\n    direction: ${direction}\n    transfer_mode: copy\n    path: ${path}\n    credential: disk\n    folder: /backup/${name}\n`;
    const text = `version: 1\ncredentials:\n  disk:\n    type: local\ntasks:\n${task("a", "push", "/srv/here")}${task("b", "push", "/srv/gone")}${task("c", "pull", "/srv/new")}${task("d", "push", "/srv/file")}${task("e", "pull", "/mnt/usb/in")}`;
    const result = await loadConfig("cloudsync.yaml", text, environment);
    expect(result.config).not.toBeNull();
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      'cloudsync.yaml:15:11: warning: /srv/gone does not exist on this machine: task "b" fails until it does (a pre_script may mount it)',
      'cloudsync.yaml:27:11: warning: /srv/file is not a directory on this machine: task "d" fails until it is',
      'cloudsync.yaml:33:11: warning: neither /mnt/usb/in nor /mnt/usb exists on this machine: the first run of task "e" would make both (is a disk not mounted?)',
    ]);
  });

  it("reads ${credential:NAME} from $CREDENTIALS_DIRECTORY, else from systemd's credential stores", async () => {
    const files: Record<string, string> = { "/run/credentials/x.service/s3": "from-unit\n", "/etc/credstore/s3": "from-store\n" };
    const readFile = (path: string) => {
      if (path in files) return files[path]!;
      throw new Error("no such file");
    };
    const text = "version: 1\ncredentials:\n  s:\n    type: s3\n    secret_access_key: ${credential:s3}\n";
    const underUnit = await loadConfig("cloudsync.yaml", text, { env: { CREDENTIALS_DIRECTORY: "/run/credentials/x.service" }, readFile });
    expect(underUnit.config?.credentials.s?.options.secret_access_key).toBe("from-unit");
    expect(underUnit.referencedCredentials).toEqual(["s3"]);
    expect(underUnit.referencedFiles).toEqual(["/run/credentials/x.service/s3"]);
    const fromStore = await loadConfig("cloudsync.yaml", text, { env: {}, readFile });
    expect(fromStore.config?.credentials.s?.options.secret_access_key).toBe("from-store");
    const missing = await loadConfig("cloudsync.yaml", text.replace("s3}", "other}"), { env: {}, readFile });
    expect(missing.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^cloudsync\.yaml:5:24: error: cannot read systemd credential other: \$CREDENTIALS_DIRECTORY is not set .*\/etc\/credstore\/other: no such file; \/run\/credstore\/other: no such file/),
    ]);
    const bad = await loadConfig("cloudsync.yaml", text.replace("s3}", "../x}"), { env: {}, readFile });
    expect(bad.diagnostics[0]?.message).toMatch(/is not a systemd credential's name/);
  });

  it("shows a referenced value as written where it stands whole, once, however often it is used", async () => {
    const stores = Array.from({ length: 5 }, (_, i) => `  s${i}:\n    type: s3\n    access_key_id: \${SHORT:-key}\n`).join("");
    const result = await load(`version: 1\ncredentials:\n${stores}  plain:\n    type: s3\n    secret_access_key: hunter2\n    chunk_size: \${SHORT:-key}\n`);
    const messages = result.diagnostics.map((d) => d.message);
    // "key" came from a reference, but the key name only contains it; the bad value is shown as its reference.
    expect(messages.find((m) => m.includes("plain text"))).toMatch(/^"secret_access_key" is written/);
    expect(messages.filter((m) => m.includes("key") && !m.includes("plain text")).join("\n")).toContain('"${SHORT:-key}"');
    expect(messages.join("\n")).not.toContain("${SHORT:-${SHORT");
  });

  it("lists the files that ${file:…} read", async () => {
    const withFile = await load(`version: 1\ncredentials:\n  s:\n    type: s3\n    secret_access_key: \${file:/etc/hostname}\n`);
    expect(withFile.referencedFiles).toEqual(["/etc/hostname"]);
  });

  it("treats __proto__ as an ordinary (unknown) key", async () => {
    const proto = await load("version: 1\n__proto__: {polluted: true}\n");
    expect(proto.diagnostics.map((d) => d.message)).toEqual(['unknown key "__proto__" in the top level']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("reports the same problem in two places twice, each where it is", async () => {
    const twice = await load("version: 1\ncredentials:\n  photos: false\ntasks:\n  photos: false\n");
    expect(twice.diagnostics.map(formatDiagnostic)).toEqual(['cloudsync.yaml:3:11: error: "photos" must be a mapping', 'cloudsync.yaml:5:11: error: "photos" must be a mapping']);
  });

  it("does not support YAML merge keys, and says where", async () => {
    const merge = await load("version: 1\nsettings:\n  <<: {timezone: UTC}\n");
    expect(merge.diagnostics.map(formatDiagnostic)).toEqual(['cloudsync.yaml:3:3: error: unknown key "<<" in settings']);
  });
});

describe("peekStateDir", () => {
  it.each([
    ["version: 1\nsettings:\n  state_dir: ../state\n", "../state"],
    ["version: 1\nsettings:\n  state_dir: s\ntasks:\n  t: {transfer_mode: teleport}\n", "s"],
    ["version: 1\n", null],
    ["version: 1\nsettings: {timezone: UTC}\n", null],
    ["version: 1\nsettings:\n  state_dir: ${STATE}\n", undefined],
    ["version: 1\nsettings: [a]\n", undefined],
    ["version: 1\nsettings:\n  state_dir: 5\n", undefined],
    ["{ not yaml", undefined],
  ])("%j → %j", (text, expected) => {
    expect(peekStateDir(text)).toBe(expected);
  });
});

describe("safety rules at validate", () => {
  const base = (tasks: string, credentials = "  disk:\n    type: local\n  nas:\n    type: sftp\n    host: 127.0.0.1\n") => `version: 1\ncredentials:\n${credentials}tasks:\n${tasks}`;
  const messages = async (text: string, env: Record<string, string> = TEST_ENV) =>
    (await load(text, "cloudsync.yaml", env)).diagnostics.map((d) => `${d.severity}: ${d.message}`);

  it("a ${DIR}/ that resolves to / is refused like a literal /", async () => {
    const text = base("  t:\n    direction: pull\n    transfer_mode: sync\n    path: ${DIR}/\n    credential: nas\n");
    expect(await messages(text, { DIR: "" })).toEqual([expect.stringMatching(/^error: "path" is "\/", the root directory/)]);
    expect(await messages(text, { DIR: "/mnt/restore" })).toEqual([]);
  });

  it("warns about tasks that write into the same or nested places", async () => {
    const task = (name: string, path: string) => `  ${name}:\n    direction: pull\n    transfer_mode: sync\n    path: ${path}\n    credential: nas\n`;
    const result = await load(base(task("a", "/mnt/r") + task("b", "/mnt/r/") + task("c", "/mnt/r/sub") + task("d", "/mnt/other")));
    expect(result.config).not.toBeNull();
    expect(result.diagnostics.map((d) => `${d.line}:${d.column}: ${d.severity}: ${d.message}`)).toEqual([
      '14:3: warning: task "b" writes into the same place as task "a"; a sync of either deletes what the other wrote',
      '19:3: warning: task "c" writes into a place inside the destination of task "a"; a sync of either deletes what the other wrote',
    ]);
  });

  it("warns about max_delete where it has no effect, and patterns with spaces", async () => {
    const text = base('  t:\n    direction: push\n    transfer_mode: copy\n    path: /mnt/t\n    credential: nas\n    max_delete: 5\n    exclude: [" *.tmp"]\n');
    expect(await messages(text)).toEqual([
      'warning: "max_delete" limits what a sync deletes at the destination; with transfer_mode copy it has no effect',
      'warning: "exclude[0]" " *.tmp" starts or ends with a space, which rclone drops (it reads "*.tmp"); remove it to avoid surprises',
    ]);
  });

  it("accepts max_delete as a count or a share, and off in any case in bwlimit", async () => {
    const text = base('  t:\n    direction: push\n    transfer_mode: sync\n    path: /mnt/t\n    credential: nas\n    folder: t\n    max_delete: "12.5%"\n    bwlimit: "08:00,OFF 12:00,1M:Off"\n  u:\n    direction: push\n    transfer_mode: sync\n    path: /mnt/u\n    credential: nas\n    folder: u\n    max_delete: 0\n    allow_empty_source: true\n    bwlimit: Off\n');
    const result = await load(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.config!.tasks.t).toMatchObject({ max_delete: "12.5%", allow_empty_source: false, bwlimit: "08:00,off 12:00,1M:off" });
    expect(result.config!.tasks.u).toMatchObject({ max_delete: 0, allow_empty_source: true, bwlimit: null });
  });
});
