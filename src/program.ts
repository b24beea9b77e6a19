/**
 * The commander root: global flags, the help around the commands, and the commands
 * themselves, each built from its spec (src/commands/NAME.ts, found by the registry in
 * scripts/commands.mjs). Only the specs cli.ts loads are built: a read command builds
 * itself and nothing else.
 */
import { Command, Option } from 'commander';
import { ENV_HELP, EXIT_HELP } from './config.js';
import type { GlobalFlags } from './context.js';
import { addWrappedHelp, buildCommand, examplesText, type Runner } from './cmdutil/build.js';
import { GLOBAL_OPTIONS } from './cmdutil/globals.js';
import type { AnyCommandSpec } from './cmdutil/spec.js';
import { VERSION } from './version.js';

export function buildProgram(specs: readonly AnyCommandSpec[], run: Runner): Command {
  const program = new Command('papers')
    .description(
      'Hugging Face Daily Papers in your terminal: sync a local SQLite archive, ' +
        'then list, search and export it offline.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .showSuggestionAfterError(true);
  for (const o of GLOBAL_OPTIONS) program.addOption(new Option(o.flags, o.description));
  addWrappedHelp(
    program,
    examplesText([
      'papers today                      # the current list, synced if stale',
      'papers sync                       # catch up (cron-friendly: one line, or nothing with -q)',
      'papers sync --since 2025-01-01    # backfill',
      'papers source add arxiv:cs.CL     # follow an arXiv category too',
      'papers new --mark-seen            # what was listed since you last looked',
      'papers star 2406.12345 && papers recommend   # rank new papers by what you keep',
      'papers status',
    ]) + `\n${ENV_HELP}\n\n${EXIT_HELP}\n`,
  );
  for (const spec of specs) program.addCommand(buildCommand(spec, run));
  return program;
}

export function globalFlags(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals() as GlobalFlags;
}
