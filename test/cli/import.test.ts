// import truenas with the built CLI: the file and the env file as a user
// gets them, and data TrueNAS's way of configuring rclone crypt encrypted,
// pulled back byte for byte by the imported task.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLI, testEnv } from "../helpers/cli.js";
import { cliInProcess as cli } from "../helpers/cli-in-process.js";
import { PASSWORD, USER, withSftpServer } from "../helpers/servers.js";
import { digests, readTree, sampleTree, writeTree } from "../helpers/tree.js";

const server = withSftpServer();
const fixtures = new URL("../import/fixtures/", import.meta.url).pathname;

/** Runs a shell line with the env file sourced as the README says. */
const sourced = (dir: string, envFile: string, command: string) =>
  execFileSync("sh", ["-c", `set -a; . ./${envFile}; set +a; ${command}`], { cwd: dir, env: testEnv(), encoding: "utf8" });

describe("cloudsync import truenas", () => {
  it("writes a file that validates once the env file (mode 0600) is sourced; values come back exact; nothing is overwritten", async () => {
    const dir = join(server.base, "import-validate");
    mkdirSync(dir, { recursive: true });
    const result = await cli(["import", "truenas", join(fixtures, "tasks-24.10.json"), "--credentials", join(fixtures, "credentials-24.10.json"), "--out", "cloudsync.yaml", "--env-out", "secrets.env"], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/warning: redacted-s3: REDACTED_S3_SECRET_ACCESS_KEY: TrueNAS gave "\*\*\*\*\*\*\*\*"/);
    expect(statSync(join(dir, "secrets.env")).mode & 0o777).toBe(0o600);
    const text = readFileSync(join(dir, "cloudsync.yaml"), "utf8");
    expect(text).not.toContain("s3-secret-old-shape-value");
    expect(sourced(dir, "secrets.env", `node ${CLI} validate`)).toMatch(/cloudsync\.yaml is valid: 18 credentials, 19 tasks\./);
    // A value with quotes, a dollar and a newline is read back exactly by a POSIX shell.
    const values = JSON.parse(sourced(dir, "secrets.env", `node -e 'console.log(JSON.stringify([process.env.DOCUMENTS_B2_ENCRYPTED_ENCRYPTION_PASSWORD, process.env.DOCUMENTS_B2_ENCRYPTED_ENCRYPTION_SALT]))'`));
    expect(values).toEqual(["crypt pass with 'quotes' and $dollars", "salty\nnewline"]);
    // docker's and kubectl's env files cannot carry the salt's line break: refused, naming it, nothing written.
    const docker = await cli(["import", "truenas", join(fixtures, "tasks-24.10.json"), "--credentials", join(fixtures, "credentials-24.10.json"), "--out", "docker.yaml", "--env-out", "docker.env", "--env-format", "docker"], { cwd: dir });
    expect(docker.code).toBe(1);
    expect(docker.stderr).toContain("the value of DOCUMENTS_B2_ENCRYPTED_ENCRYPTION_SALT holds a line break, which --env-format docker cannot carry");
    expect(existsSync(join(dir, "docker.env")) || existsSync(join(dir, "docker.yaml"))).toBe(false);
    const again = await cli(["import", "truenas", join(fixtures, "tasks-24.10.json"), "--out", "cloudsync.yaml"], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists; import never overwrites a file");
    const garbage = join(dir, "not-json.json");
    writeFileSync(garbage, "<html>");
    expect((await cli(["import", "truenas", garbage], { cwd: dir })).stderr).toMatch(/is not JSON: give the output of `midclt call cloudsync\.query`/);
  }, 30_000);

  it("reads back data TrueNAS encrypted (crypt with password, password2 from the salt, standard file names)", async () => {
    const base = join(server.base, "import-crypt");
    const plain = join(base, "plain");
    const files = sampleTree();
    writeTree(plain, files);
    const env = testEnv({ RCLONE_CONFIG: "/dev/null" });
    const obscure = (value: string) => execFileSync("rclone", ["obscure", value], { env, encoding: "utf8" }).trim();
    const password = "truenas crypt password";
    const salt = "truenas salt";
    // The config TrueNAS writes for an encrypted task (plugins/cloud_sync/rclone.py).
    const truenas = {
      ...env,
      RCLONE_CONFIG_REMOTE_TYPE: "sftp",
      RCLONE_CONFIG_REMOTE_HOST: "127.0.0.1",
      RCLONE_CONFIG_REMOTE_PORT: String(server.sftp.credential.port),
      RCLONE_CONFIG_REMOTE_USER: USER,
      RCLONE_CONFIG_REMOTE_PASS: obscure(PASSWORD),
      RCLONE_CONFIG_ENCRYPTED_TYPE: "crypt",
      RCLONE_CONFIG_ENCRYPTED_REMOTE: "remote:truenas-vault",
      RCLONE_CONFIG_ENCRYPTED_FILENAME_ENCRYPTION: "standard",
      RCLONE_CONFIG_ENCRYPTED_PASSWORD: obscure(password),
      RCLONE_CONFIG_ENCRYPTED_PASSWORD2: obscure(salt),
    };
    execFileSync("rclone", ["copy", plain, "encrypted:"], { env: truenas });
    const stored = readTree(join(server.sftp.root!, "truenas-vault"));
    expect(Object.keys(stored).some((name) => Object.keys(files).includes(name))).toBe(false);

    const restored = join(base, "restored");
    const tasks = [
      {
        id: 42,
        description: "Vault back from the NAS",
        direction: "PULL",
        transfer_mode: "COPY",
        path: restored,
        credentials: { id: 3, name: "NAS", provider: { type: "SFTP", host: "127.0.0.1", port: server.sftp.credential.port, user: USER, pass: PASSWORD, private_key: null } },
        attributes: { folder: "truenas-vault" },
        schedule: { minute: "0", hour: "3", dom: "*", month: "*", dow: "7" },
        encryption: true,
        filename_encryption: true,
        encryption_password: password,
        encryption_salt: salt,
        enabled: true,
        bwlimit: [],
        include: [],
        exclude: [],
        args: "",
        transfers: null,
        pre_script: "",
        post_script: "",
      },
    ];
    writeFileSync(join(base, "tasks.json"), JSON.stringify(tasks));
    expect((await cli(["import", "truenas", "tasks.json", "--out", "cloudsync.yaml", "--env-out", "secrets.env"], { cwd: base })).code).toBe(0);
    sourced(base, "secrets.env", `node ${CLI} apply --auto-approve -q`);
    const run = JSON.parse(sourced(base, "secrets.env", `node ${CLI} run vault-back-from-the-nas --json`));
    expect(run).toMatchObject({ state: "SUCCESS", files: Object.keys(files).length });
    expect(readTree(restored)).toEqual(digests(files));
  }, 60_000);
});
