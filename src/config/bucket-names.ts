// Each provider's rules for new bucket (container) names, checked before
// anything is sent, so a bad name gets a clear reason instead of a 400.

type Rule = (name: string) => string | null;

const length = (min: number, max: number): Rule => (name) => (name.length < min || name.length > max ? `must be ${min} to ${max} characters long` : null);

const RULES: Record<string, Rule[]> = {
  s3: [
    length(3, 63),
    (n) => (/^[a-z0-9.-]+$/.test(n) ? null : "may contain only lower-case letters, digits, dots and hyphens"),
    (n) => (/^[a-z0-9].*[a-z0-9]$/.test(n) ? null : "must begin and end with a letter or digit"),
    (n) => (n.includes("..") ? "must not contain two dots in a row" : null),
    (n) => (/^\d+\.\d+\.\d+\.\d+$/.test(n) ? "must not look like an IP address" : null),
    (n) => (n.startsWith("xn--") || n.endsWith("-s3alias") ? "must not begin with xn-- or end with -s3alias" : null),
  ],
  b2: [
    length(6, 50),
    (n) => (/^[A-Za-z0-9-]+$/.test(n) ? null : "may contain only letters, digits and hyphens"),
    (n) => (n.toLowerCase().startsWith("b2-") ? "must not begin with b2-" : null),
  ],
  "google cloud storage": [
    (n) => (n.length < 3 || n.length > (n.includes(".") ? 222 : 63) ? "must be 3 to 63 characters long (222 with dots)" : null),
    (n) => (/^[a-z0-9._-]+$/.test(n) ? null : "may contain only lower-case letters, digits, dots, hyphens and underscores"),
    (n) => (/^[a-z0-9].*[a-z0-9]$/.test(n) ? null : "must begin and end with a letter or digit"),
    (n) => (n.split(".").some((part) => part.length > 63) ? "each dot-separated part must be at most 63 characters" : null),
    (n) => (n.startsWith("goog") || n.includes("google") ? "must not begin with goog or contain google" : null),
  ],
  azureblob: [
    length(3, 63),
    (n) => (/^[a-z0-9-]+$/.test(n) ? null : "may contain only lower-case letters, digits and hyphens"),
    (n) => (/^[a-z0-9]/.test(n) && !n.endsWith("-") ? null : "must begin with a letter or digit and not end with a hyphen"),
    (n) => (n.includes("--") ? "must not contain two hyphens in a row" : null),
  ],
  swift: [length(1, 256), (n) => (n.includes("/") ? "must not contain a slash" : null)],
};

/** Why `name` cannot be a new bucket on this backend (rclone's canonical name), or null when it can. */
export function bucketNameProblem(backend: string, name: string): string | null {
  for (const rule of RULES[backend] ?? []) {
    const problem = rule(name);
    if (problem) return `bucket name "${name}" ${problem}`;
  }
  return null;
}
