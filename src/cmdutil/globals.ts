/**
 * The flags every command takes, before or after its name: the root (src/program.ts) adds
 * them, cli.ts skips them to find the command, and `papers completion` completes them.
 */
export const GLOBAL_OPTIONS: readonly { flags: string; description: string }[] = [
  { flags: '--db <path>', description: 'the archive file (default: $PAPERS_DB, else $PAPERS_HOME/papers.db)' },
  { flags: '--color', description: 'force colour' },
  { flags: '--no-color', description: 'never colour (NO_COLOR does the same)' },
  { flags: '-q, --quiet', description: 'print errors only' },
  { flags: '--verbose', description: 'more detail: each request, stack traces' },
  { flags: '--no-pager', description: 'never page long output (PAGER=cat does the same)' },
];

/** The global flags that take a value (`--db PATH`), as typed on the command line. */
export const GLOBAL_VALUE_FLAGS: readonly string[] = GLOBAL_OPTIONS.filter((o) => o.flags.includes('<')).flatMap((o) =>
  o.flags.split(/[ ,]+/).filter((f) => f.startsWith('-')),
);
