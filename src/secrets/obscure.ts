import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

// rclone's fixed key for "obscuring" passwords (fs/config/obscure). It hides a
// value from a glance, not from anyone who has rclone; rclone requires it for
// options marked as passwords.
const KEY = Buffer.from("9c935b48730a554d6bfd7c63c886a92bd390198eb8128afbf4de162b8b95f638", "hex");

/** The value as `rclone obscure` would print it: AES-256-CTR under rclone's key, IV first, unpadded base64url. */
export function obscure(plaintext: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv("aes-256-ctr", KEY, iv);
  return Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64url");
}

/** The plaintext of an obscured value (`rclone reveal`), or null if it is not one. */
export function reveal(obscured: string): string | null {
  const bytes = Buffer.from(obscured, "base64url");
  if (bytes.length < 16 || bytes.toString("base64url") !== obscured) return null;
  const decipher = createDecipheriv("aes-256-ctr", KEY, bytes.subarray(0, 16));
  return Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString("utf8");
}
