import { describe, expect, it } from "vitest";
import { isSensitiveOption, urlPassword } from "../../src/model/backends.js";
import { obscure } from "../../src/secrets/obscure.js";
import { REDACTED, redactor, secretsOf, withoutSecrets } from "../../src/secrets/secrets.js";
import type { TaskSpec } from "../../src/model/config.js";

const PEM = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACDi4fo4Nlh+line-three-of-the-key\n-----END OPENSSH PRIVATE KEY-----";

describe("what is secret", () => {
  it("rclone's password options, options named for a secret, headers, and URLs with a password", () => {
    expect(isSensitiveOption("sftp", "pass")).toBe(true);
    expect(isSensitiveOption("sftp", "key_pem")).toBe(true);
    expect(isSensitiveOption("s3", "secret_access_key")).toBe(true);
    expect(isSensitiveOption("s3", "session_token")).toBe(true);
    expect(isSensitiveOption("webdav", "bearer_token")).toBe(true);
    expect(isSensitiveOption("webdav", "headers")).toBe(true);
    expect(isSensitiveOption("http", "headers")).toBe(true);
    expect(isSensitiveOption("webdav", "url", "https://me:hunter22@dav.example.com/x")).toBe(true);
    expect(isSensitiveOption("webdav", "url", "https://dav.example.com/x")).toBe(false);
    expect(isSensitiveOption("sftp", "host", "example.com")).toBe(false);
    expect(isSensitiveOption("sftp", "key_file", "/root/.ssh/id")).toBe(false);
    expect(urlPassword("ftp://user:p%40ss@host/")).toBe("p%40ss");
    expect(urlPassword("https://user@host/")).toBeUndefined();
  });

  it("every credential's and every task's secrets, with a header's values and a URL's password on their own", () => {
    const encrypted = { encryption: { password: "crypt-password", salt: "crypt-salt", filename_encryption: false } } as TaskSpec;
    const secrets = secretsOf({
      credentials: {
        a: { type: "s3", options: { access_key_id: "AKIAEXAMPLE", secret_access_key: "s3-secret", region: "eu" } },
        b: { type: "webdav", options: { url: "https://me:dav%21pw@dav.example.com", headers: "Authorization,Bearer tok-123,X-Api,apikey-9" } },
        c: { type: "sftp", options: { host: "h", key_pem: PEM } },
      },
      tasks: { t: encrypted, plain: { encryption: null } as TaskSpec },
    });
    expect(secrets).toEqual(
      expect.arrayContaining(["AKIAEXAMPLE", "s3-secret", "https://me:dav%21pw@dav.example.com", "dav%21pw", "dav!pw", "Bearer tok-123", "apikey-9", PEM, "crypt-password", "crypt-salt"]),
    );
    expect(secrets).not.toContain("eu");
    expect(secrets).not.toContain("h");
  });
});

describe("the redactor", () => {
  const redact = redactor(["s3-secret", "crypt-salt", PEM, "salt"]);

  it("replaces every secret, and each line of a multi-line one", () => {
    expect(redact("key s3-secret and s3-secret")).toBe(`key ${REDACTED} and ${REDACTED}`);
    expect(redact("b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW")).toBe(REDACTED);
    expect(redact("  QyNTUxOQAAACDi4fo4Nlh+line-three-of-the-key")).toBe(`  ${REDACTED}`);
  });

  it("replaces an obscured form of a secret, whatever IV obscured it", () => {
    for (let i = 0; i < 5; i++) {
      const obscured = obscure("crypt-salt");
      expect(redact(`password2 = ${obscured};`)).toBe(`password2 = ${REDACTED};`);
    }
    const other = obscure("not-a-secret");
    expect(redact(other)).toBe(other);
  });

  it("leaves text without secrets as it is, and is a no-op without secrets", () => {
    expect(redact("nothing to see here: /mnt/tank/photos")).toBe("nothing to see here: /mnt/tank/photos");
    expect(redactor([])("s3-secret")).toBe("s3-secret");
    expect(redactor(["ab"])("ab")).toBe("ab");
  });
});

describe("environments without secrets", () => {
  it("drops variables that are a secret or contain a long one", () => {
    const env = { PATH: "/usr/bin", KEY: "s3-secret", CONF: "token=long-secret-value;x", SHORT: "my abc", HOME: "/root" };
    expect(withoutSecrets(env, ["s3-secret", "long-secret-value", "abc"])).toEqual({ PATH: "/usr/bin", SHORT: "my abc", HOME: "/root" });
  });
});

describe("a header's token", () => {
  it("is a secret on its own, so a variable that holds only the token is kept from scripts", async () => {
    const { channelSecrets, credentialSecrets } = await import("../../src/secrets/secrets.js");
    const channel = { type: "webhook" as const, events: [], url: "https://h.example.com/x", headers: { Authorization: "Bearer tok-1234567890" }, token: null, priority: null, smtp: null, user: null, password: null, from: null, to: [], command: null };
    expect(channelSecrets(channel)).toContain("tok-1234567890");
    expect(credentialSecrets({ type: "webdav", options: { url: "https://d.example.com", headers: "Authorization,Bearer dav-tok-98765" } })).toContain("dav-tok-98765");
    expect(withoutSecrets({ TOKEN: "tok-1234567890", OTHER: "x" }, channelSecrets(channel))).toEqual({ OTHER: "x" });
  });
});
