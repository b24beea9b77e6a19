/**
 * The commander tree: global flags, commands, help with examples. Each action loads
 * its command module on demand, so `papers --version` loads almost nothing.
 */
import { Command, Option } from 'commander';
import { ENV_HELP, EXIT_HELP } from './config.js';
import type { Context, GlobalFlags } from './context.js';
import { addDayOptions, addFilterOptions, collect, intArg, sortOption } from './commands/options.js';
import { VERSION } from './version.js';

export type Runner = (cmd: Command, fn: (ctx: Context) => Promise<number>) => Promise<void>;

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join('\n')}\n`;
}

export function buildProgram(run: Runner): Command {
  const program = new Command('papers')
    .description('Hugging Face Daily Papers in your terminal: sync a local SQLite archive, then list, search and export it offline.')
    .version(VERSION, '-V, --version', 'print the version')
    .option('--db <path>', 'the archive file (default: $PAPERS_DB, else $PAPERS_HOME/papers.db)')
    .option('--color', 'force colour')
    .option('--no-color', 'never colour (NO_COLOR does the same)')
    .option('-q, --quiet', 'print errors only')
    .option('-v, --verbose', 'more detail: each request, stack traces')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      examples(
        'papers today                      # the current list, synced if stale',
        'papers sync                       # catch up (cron-friendly: one line, or nothing with -q)',
        'papers sync --since 2025-01-01    # backfill',
        'papers status',
      ) + `\n${ENV_HELP}\n\n${EXIT_HELP}\n`,
    );

  program
    .command('today')
    .description("the current UTC day's list, ranked by upvotes (synced first when older than --max-age)")
    .option('--date <day>', 'show another day (YYYY-MM-DD, yesterday, 3d)')
    .option('--offline', 'never touch the network')
    .option('--max-age <duration>', 'refresh the day when its last sync is older than this', '30m')
    .option('--abstract', 'add the abstracts')
    .option('-n, --limit <n>', 'at most this many papers', intArg('--limit', 0))
    .option('--json', 'print a JSON array of papers')
    .addHelpText(
      'after',
      `\nWhen today has no list yet (early UTC morning, weekends), the latest day with one is\nshown, and named on stderr. A day given with --date is that day only.\n` +
        examples('papers today', 'papers today --date yesterday --abstract', 'papers today --offline --json | jq ".[0].title"', 'papers today | cut -f1,4'),
    )
    .action(async (flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/today.js')).runToday(ctx, flags)));

  addDayOptions(
    program
      .command('sync')
      .description('fetch listing days into the archive: incremental by default, or the days you name'),
  )
    .option('--days <n>', 'the last N days through today', intArg('--days', 1, 100_000))
    .option('-c, --concurrency <n>', 'days fetched at once', intArg('--concurrency', 1, 32), 4)
    .addOption(new Option('--via <how>', 'fetch through the JSON API or the HTML page').choices(['api', 'html']))
    .option('--force', 'refetch days that have settled too (synced at least 3 days after they ended)')
    .option('--wait <duration>', 'wait this long for another running sync (0: fail at once)', '10m')
    .option('--timeout <seconds>', 'deadline for each request', intArg('--timeout', 1, 3600))
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText(
      'after',
      `
