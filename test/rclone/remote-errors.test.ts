import { describe, expect, it } from "vitest";
import { describeRemoteFailure } from "../../src/rclone/remote-errors.js";

// Lines as rclone 1.60 printed them against real servers (see test/cli/remotes.test.ts).
const CASES: Array<[string, string[], string, RegExp]> = [
  [
    "sftp, wrong password",
    ['Failed to create file system for "cloudsync:": NewFs: couldn\'t connect SSH: ssh: handshake failed: ssh: unable to authenticate, attempted methods [none password], no supported methods remain'],
    "login",
    /^wrong login: the server refused the user, password or key \(couldn't connect SSH: ssh: handshake failed/,
  ],
  ["sftp, nothing listening", ['Failed to create file system for "cloudsync:": NewFs: couldn\'t connect SSH: dial tcp 127.0.0.1:20023: connect: connection refused'], "unreachable", /^host unreachable \(127\.0\.0\.1:20023\): connection refused$/],
  ["webdav, wrong password", ["error listing: couldn't list files: Unauthorized: 401 Unauthorized", "2026/11/24 18:34:00 Failed to lsjson with 2 errors: last error was: error in ListJSON: couldn't list files: Unauthorized: 401 Unauthorized"], "login", /^wrong login/],
  ["s3, unknown key", ["error listing: InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.", "\tstatus code: 403, request id: , host id: "], "login", /InvalidAccessKeyId/],
  ["s3, unknown host", ["error listing: RequestError: send request failed", 'caused by: Get "http://nosuchhost.invalid/": dial tcp: lookup nosuchhost.invalid on 10.255.255.53:53: no such host'], "unreachable", /^host unreachable: the name nosuchhost\.invalid does not resolve$/],
  ["a folder that is not there", ["error listing: directory not found", "2026/11/24 18:34:01 Failed to lsjson with 2 errors: last error was: error in ListJSON: directory not found"], "not-found", /^not found/],
  ["a bucket that is not there", ["NoSuchBucket: The specified bucket does not exist"], "not-found", /^bucket missing/],
  ["a host that accepts but never answers", ['Failed to create file system for "r:": NewFs: couldn\'t connect SSH: ssh: handshake failed: read tcp 127.0.0.1:50688->127.0.0.1:20031: i/o timeout'], "timeout", /^host unreachable \(127\.0\.0\.1:20031\): no answer within the timeout$/],
  ["a slow host", ['dial tcp 10.0.0.1:22: i/o timeout'], "timeout", /^host unreachable \(10\.0\.0\.1:22\): no answer within the timeout$/],
  ["AWS_CA_BUNDLE with rclone 1.60", ["error listing: LoadCustomCABundleError: unable to load custom CA bundle", "caused by: unsupported transport, *fshttp.Transport"], "tls", /AWS_CA_BUNDLE/],
  ["a permission problem", ["AccessDenied: Access Denied", "\tstatus code: 403"], "denied", /^access denied: the login works but may not do this \(AccessDenied: Access Denied\)$/],
  ["anything else", ["2026/11/24 18:34:01 Failed to mkdir: something odd happened"], "other", /^something odd happened$/],
];

describe("describeRemoteFailure", () => {
  it.each(CASES)("%s", (_name, lines, kind, message) => {
    const failure = describeRemoteFailure(lines);
    expect(failure.kind).toBe(kind);
    expect(failure.message).toMatch(message);
    expect(failure.message).not.toContain("\n");
  });

  it("a wrong crypt password wins over everything else", () => {
    expect(describeRemoteFailure([], true)).toEqual({ kind: "decryption", message: expect.stringMatching(/encryption password or salt is wrong/) });
  });
});
