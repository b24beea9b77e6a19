/**
 * Shell completion scripts (bash, zsh, fish) made from the command specs themselves, so a
 * new command, option or choice completes without anyone editing a script: commands and
 * subcommands, each command's options, and the values of an option with a fixed set.
 */
import type { AnyCommandSpec, OptionDefs } from '../cmdutil/spec.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export interface CompletionOption {
  long: string | null;
  short: string | null;
  takesValue: boolean;
  choices: readonly string[];
  description: string;
}

export interface CompletionNode {
  name: string;
  summary: string;
  options: CompletionOption[];
  subcommands: CompletionNode[];
}

export function completionOption(
  flags: string,
  description: string,
  choices: readonly string[] = [],
): CompletionOption {
  return {
    long: /--[\w-]+/.exec(flags)?.[0] ?? null,
    short: /(?:^|[ ,])(-\w)\b/.exec(flags)?.[1] ?? null,
    takesValue: /[<[]/.test(flags),
    choices,
    description,
  };
}

export function completionTree(spec: AnyCommandSpec): CompletionNode {
  const options = Object.values((spec.options ?? {}) as OptionDefs)
    .filter((d) => !d.hidden)
    .map((d) => completionOption(d.flags, d.description, d.choices));
  options.push(completionOption('-h, --help', 'display help for command'));
  return {
    name: spec.name,
    summary: spec.summary,
    options,
    subcommands: (spec.subcommands ?? []).map(completionTree),
  };
}

const words = (xs: readonly string[]) => xs.join(' ');
/** A bash parameter expansion, `${NAME}`, written without a template placeholder in a string. */
const expand = (name: string) => `$${'{'}${name}}`;
const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const flagsOf = (o: CompletionOption) => [o.long, o.short].filter((x): x is string => !!x);

/** bash: one function; zsh loads it through bashcompinit. */
function bash(root: CompletionNode[], globals: CompletionOption[]): string {
  const lines: string[] = [];
  const valueCases: string[] = [];
  const optionCases: string[] = [];
  const subCases: string[] = [];
  const walk = (n: CompletionNode, path: string) => {
    const opts = [...n.options, ...globals];
    optionCases.push(`    ${shq(path)}) opts=${shq(words(opts.flatMap(flagsOf)))} ;;`);
    for (const o of opts.filter((x) => x.takesValue)) {
      const values = o.choices.length ? words(o.choices) : '';
      valueCases.push(`    ${shq(path)}:${flagsOf(o).join('|' + shq(path) + ':')}) values=${shq(values)}; return 0 ;;`);
    }
    if (n.subcommands.length)
      subCases.push(`    ${shq(path)}) subs=${shq(words(n.subcommands.map((s) => s.name)))} ;;`);
    for (const s of n.subcommands) walk(s, `${path} ${s.name}`);
  };
  for (const c of root) walk(c, c.name);
  const valueFlags = new Set<string>();
  for (const o of globals) if (o.takesValue) for (const f of flagsOf(o)) valueFlags.add(f);
  lines.push(
    '# papers completion for bash: eval "$(papers completion bash)", or save it in',
    '# ~/.local/share/bash-completion/completions/papers',
    '_papers_values() {',
    '  case "$1" in',
    ...valueCases,
    '  esac',
    '  return 1',
    '}',
    '_papers() {',
    '  local cur prev path="" word i subs="" opts="" values=""',
    `  cur="${expand('COMP_WORDS[COMP_CWORD]')}"`,
    `  prev="${expand('COMP_WORDS[COMP_CWORD-1]')}"`,
    '  for ((i = 1; i < COMP_CWORD; i++)); do',
    `    word="${expand('COMP_WORDS[i]')}"`,
    '    [[ "$word" == -* ]] && continue',
    '    if [[ -z "$path" ]]; then',
    `      [[ " ${words(root.map((c) => c.name))} " == *" $word "* ]] && path="$word"`,
    '    elif [[ "$path" != *" "* ]]; then',
    '      subs=""',
    '      case "$path" in',
    ...subCases.map((c) => `  ${c}`),
    '      esac',
    '      [[ -n "$subs" && " $subs " == *" $word "* ]] && path="$path $word"',
    '    fi',
    '  done',
    '  subs=""',
    '  if [[ -n "$path" && "$prev" == -* ]] && _papers_values "$path:$prev"; then',
    '    COMPREPLY=($(compgen -W "$values" -- "$cur"))',
    '    [[ -z "$values" ]] && COMPREPLY=($(compgen -f -- "$cur"))',
    '    return 0',
    '  fi',
    '  if [[ -z "$path" ]]; then',
    `    if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W ${shq(words(globals.flatMap(flagsOf)))} -- "$cur"));`,
    `    else COMPREPLY=($(compgen -W ${shq(words(root.map((c) => c.name)))} -- "$cur")); fi`,
    '    return 0',
    '  fi',
    '  case "$path" in',
    ...subCases,
    '  esac',
    '  case "$path" in',
    ...optionCases,
    '  esac',
    '  if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "$opts" -- "$cur"));',
    '  elif [[ -n "$subs" ]]; then COMPREPLY=($(compgen -W "$subs" -- "$cur"));',
    '  else COMPREPLY=($(compgen -f -- "$cur")); fi',
    '}',
    'complete -F _papers papers',
  );
  return `${lines.join('\n')}\n`;
}

function zsh(root: CompletionNode[], globals: CompletionOption[]): string {
  return (
    '#compdef papers\n' +
    '# papers completion for zsh: eval "$(papers completion zsh)" in ~/.zshrc\n' +
    'autoload -U +X bashcompinit && bashcompinit\n' +
    bash(root, globals)
      .split('\n')
      .filter((l) => !l.startsWith('# papers completion for bash') && !l.startsWith('# ~/.local'))
      .join('\n')
  );
}

function fish(root: CompletionNode[], globals: CompletionOption[]): string {
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const lines = ['# papers completion for fish: papers completion fish > ~/.config/fish/completions/papers.fish'];
  const opt = (cond: string, o: CompletionOption) => {
    const parts = ['complete -c papers'];
    if (cond) parts.push(`-n ${q(cond)}`);
    if (o.long) parts.push(`-l ${o.long.slice(2)}`);
    if (o.short) parts.push(`-s ${o.short.slice(1)}`);
    if (o.takesValue) parts.push(o.choices.length ? `-x -a ${q(words(o.choices))}` : '-r');
    parts.push(`-d ${q(o.description.slice(0, 80))}`);
    return parts.join(' ');
  };
  for (const o of globals) lines.push(opt('', o));
  for (const c of root) {
    lines.push(`complete -c papers -f -n '__fish_use_subcommand' -a ${c.name} -d ${q(c.summary.slice(0, 80))}`);
    const seen = `__fish_seen_subcommand_from ${c.name}`;
    for (const s of c.subcommands) {
      const none = `${seen}; and not __fish_seen_subcommand_from ${words(c.subcommands.map((x) => x.name))}`;
      lines.push(`complete -c papers -f -n ${q(none)} -a ${s.name} -d ${q(s.summary.slice(0, 80))}`);
      for (const o of s.options) lines.push(opt(`${seen}; and __fish_seen_subcommand_from ${s.name}`, o));
    }
    for (const o of c.options) lines.push(opt(seen, o));
  }
  return `${lines.join('\n')}\n`;
}

export function renderCompletion(shell: Shell, root: CompletionNode[], globals: CompletionOption[]): string {
  if (shell === 'zsh') return zsh(root, globals);
  if (shell === 'fish') return fish(root, globals);
  return bash(root, globals);
}
