// A credential is checked against the backends of the rclone the file runs,
// not only against the table cloudsync was built with: a newer rclone (here
// the real one behind a wrapper that claims a newer version and adds an sftp
// option and a backend) is asked once, and its answer kept in the cache.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir } from "../helpers/cli.js";

let dir: ReturnType<typeof tempDir>;
let newer: string;
const cache = () => join(dir.path, "cache");
const calls = () => (existsSync(join(dir.path, "calls")) ? readFileSync(join(dir.path, "calls"), "utf8").trim().split("\n") : []);
const realRclone = execFileSync("sh", ["-c", "command -v rclone"], { encoding: "utf8" }).trim();

function wrapper(name: string, version: string): string {
  const path = join(dir.path, name);
  writeFileSync(
    path,
    `#!/bin/sh
echo "$*" >> ${join(dir.path, "calls")}
case "$1 $2" in
  "version "*) echo "rclone v${version}"; echo "- os/version: test"; exit 0 ;;
  "config providers") exec cat ${join(dir.path, "providers.json")} ;;
esac
exec ${realRclone} "$@"
`,
  );
  chmodSync(path, 0o755);
  return path;
}

function file(rclone: string | null, credential: string): string {
  const path = join(dir.path, "cloudsync.yaml");
  writeFileSync(
    path,
    `version: 1
${rclone ? `settings:\n  rclone: ${rclone}\n` : ""}credentials:
  nas:
${credential}
tasks: {}
`,
  );
  return path;
}

const validate = (path: string) => cli(["-c", path, "validate"], { cwd: dir.path, env: { XDG_CACHE_HOME: cache() } });

beforeAll(() => {
  dir = tempDir();
  const providers = JSON.parse(execFileSync(realRclone, ["config", "providers"], { encoding: "utf8", maxBuffer: 64 << 20 }));
  const option = (Name: string, extra: object = {}) => ({ Name, Help: `${Name}.`, Provider: "", Default: "", Required: false, IsPassword: false, Exclusive: false, Advanced: false, DefaultStr: "", Type: "string", ...extra });
  providers.find((b: { Name: string }) => b.Name === "sftp").Options.push(option("socks_proxy"));
  providers.push({
    Name: "protondrive",
    Prefix: "protondrive",
    Description: "Proton Drive",
    // Newer rclones call some options required and give them a default: those need not be written.
    Options: [option("username", { Required: true }), option("password", { IsPassword: true }), option("enable_caching", { Type: "bool" }), option("app_version", { Required: true, Default: "macos-drive@1.0.0", DefaultStr: "macos-drive@1.0.0" })],
  });
  writeFileSync(join(dir.path, "providers.json"), JSON.stringify(providers));
  newer = wrapper("rclone-newer", "1.68.2");
});
afterAll(() => dir.remove());

