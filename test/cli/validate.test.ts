import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STACK_TRACE } from "../helpers/cli.js";
import { cliInProcess as cli } from "../helpers/cli-in-process.js";
import { scratchDirectory } from "../helpers/scratch.js";

const DIAGNOSTIC_LINE = /^[^:]+:\d+:\d+: (error|warning): .+$/;
const dir = scratchDirectory();
const { file } = dir;

describe("cloudsync validate", () => {
  it("accepts a valid file: exit 0 and a summary", async () => {
    // The quick start's directories, as npm run example makes them (a missing path would be a warning).
    const demo = join(dir.path, "demo");
    mkdirSync(join(demo, "documents"), { recursive: true });
    mkdirSync(join(demo, "restored"), { recursive: true });
    const result = await cli(["-c", "examples/quickstart-local.yaml", "validate"], { env: { CLOUDSYNC_DEMO: demo } });
    expect(result).toMatchObject({ code: 0, stderr: "" });
    expect(result.stdout).toBe("examples/quickstart-local.yaml is valid: 1 credential, 2 tasks.\n");
  });

  it("reports every error as FILE:LINE:COLUMN, exits 1, and prints no stack trace", async () => {
    const name = file(
      "broken.yaml",
      "version: 1\ntasks:\n  a:\n    direction: sideways\n    transfer_mode: copy\n    path: rel\n    credential: none\n",
    );
    const result = await cli(["-c", name, "validate"], { cwd: dir.path });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toEqual([
      'broken.yaml:4:16: error: "direction" cannot be "sideways"; it must be one of: push, pull',
      'broken.yaml:6:11: error: "path" must be an absolute path, not "rel"',
      'broken.yaml:7:17: error: unknown credential "none" (no credentials are defined)',
      "broken.yaml: 3 errors; nothing was changed.",
    ]);
  });

  it("counts a text's length in characters, as JSON Schema does, not in UTF-16 units; with a byte-order mark or not", async () => {
    const task = (description: string) =>
      `version: 1\ncredentials:\n  disk: {type: local}\ntasks:\n  t:\n    description: "${description}"\n    direction: push\n    transfer_mode: copy\n    path: /srv\n    credential: disk\n    folder: /backup\n`;
    // 200 emoji are 400 UTF-16 units, and within the 200 characters a description may have.
    expect(await cli(["-c", file("emoji.yaml", `\uFEFF${task("😀".repeat(200))}`), "validate"], { cwd: dir.path })).toMatchObject({ code: 0, stderr: "" });
    const long = await cli(["-c", file("long.yaml", task("😀".repeat(201))), "validate"], { cwd: dir.path });
    expect(long.code).toBe(1);
    expect(long.stderr).toMatch(/^long\.yaml:6:18: error: .*200/);
    expect((await cli(["-c", file("latin1.yaml", Buffer.from("version: 1\n# caf\xe9\n", "latin1")), "validate"], { cwd: dir.path })).stderr).toMatch(/UTF-8/);
  });

  it("--json gives {valid, diagnostics} on stdout", async () => {
    const name = file("json.yaml", "version: 1\nsettings:\n  timezon: UTC\n");
    const result = await cli(["-c", name, "validate", "--json"], { cwd: dir.path });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      valid: false,
      diagnostics: [
        {
          severity: "error",
          message: 'unknown key "timezon" in settings; did you mean "timezone"?',
          file: "json.yaml",
          line: 3,
          column: 3,
          endLine: 3,
          endColumn: 10,
        },
      ],
    });
    mkdirSync(join(dir.path, "json-demo", "documents"), { recursive: true });
    const valid = await cli(["--json", "-c", "examples/quickstart-local.yaml", "validate"], { env: { CLOUDSYNC_DEMO: join(dir.path, "json-demo") } });
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout)).toEqual({ valid: true, diagnostics: [] });
  });

  it("reads $CLOUDSYNC_CONFIG, else ./cloudsync.yaml", async () => {
    file("cloudsync.yaml", "version: 1\n");
    expect((await cli(["validate"], { cwd: dir.path })).stdout).toContain("cloudsync.yaml is valid");
    const viaEnv = await cli(["validate"], { cwd: dir.path, env: { CLOUDSYNC_CONFIG: "json.yaml" } });
    expect(viaEnv.code).toBe(1);
    expect(viaEnv.stderr).toContain("json.yaml:3:3: error:");
  });

  it.each([
    ["a missing file", () => "does-not-exist.yaml", "does-not-exist.yaml:1:1: error: no such file"],
    ["a directory", () => (mkdirSync(join(dir.path, "adir"), { recursive: true }), "adir"), "adir:1:1: error: is a directory"],
    ["a binary file", () => file("bin.yaml", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2])), "bin.yaml:1:1: error: is not a text file"],
    ["invalid UTF-8", () => file("latin1.yaml", Buffer.from("version: 1\n# caf\xe9\n", "latin1")), "latin1.yaml:1:1: error: is not valid UTF-8"],
    ["an empty file", () => file("empty.yaml", ""), "empty.yaml:1:1: error: the file is empty"],
    ["a list", () => file("list.yaml", "- a\n- b\n"), "list.yaml:1:1: error: the top level must be a mapping"],
  ])("turns %s into a diagnostic and exit 1", async (_, make, expected) => {
    const result = await cli(["-c", make(), "validate"], { cwd: dir.path });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(expected);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  it("never shows a value that came from ${…}", async () => {
    const name = file("secret.yaml", "version: 1\ncredentials:\n  s:\n    type: s3\n    chunk_size: ${TOKEN}\n    region: ${TOKEN}x\n    endpoint: ${TOKEN\n");
    const result = await cli(["-c", name, "validate"], { cwd: dir.path, env: { TOKEN: "hunter2-secret" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('"chunk_size" must be a size such as 64M, 1G or off, not "${TOKEN}"');
    expect(result.stderr + result.stdout).not.toContain("hunter2");
  });

  it("usage mistakes with --json are one JSON object on stdout, exit 1", async () => {
    for (const args of [["--json", "bogus"], ["run", "--json"], ["--json", "plan", "--no-such-option"]]) {
      const result = await cli(args);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout)).toEqual({ error: { message: expect.any(String), hint: expect.any(String) }, diagnostics: null });
    }
    expect(JSON.parse((await cli(["--json", "valdate"])).stdout).error).toEqual({ message: "unknown command 'valdate'", hint: "Did you mean validate?" });
  });

  it("any bytes end in diagnostics, never a stack trace", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (bytes) => {
        const name = file("fuzz.yaml", Buffer.from(bytes));
        const result = await cli(["-c", name, "validate"], { cwd: dir.path });
        expect([0, 1]).toContain(result.code);
        expect(result.stderr).not.toMatch(STACK_TRACE);
        const lines = result.stderr.trimEnd().split("\n").filter(Boolean);
        for (const line of lines.slice(0, -1)) expect(line).toMatch(DIAGNOSTIC_LINE);
      }),
      { numRuns: 15 },
    );
  });
});

