// Shell completion. The scripts for bash, zsh and fish are small: at each TAB
// they ask `cloudsync __complete WORDS…` what may come next, so every shell
// completes the same way, from the CLI's own command tree, with task,
// credential and channel names read from the file in use (`-c FILE` on the
// line included) and file names where an option or argument takes a path.

/** What an argument or option value is, for completion. */
export type ValueKind = "task" | "credential" | "channel" | "lock" | "shell" | "file" | "dir" | "text";

export interface OptionShape {
  flags: string[];
  /** What its value is; null: it takes none. */
  value: ValueKind | null;
}

export interface CommandShape {
  name: string;
  options: OptionShape[];
  /** What each positional argument is, in order. */
  args: ValueKind[];
  subcommands: CommandShape[];
}

/** The names completion offers, read from the file in use (and what is applied). */
export interface CompletionNames {
  tasks: string[];
  credentials: string[];
  channels: string[];
}

/** What the shell should offer: these words, or its own completion of file or directory names. */
export type Completion = { kind: "words"; words: string[] } | { kind: "files" } | { kind: "dirs" };

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

const words = (list: readonly string[]): Completion => ({ kind: "words", words: [...list] });

/** The options a word may be, given the command so far; an option value's kind when the word is one. */
function optionFor(word: string, options: readonly OptionShape[]): OptionShape | undefined {
  const flag = word.includes("=") ? word.slice(0, word.indexOf("=")) : word;
  return options.find((o) => o.flags.includes(flag));
}

/** Where the line is: the command (and subcommand) named so far, the options known there, and how many arguments were given. */
function walk(root: CommandShape, before: readonly string[]) {
  let command = root;
  let options = [...root.options];
  let args = 0;
  let pendingValue: ValueKind | null = null;
  let afterDashes = false;
  for (const word of before) {
    if (pendingValue !== null) {
      pendingValue = null;
      continue;
    }
    if (!afterDashes && word === "--") {
      afterDashes = true;
      continue;
    }
    if (!afterDashes && word.startsWith("-") && word !== "-") {
      const option = optionFor(word, options);
      if (option?.value && !word.includes("=")) pendingValue = option.value;
      continue;
    }
    const sub = command.subcommands.find((s) => s.name === word);
    if (sub && args === 0) {
      command = sub;
      options = [...options, ...sub.options];
      continue;
    }
    args += 1;
  }
  return { command, options, args, pendingValue };
}

/** The --config (-c) and --state-dir a completion line names, so names come from that file and state. */
export function placesOnLine(line: readonly string[]): { config?: string; stateDir?: string } {
  const places: { config?: string; stateDir?: string } = {};
  for (let i = 0; i < line.length; i++) {
    const word = line[i]!;
    const value = word.includes("=") ? word.slice(word.indexOf("=") + 1) : line[i + 1];
    const flag = word.includes("=") ? word.slice(0, word.indexOf("=")) : word;
    if (value === undefined) continue;
    if (flag === "-c" || flag === "--config") places.config = value;
    else if (flag === "--state-dir") places.stateDir = value;
  }
  return places;
}

function valueCompletion(kind: ValueKind, names: CompletionNames): Completion {
  switch (kind) {
    case "task":
      return words(names.tasks);
    case "credential":
      return words(names.credentials);
    case "channel":
      return words(names.channels);
    case "lock":
      return words(["state", "watch", ...names.tasks]);
    case "shell":
      return words(SHELLS);
    case "file":
      return { kind: "files" };
    case "dir":
      return { kind: "dirs" };
    case "text":
      return words([]);
  }
}

/**
 * What may come at the last word of `line` (the words after `cloudsync`, the last one
 * being completed, possibly empty): a command, an option, an option's value or an argument.
 */
export function complete(root: CommandShape, line: readonly string[], names: CompletionNames): Completion {
  const current = line.at(-1) ?? "";
  const { command, options, args, pendingValue } = walk(root, line.slice(0, -1));
  if (pendingValue !== null) return valueCompletion(pendingValue, names);
  if (current.startsWith("-")) {
    const option = current.includes("=") ? optionFor(current, options) : undefined;
    if (option?.value) return valueCompletion(option.value, names);
    return words(options.flatMap((o) => o.flags).filter((f) => f.startsWith("--") || f.length === 2));
  }
  if (args === 0 && command.subcommands.length > 0) return words(command.subcommands.map((s) => s.name));
  const kind = command.args[args];
  return kind ? valueCompletion(kind, names) : words([]);
}

/** The answer `cloudsync __complete` prints: the kind on the first line, then the words. */
export function completionOutput(completion: Completion): string {
  return completion.kind === "words" ? ["words", ...completion.words].join("\n") + "\n" : `${completion.kind}\n`;
}

const BASH = `# cloudsync completion for bash: source it, or save it as /etc/bash_completion.d/cloudsync
_cloudsync() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" IFS=$'\\n'
  local -a answer
  answer=($(cloudsync __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  case "\${answer[0]}" in
    files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
    *) COMPREPLY=($(compgen -W "\${answer[*]:1}" -- "$cur")) ;;
  esac
}
complete -F _cloudsync cloudsync
`;

// Autoloaded from $fpath, the file's body runs at the first TAB: it completes then too (not only from the second).
const ZSH = `#compdef cloudsync
# cloudsync completion for zsh: save it as _cloudsync in a directory of your $fpath (or source it)
_cloudsync() {
  local -a answer
  answer=("\${(@f)$(cloudsync __complete "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  case $answer[1] in
    files) _files ;;
    dirs) _files -/ ;;
    *) (( $#answer > 1 )) && compadd -- "\${(@)answer[2,-1]}" ;;
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _cloudsync "$@"
else
  compdef _cloudsync cloudsync
fi
`;

const FISH = `# cloudsync completion for fish: save it as ~/.config/fish/completions/cloudsync.fish
function __cloudsync_complete
    set -l line (commandline -opc) (commandline -ct)
    set -l answer (cloudsync __complete $line[2..-1] 2>/dev/null)
    switch "$answer[1]"
        case files
            __fish_complete_path (commandline -ct)
        case dirs
            __fish_complete_directories (commandline -ct)
        case '*'
            printf '%s\\n' $answer[2..-1]
    end
end
complete -c cloudsync -f -a '(__cloudsync_complete)'
`;

export function completionScript(shell: Shell): string {
  return { bash: BASH, zsh: ZSH, fish: FISH }[shell];
}
