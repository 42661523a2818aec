// The file an import writes the secrets' values to, in the format the user
// reads it with: a POSIX shell (`set -a; . FILE`), or `docker --env-file` and
// `kubectl create secret generic --from-env-file`, which take everything after
// the first `=` literally, quotes included, and end a value at the line's end. Pure.
import { shellQuote } from "./shell-words.js";

export const ENV_FORMATS = ["shell", "docker"] as const;
export type EnvFormat = (typeof ENV_FORMATS)[number];

export class EnvFileError extends Error {}

/** A value docker and kubectl cannot carry on one line: a line break, or a carriage return (dropped at the line's end). */
function dockerValue(name: string, value: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new EnvFileError(
      `the value of ${name} holds a line break, which --env-format docker cannot carry (docker and kubectl read one line per variable): use --env-format shell, or keep that secret in a file read with \${file:…}`,
    );
  }
  return value;
}

const HEADERS: Record<EnvFormat, string> = {
  shell: "# The secrets of the imported cloudsync.yaml, for a POSIX shell: set -a; . THIS_FILE; set +a",
  docker: "# The secrets of the imported cloudsync.yaml, for docker run --env-file THIS_FILE or kubectl create secret generic cloudsync-env --from-env-file=THIS_FILE (values are read literally: no quotes)",
};

/** The env file's text: the values given, then an empty line to fill in for each placeholder. */
export function envFileText(values: Readonly<Record<string, string>>, placeholders: readonly string[], format: EnvFormat): string {
  const lines = [HEADERS[format], ...Object.entries(values).map(([name, value]) => `${name}=${format === "shell" ? shellQuote(value) : dockerValue(name, value)}`)];
  for (const name of placeholders) {
    // docker and kubectl have no comments after a value: the note stands on its own line.
    lines.push(...(format === "shell" ? [`${name}=''  # TrueNAS did not give it: fill it in`] : [`# TrueNAS did not give ${name}: fill it in`, `${name}=`]));
  }
  return `${lines.join("\n")}\n`;
}
