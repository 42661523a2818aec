// Shell completion scripts, made from the CLI's own command tree: commands,
// subcommands, options, and task names (from `cloudsync status --json`).

export interface CommandShape {
  name: string;
  options: string[];
  /** Whether its first argument is a task's name. */
  takesTask: boolean;
  subcommands: CommandShape[];
}

const TASK_NAMES = `cloudsync status --json 2>/dev/null | sed -n 's/^      "name": "\\(.*\\)",$/\\1/p'`;
/** The same in fish, inside a double-quoted argument. */
const FISH_TASK_NAMES = `cloudsync status --json 2>/dev/null | string replace -rf '^      \\"name\\": \\"(.*)\\",\\$' '\\$1'`;

function bash(commands: CommandShape[], globals: string[]): string {
  const cases = commands
    .map((c) => {
      const words = [...c.subcommands.map((s) => s.name), ...c.options].join(" ");
      const tasks = c.takesTask ? `$(${TASK_NAMES})` : "";
      return `    ${c.name}) COMPREPLY=( $(compgen -W "${words} ${tasks}" -- "$cur") ) ;;`;
    })
    .join("\n");
  return `# cloudsync completion for bash: source it, or save it as /etc/bash_completion.d/cloudsync
_cloudsync() {
  local cur command i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  command=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) command="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$command" in
    "") COMPREPLY=( $(compgen -W "${commands.map((c) => c.name).join(" ")} ${globals.join(" ")}" -- "$cur") ) ;;
${cases}
  esac
}
complete -F _cloudsync cloudsync
`;
}

function zsh(commands: CommandShape[], globals: string[]): string {
  const cases = commands
    .map((c) => {
      const words = [...c.subcommands.map((s) => s.name), ...c.options].join(" ");
      return `    ${c.name}) compadd -- ${words}${c.takesTask ? ` \${(f)"$(${TASK_NAMES})"}` : ""} ;;`;
    })
    .join("\n");
  return `#compdef cloudsync
# cloudsync completion for zsh: save it as _cloudsync in a directory of your $fpath
_cloudsync() {
  local command
  command=\${words[(r)[^-]*~cloudsync]}
  if (( CURRENT == 2 )) || [[ -z $command ]]; then
    compadd -- ${commands.map((c) => c.name).join(" ")} ${globals.join(" ")}
    return
  fi
  case $command in
${cases}
  esac
}
compdef _cloudsync cloudsync
`;
}

function fish(commands: CommandShape[], globals: string[]): string {
  const lines = [
    "# cloudsync completion for fish: save it as ~/.config/fish/completions/cloudsync.fish",
    "complete -c cloudsync -f",
    `complete -c cloudsync -n "__fish_use_subcommand" -a "${commands.map((c) => c.name).join(" ")}"`,
    ...globals.filter((g) => g.startsWith("--")).map((g) => `complete -c cloudsync -l ${g.slice(2)}`),
  ];
  for (const c of commands) {
    if (c.subcommands.length > 0) lines.push(`complete -c cloudsync -n "__fish_seen_subcommand_from ${c.name}" -a "${c.subcommands.map((s) => s.name).join(" ")}"`);
    for (const option of c.options.filter((o) => o.startsWith("--"))) lines.push(`complete -c cloudsync -n "__fish_seen_subcommand_from ${c.name}" -l ${option.slice(2)}`);
    if (c.takesTask) lines.push(`complete -c cloudsync -n "__fish_seen_subcommand_from ${c.name}" -a "(${FISH_TASK_NAMES})"`);
  }
  return `${lines.join("\n")}\n`;
}

export const SHELLS = ["bash", "zsh", "fish"] as const;
export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell, commands: CommandShape[], globals: string[]): string {
  return { bash, zsh, fish }[shell](commands, globals);
}