describe("backend options from the rclone in use", () => {
  it("accepts a newer rclone's options and backends, and still catches a typo in them", async () => {
    const sftp = file(newer, "    type: sftp\n    host: example.com\n    socks_proxy: proxy.example.com:1080");
    expect(await validate(sftp)).toMatchObject({ code: 0, stderr: "" });

    const proton = file(newer, "    type: protondrive\n    username: me\n    password: ${PROTON_PASSWORD}\n    enable_caching: true");
    expect((await cli(["-c", proton, "validate"], { cwd: dir.path, env: { XDG_CACHE_HOME: cache(), PROTON_PASSWORD: "pw" } })).code).toBe(0);

    const typo = file(newer, "    type: sftp\n    host: example.com\n    socks_proxi: proxy.example.com:1080");
    const result = await validate(typo);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cloudsync.yaml:8:5: error: unknown key "socks_proxi" in credential "nas"; did you mean "socks_proxy"?');

    const missing = file(newer, "    type: protondrive\n    enable_caching: yes-please");
    const problems = await validate(missing);
    expect(problems.stderr).toContain('credential "nas" is missing required key "username"');
    expect(problems.stderr).toContain('"enable_caching" must be true or false');
  });

  it("asks rclone once per binary and keeps the answer in the cache; a replaced binary is asked again", async () => {
    const before = calls().filter((c) => c === "config providers").length;
    const sftp = file(newer, "    type: sftp\n    host: example.com\n    socks_proxy: proxy.example.com:1080");
    expect((await validate(sftp)).code).toBe(0);
    expect(calls().filter((c) => c === "config providers")).toHaveLength(before);
    expect(readdirSync(join(cache(), "cloudsync")).some((f) => /^rclone-backends-[0-9a-f]{16}\.json$/.test(f))).toBe(true);

    utimesSync(newer, new Date(), new Date(Date.now() + 60_000));
    expect((await validate(sftp)).code).toBe(0);
    expect(calls().filter((c) => c === "config providers")).toHaveLength(before + 1);
  });

  it("checks against the bundled table with the rclone it was built from, and names that version when an option is unknown", async () => {
    const result = await validate(file(null, "    type: sftp\n    host: example.com\n    socks_proxy: proxy.example.com:1080"));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/unknown key "socks_proxy" in credential "nas" \(rclone 1\.60\.1\S*'s sftp backend has no such option\)/);
    const unknown = await validate(file(null, "    type: protondrive\n    username: me"));
    expect(unknown.stderr).toMatch(/unknown backend type "protondrive" \(rclone 1\.60\.1\S* has no such backend/);
  });

  it("falls back to the bundled table when the rclone cannot say (no rclone, or one that prints nonsense)", async () => {
    const broken = join(dir.path, "rclone-broken");
    writeFileSync(broken, "#!/bin/sh\necho garbage\nexit 3\n");
    chmodSync(broken, 0o755);
    for (const rclone of [broken, join(dir.path, "no-such-rclone")]) {
      expect((await validate(file(rclone, "    type: sftp\n    host: example.com"))).code).toBe(0);
      const result = await validate(file(rclone, "    type: sftp\n    host: example.com\n    socks_proxy: p:1"));
      expect(result.stderr).toContain('unknown key "socks_proxy"');
    }
  });

  it("schema --write (and init) write the schema for that rclone, so the editor accepts what validate accepts", async () => {
    const config = file(newer, "    type: protondrive\n    username: me");
    const written = await cli(["-c", config, "schema", "--write"], { cwd: dir.path, env: { XDG_CACHE_HOME: cache() } });
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain("rclone 1.68.2");
    const schema = JSON.parse(readFileSync(join(dir.path, "cloudsync.schema.json"), "utf8"));
    expect(schema["x-rclone-version"]).toBe("1.68.2");
    expect(schema.definitions.backend_protondrive.required).toEqual(["username"]);
    expect(Object.keys(schema.definitions.backend_sftp.properties)).toContain("socks_proxy");
    expect(JSON.stringify(schema.definitions.credential.properties.type)).toContain('"protondrive"');
    // A true/false option takes a reference in the editor too, as in the bundled schema.
    expect(JSON.stringify(schema.definitions.backend_protondrive.properties.enable_caching)).toContain("#/definitions/reference");
    expect((await validate(config)).code).toBe(0);

    // Printed, the same; with the bundled rclone, the bundled schema.
    expect(JSON.parse((await cli(["-c", config, "schema"], { cwd: dir.path, env: { XDG_CACHE_HOME: cache() } })).stdout)).toEqual(schema);
    const bundled = JSON.parse((await cli(["-c", file(null, "    type: local"), "schema"], { cwd: dir.path })).stdout);
    expect(bundled).toEqual(JSON.parse(readFileSync(new URL("../../schema/cloudsync.schema.json", import.meta.url), "utf8")));

    // init: the rclone on PATH is the newer one.
    const bin = join(dir.path, "bin");
    const fresh = join(dir.path, "fresh");
    mkdirSync(bin, { recursive: true });
    mkdirSync(fresh, { recursive: true });
    symlinkSync(newer, join(bin, "rclone"));
    const init = await cli(["init"], { cwd: fresh, env: { XDG_CACHE_HOME: cache(), PATH: `${bin}:${process.env.PATH}` } });
    expect(init.code, init.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(fresh, "cloudsync.schema.json"), "utf8"))["x-rclone-version"]).toBe("1.68.2");
  });
});