Without day options, sync is incremental: from the day after the last synced day
(the last 7 days on a first run) through today, plus the 3 most recent synced days
again, because lists and upvotes settle late, plus days of the last 30 that failed or
were skipped (after \`papers today\` synced a later day). Ranges skip days that have settled;
--date always refetches its day. One transaction per day: an interrupted sync
leaves whole days, and the next one completes the rest. If another sync is running
on the same archive, this one waits for it (--wait).
` +
        examples(
          'papers sync',
          'papers sync --date 2025-03-14',
          'papers sync --since 2024-06-01 --until 2024-12-31',
          'papers sync --days 30 --concurrency 8',
          'papers sync -q             # in cron: errors only',
          '0 7 * * * papers sync -q',
        ),
    )
    .action(async (flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/sync.js')).runSync(ctx, flags)));

  program
    .command('import')
    .description('import saved API bodies (.json) or saved Daily Papers pages (.html)')
    .argument('<files...>', 'files to import')
    .option('--date <day>', 'the listing day of the files (else a YYYY-MM-DD in the name, else the page)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', examples('papers import 2025-03-14.json', 'papers import --date 2025-03-14 page.html', 'papers import saved/*.json'))
    .action(async (files: string[], flags, cmd: Command) =>
      run(cmd, async (ctx) => (await import('./commands/import.js')).runImport(ctx, files, flags)),
    );

  program
    .command('status')
    .description('the archive at a glance: size, papers, days, last sync, failed days')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples('papers status', 'papers status --json | jq .papers'))
    .action(async (flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/status.js')).runStatus(ctx, flags)));

  addFilterOptions(program.command('list').description('papers in the archive, filtered; newest day first, then upvotes'))
    .addOption(sortOption())
    .option('--window <duration>', 'with --sort rising: the span over which upvote growth counts', '3d')
    .option('-n, --limit <n>', 'at most this many papers', intArg('--limit', 0))
    .option('--abstract', 'add the abstracts')
    .option('--json', 'print a JSON array of papers')
    .addHelpText(
      'after',
      examples(
        'papers list --since 7d',
        'papers list --week 2025-W10 --sort upvotes --limit 10',
        'papers list -k "diffusion" -k "video" --min-upvotes 20',
        'papers list -k agent -k agents --any --exclude survey --has-code',
        'papers list --author "hinton" --json | jq -r ".[].title"',
        'papers list --month 2025-03 | cut -f1,4',
        'papers list --sort rising --window 3d --limit 10',
      ),
    )
    .action(async (flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/list.js')).runList(ctx, flags)));

  addFilterOptions(program.command('search').description('ranked full-text search (BM25: title first, then AI summary and keywords, abstract, authors)'))
    .argument('<query...>', 'words to search for; quoted as typed unless --raw')
    .option('--raw', 'pass FTS5 syntax through: AND/OR/NOT, "phrases", prefix*, NEAR(a b, 5), title:word')
    .option('-n, --limit <n>', 'at most this many hits', intArg('--limit', 0), 20)
    .option('--abstract', 'add the abstracts')
    .option('--json', 'print a JSON array of papers')
    .addHelpText(
      'after',
      examples(
        'papers search diffusion transformer',
        'papers search "mixture of experts" --since 2025-01-01',
        "papers search --raw 'title:agent* NOT survey'",
        'papers search speculative decoding --json | jq -r ".[].id"',
      ),
    )
    .action(async (query: string[], flags, cmd: Command) =>
      run(cmd, async (ctx) => (await import('./commands/search.js')).runSearch(ctx, query.join(' '), flags)),
    );

  addDayOptions(program.command('grep').description('regular-expression search over titles and abstracts, printing matching lines'))
    .argument('<pattern>', 'a JavaScript regular expression')
    .option('-i, --ignore-case', 'match case-insensitively')
    .option('-w, --word-regexp', 'match whole words only')
    .addOption(new Option('--field <field>', 'where to look').choices(['title', 'abstract', 'all']).default('all'))
    .option('-m, --max-count <n>', 'stop after this many papers', intArg('--max-count', 0))
    .option('--limit <n>', 'the same as --max-count (the name other commands use)', intArg('--limit', 0))
    .option('-n, --line-number', 'print line numbers (always on; accepted as grep and rg take it)')
    .option('--json', 'print a JSON array of papers with their matching lines')
    .addHelpText(
      'after',
      `\nPiped, one line per match: id:field:line:text (the abstract's lines are its sentences).\n` +
        examples('papers grep -i "state[- ]space model"', 'papers grep -w --field title LoRA', 'papers grep -i "(?:RLHF|DPO)" --since 30d -m 20'),
    )
    .action(async (pattern: string, flags, cmd: Command) =>
      run(cmd, async (ctx) => (await import('./commands/grep.js')).runGrep(ctx, pattern, flags)),
    );

  program
    .command('show')
    .description('everything known about one paper')
    .argument('<id>', 'an arXiv id or link: 2406.12345, 2406.12345v2, arxiv.org/abs/..., arxiv.org/pdf/..., huggingface.co/papers/...')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples('papers show 2406.12345', 'papers show https://arxiv.org/pdf/2406.12345v2.pdf', 'papers show https://huggingface.co/papers/2406.12345 --json'))
    .action(async (id: string, flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/show.js')).runShow(ctx, id, flags)));

  addFilterOptions(program.command('export').description('write papers as Markdown, JSON, NDJSON, CSV, BibTeX, RSS or Atom'))
    .option('--query <text>', 'export the hits of a search instead of a filtered list')
    .option('--raw', 'with --query: FTS5 syntax')
    .option('--watch <name>', "export a saved watch's matches")
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['markdown', 'json', 'ndjson', 'csv', 'bibtex', 'rss', 'atom']).default('markdown'),
    )
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout; - is stdout')
    .option('--no-abstract', 'Markdown and BibTeX: leave the abstracts out')
    .addOption(sortOption())
    .option('-n, --limit <n>', 'at most this many papers', intArg('--limit', 0))
    .addHelpText(
      'after',
      examples(
        'papers export --date yesterday > notes/papers.md',
        'papers export --week 2025-W10 -o week10.md',
        'papers export --query "diffusion" --format bibtex -o refs.bib',
        'papers export --month 2025-03 --format csv -o march.csv',
        'papers export --since 2024-01-01 --format ndjson | jq .title',
        'papers export --watch agents --format atom -o ~/feeds/agents.xml',
      ),
    )
    .action(async (flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/export.js')).runExport(ctx, flags)));

  addFilterOptions(program.command('new').description('papers first seen since your last --mark-seen (or --since), grouped by day'))
    .option('--watch <name>', "only this watch's matches it has not shown yet")
    .option('--mark-seen', 'after printing, move the mark past everything new (filters too; not with --limit)')
    .option('-n, --limit <n>', 'at most this many papers', intArg('--limit', 0))
    .option('--abstract', 'add the abstracts')
    .option('--json', 'print a JSON array of papers')
    .addHelpText('after', `\nDay options (--since, --until, --date, --week, --month) pick papers by the day they were\nfirst seen instead of the mark. --watch NAME uses that watch's own filters and mark.\n` + examples('papers new', 'papers new --mark-seen', 'papers new --watch agents --mark-seen', 'papers new --since 3d --json'))
    .action(async (flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/new.js')).runNew(ctx, flags)));

  const watch = program.command('watch').description('saved searches: watches you follow with `papers new --watch` and `papers digest`');
  addFilterOptions(watch.command('add').description('save a watch: list filters and/or a search query'), { days: false })
    .argument('<name>', 'a short name')
    .option('--query <text>', 'a search query (search syntax)')
    .option('--raw', 'the query is FTS5 syntax')
    .option('--force', 'replace a watch of the same name')
    .addHelpText('after', examples('papers watch add agents -k agent -k agents --any --min-upvotes 10', 'papers watch add moe --query "mixture of experts"', 'papers watch add hinton --author hinton'))
    .action(async (name: string, flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/watch.js')).runWatchAdd(ctx, name, flags)));
  watch
    .command('list')
    .description('the saved watches')
    .option('--json', 'print as JSON')
    .addHelpText('after', examples('papers watch list'))
    .action(async (flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/watch.js')).runWatchList(ctx, flags)));
  watch
    .command('rm')
    .description('delete a watch')
    .argument('<name>', 'the watch')
    .addHelpText('after', examples('papers watch rm agents'))
    .action(async (name: string, flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/watch.js')).runWatchRm(ctx, name, flags)));
  watch
    .command('show')
    .description("a watch's matches in the archive")
    .argument('<name>', 'the watch')
    .option('-n, --limit <n>', 'at most this many papers', intArg('--limit', 0))
    .option('--json', 'print a JSON array of papers')
    .addHelpText('after', examples('papers watch show agents', 'papers watch show agents --json'))
    .action(async (name: string, flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/watch.js')).runWatchShow(ctx, name, flags)));

  program
    .command('digest')
    .description('the new matches of your watches, a section per watch, for cron: Markdown, HTML or JSON')
    .option('--watch <name>', 'only these watches (repeatable)', collect)
    .option('--since <day>', 'papers first seen since this day, instead of since each watch last reported')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['markdown', 'html', 'json']).default('markdown'))
    .option('-o, --output <file>', 'write to this file (atomically) instead of stdout')
    .option('--mark-seen', "after writing, move each watch's mark to now")
    .addHelpText(
      'after',
      examples('papers digest', 'papers digest --format html -o ~/digest.html', '0 7 * * * papers sync -q && papers digest --format markdown -o ~/notes/papers-$(date +%F).md'),
    )
    .action(async (flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/digest.js')).runDigest(ctx, flags)));

  addFilterOptions(program.command('similar').description('papers in the archive most similar in text to one paper (offline, no model)'))
    .argument('<id>', 'an arXiv id or link')
    .option('-n, --limit <n>', 'at most this many papers', intArg('--limit', 0), 10)
    .option('--json', 'print a JSON array of papers')
    .addHelpText('after', examples('papers similar 2406.12345', 'papers similar 2406.12345 --since 2025-01-01 --json'))
    .action(async (id: string, flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/similar.js')).runSimilar(ctx, id, flags)));

  program
    .command('stats')
    .description('trends: papers per week or month, top AI keywords and organizations')
    .option('--since <day>', 'from this day on')
    .option('--until <day>', 'up to this day')
    .addOption(new Option('--by <period>', 'period').choices(['week', 'month']).default('month'))
    .option('--top <n>', 'keywords and organizations per period', intArg('--top', 1, 100), 5)
    .option('--json', 'print as JSON')
    .addHelpText('after', examples('papers stats', 'papers stats --since 2025-01-01 --by week', 'papers stats --json'))
    .action(async (flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/stats.js')).runStats(ctx, flags)));

  program
    .command('doctor')
    .description('check the archive: integrity, FTS index, schema, gaps, failed and unsettled days')
    .option('--rebuild-index', 'rebuild the full-text index from the papers table')
    .option('--json', 'print the findings as JSON')
    .addHelpText('after', examples('papers doctor', 'papers doctor --rebuild-index'))
    .action(async (flags, cmd: Command) => run(cmd, async (ctx) => (await import('./commands/doctor.js')).runDoctor(ctx, flags)));

  return program;
}

export function globalFlags(cmd: Command): GlobalFlags {
  return cmd.optsWithGlobals() as GlobalFlags;
}
