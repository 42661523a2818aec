// What went wrong talking to a remote, in one line a user can act on. Every
// message about a failed connection, login or listing is built here.

export type RemoteFailureKind = "login" | "unreachable" | "timeout" | "not-found" | "denied" | "tls" | "decryption" | "other";

export interface RemoteFailure {
  kind: RemoteFailureKind;
  message: string;
}

// rclone wraps the cause in layers of context; the first line of the innermost cause is the telling part.
const NOISE = [/^NewFs:\s*/, /^Failed to \w+( with \d+ errors: last error was)?:\s*/, /^error in ListJSON:\s*/, /^error listing:\s*/, /^Failed to create file system for "[^"]*":\s*/, /^Attempt \d+\/\d+ failed with \d+ errors and:\s*/];

function cleaned(line: string): string {
  let text = line.replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d (ERROR|NOTICE|INFO|CRITICAL) : [^:]*: /, "").replace(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d /, "");
  for (let changed = true; changed; ) {
    changed = false;
    for (const pattern of NOISE) {
      const next = text.replace(pattern, "");
      if (next !== text) [text, changed] = [next, true];
    }
  }
  return text.trim();
}

/**
 * Reads rclone's error lines (already redacted) and says why the remote could
 * not be used. `lines` are in the order rclone printed them.
 */
export function describeRemoteFailure(lines: readonly string[], decryptionFailed = false): RemoteFailure {
  if (decryptionFailed) {
    return { kind: "decryption", message: "the encryption password or salt is wrong: names here cannot be decrypted" };
  }
  const all = lines.join("\n");
  const detail = lines.map(cleaned).filter((l) => l !== "" && !/^status code: /.test(l)).at(-1) ?? "rclone failed without saying why";
  const endpoint = /dial tcp (?:\[?)([^\s\]]+?)\]?:? ?(?:connect|i\/o)/.exec(all)?.[1] ?? /(?:read|write) tcp \S+->(\S+?): i\/o/.exec(all)?.[1] ?? /lookup (\S+?)( on |:)/.exec(all)?.[1];
  const where = endpoint ? ` (${endpoint.replace(/:$/, "")})` : "";

  if (/unable to authenticate|permission denied \((publickey|password)|401 Unauthorized|InvalidAccessKeyId|SignatureDoesNotMatch|invalid_grant|AuthenticationFailed|bad_auth_token|unauthorized|InvalidAuthenticationInfo|AuthorizationHeaderMalformed/i.test(all)) {
    return { kind: "login", message: `wrong login: the server refused the user, password or key (${detail})` };
  }
  if (/connection refused/i.test(all)) return { kind: "unreachable", message: `host unreachable${where}: connection refused` };
  if (/no such host/i.test(all)) return { kind: "unreachable", message: `host unreachable: the name${where ? ` ${endpoint}` : ""} does not resolve` };
  if (/network is unreachable|no route to host/i.test(all)) return { kind: "unreachable", message: `host unreachable${where}: no route to it` };
  if (/i\/o timeout|context deadline exceeded|TLS handshake timeout|timeout awaiting|Client\.Timeout/i.test(all)) {
    return { kind: "timeout", message: `host unreachable${where}: no answer within the timeout` };
  }
  // rclone 1.60's S3 backend cannot combine AWS_CA_BUNDLE with its own HTTP transport.
  if (/LoadCustomCABundleError|unsupported transport/i.test(all)) {
    return { kind: "tls", message: "rclone cannot use the AWS_CA_BUNDLE set in the environment (a limit of rclone 1.60's S3 backend); unset it for cloudsync, or upgrade rclone" };
  }
  if (/x509:|certificate/i.test(all)) return { kind: "tls", message: `TLS certificate problem: ${detail}` };
  if (/NoSuchBucket|bucket (not found|does not exist)|ContainerNotFound/i.test(all)) return { kind: "not-found", message: "bucket missing: it does not exist on this remote" };
  if (/directory not found|object not found|file not found|404 Not Found|NoSuchKey/i.test(all)) return { kind: "not-found", message: "not found: no such bucket, folder or directory" };
  if (/AccessDenied|403 Forbidden|Forbidden|permission denied/i.test(all)) return { kind: "denied", message: `access denied: the login works but may not do this (${detail})` };
  return { kind: "other", message: detail };
}