describe("cloudsync init, schema, --version, --help", () => {
  it("init writes a starter that validates, and never overwrites", async () => {
    const sub = join(dir.path, "init");
    mkdirSync(sub);
    const first = await cli(["init"], { cwd: sub });
    expect(first.code).toBe(0);
    // The starter's example path is not on this machine: valid, with a warning at it.
    const validated = await cli(["validate"], { cwd: sub });
    expect(validated.code).toBe(0);
    expect(validated.stderr).toMatch(/^cloudsync\.yaml:\d+:\d+: warning: \/srv\/documents does not exist on this machine: task "documents" fails until it does/m);
    // .gitignore keeps the state directory (applied secrets, records, logs) out of git.
    expect(readFileSync(join(sub, ".gitignore"), "utf8")).toMatch(/^\.cloudsync\/$/m);
    writeFileSync(join(sub, "cloudsync.yaml"), "version: 1 # mine\n");
    const second = await cli(["init"], { cwd: sub });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("cloudsync: error: cloudsync.yaml already exists");
    expect(readFileSync(join(sub, "cloudsync.yaml"), "utf8")).toBe("version: 1 # mine\n");
  });

  it("init adds the state directory to an existing .gitignore once, keeping every line", async () => {
    const sub = join(dir.path, "init-ignore");
    mkdirSync(sub);
    writeFileSync(join(sub, ".gitignore"), "node_modules/\n*.log");
    expect((await cli(["init"], { cwd: sub })).code).toBe(0);
    const ignore = readFileSync(join(sub, ".gitignore"), "utf8");
    expect(ignore.startsWith("node_modules/\n*.log\n")).toBe(true);
    expect(ignore.match(/^\.cloudsync\/$/gm)).toHaveLength(1);
    const already = join(dir.path, "init-ignored");
    mkdirSync(already);
    writeFileSync(join(already, ".gitignore"), "/.cloudsync\n");
    expect((await cli(["init"], { cwd: already })).stdout).not.toContain(".gitignore");
    expect(readFileSync(join(already, ".gitignore"), "utf8")).toBe("/.cloudsync\n");
  });

  it("schema prints the JSON Schema", async () => {
    const result = await cli(["schema"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(JSON.parse(readFileSync("schema/cloudsync.schema.json", "utf8")));
  });

  it("--version and --help", async () => {
    const version = await cli(["--version"]);
    expect(version.code).toBe(0);
    const [first, second] = version.stdout.split("\n");
    expect(first).toBe(`cloudsync ${JSON.parse(readFileSync("package.json", "utf8")).version}`);
    expect(second).toMatch(/^rclone v\S+ \(\/\S*rclone\)$/);
    // settings.rclone names one that is not there.
    writeFileSync(join(dir.path, "missing-rclone.yaml"), "version: 1\nsettings:\n  rclone: /opt/nowhere/rclone\n");
    const missing = await cli(["--version", "-c", "missing-rclone.yaml"], { cwd: dir.path });
    expect(missing.stdout).toMatch(/^rclone not found \(looked for \/opt\/nowhere\/rclone; install it/m);
    const help = await cli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Examples:");
  });

  it("an unknown command or option exits 1 with a suggestion", async () => {
    const result = await cli(["valdate"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("(Did you mean validate?)");
    expect((await cli(["validate", "--bogus"])).code).toBe(1);
  });
});

describe("hostile files are cheap", () => {
  const aliasBomb = () => {
    const lines = ["version: 1", "a0: &a0 [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]`);
    return `${lines.join("\n")}\ntasks: *a9\n`;
  };

  it("a 500-byte alias bomb is refused at once by validate, and status and run do not expand it", async () => {
    const name = file("bomb.yaml", aliasBomb());
    const validate = await cli(["-c", name, "validate"], { cwd: dir.path });
    expect(validate.code).toBe(1);
    expect(validate.stderr).toContain("bomb.yaml:1:1: error: the file expands to more than 200000 values");
    const status = await cli(["-c", name, "--state-dir", "bomb-state", "status"], { cwd: dir.path });
    expect(status.code).toBe(0);
    const run = await cli(["-c", name, "--state-dir", "bomb-state", "run", "x"], { cwd: dir.path });
    expect(run.stderr).toContain('task "x" is not applied');
  });

  it("nesting thousands deep is a located error, not a crash", async () => {
    const name = file("deep.yaml", `version: 1\ntasks: ${"[".repeat(5000)}${"]".repeat(5000)}\n`);
    const result = await cli(["-c", name, "validate"], { cwd: dir.path });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^deep\.yaml:2:\d+: error: the file nests too deeply to be read/m);
    expect(result.stderr).not.toMatch(STACK_TRACE);
  });

  it("block mappings and sequences nested thousands deep are a located error too", async () => {
    const mappings = Array.from({ length: 5_000 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n");
    const sequences = Array.from({ length: 2_000 }, (_, i) => `${" ".repeat(2 * i)}-`).join("\n");
    for (const [name, text] of [["deep-mappings.yaml", mappings], ["deep-sequences.yaml", `version: 1\ntasks:\n${sequences}\n`]]) {
      const result = await cli(["-c", file(name!, text!), "validate"], { cwd: dir.path });
      expect(result.code, name).toBe(1);
      expect(result.stderr).toMatch(/^deep-[a-z]+\.yaml:\d+:\d+: error: the file nests too deeply to be read/m);
      expect(result.stderr).not.toMatch(/internal error|call stack/);
      expect(result.stderr).not.toMatch(STACK_TRACE);
    }
  });

  it("${file:…} reads regular files of at most 1 MiB: not /dev/zero, not a FIFO, not a directory", async () => {
    const fifo = join(dir.path, "fifo");
    execFileSync("mkfifo", [fifo]);
    writeFileSync(join(dir.path, "huge"), Buffer.alloc(2 * 1024 * 1024, 65));
    writeFileSync(join(dir.path, "small"), "fine\n");
    const config = (path: string) => `version: 1\ncredentials:\n  c:\n    type: sftp\n    host: h\n    pass: \${file:${path}}\n`;
    for (const [path, reason] of [
      ["/dev/zero", "it is not a regular file"],
      [fifo, "it is not a regular file"],
      [dir.path, "it is not a regular file"],
      [join(dir.path, "huge"), "it is larger than 1 MiB"],
      [join(dir.path, "missing"), "no such file or directory"],
    ]) {
      const result = await cli(["-c", file("ref.yaml", config(path!)), "validate"], { cwd: dir.path });
      expect(result.code, path).toBe(1);
      expect(result.stderr).toContain(`ref.yaml:6:11: error: cannot read ${path} for \${file:…}: ${reason}`);
    }
    expect((await cli(["-c", file("ref.yaml", config(join(dir.path, "small"))), "validate"], { cwd: dir.path })).code).toBe(0);
  });
});
