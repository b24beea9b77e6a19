/** `papers today`: the current UTC day's list, refreshed when stale. */
import { categoriesFromFlags, sourcesFromFlags } from '../cmdutil/filters.js';
import { abstractOption, flag, int, jsonOption, limitOption, sourceOptions, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import type { Context } from '../context.js';
import { dayPapers, latestListingDay, type PaperFilter } from '../core/query.js';
import { followedSources, type AnnouncementSummary } from '../core/sources.js';
import { runSources, type SourceTask, type TaskOutcome } from '../core/runner.js';
import { dayForReader, type ForYou } from '../core/recommend.js';
import type { DB } from '../db/open.js';
import type { SyncSummary } from '../core/sync.js';
import { dayOf, parseDay, parseDuration, weekday, type Day } from '../dates.js';
import { LockedError, UsageError, errorMessage } from '../errors.js';
import { listingSection, listingTypeOn, SECTION_HEADINGS, type Paper } from '../core/papers.js';
import { createOutput, type PaperView } from '../render/output.js';
import { createProgress } from '../render/progress.js';
import { sourceDef } from '../sources/registry.js';
import { HF_SOURCE } from '../sources/source-name.js';
import { visibleControls } from '../text.js';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * The arXiv sources `--source` names: `arxiv` is every followed one. A source named but not
 * followed is refused: today would fetch it into the archive behind `source list`'s back.
 */
function arxivSourcesOf(db: DB, sources: readonly string[]): string[] {
  const followed = followedSources(db).filter((n) => n !== 'hf');
  const following = new Set(followed);
  for (const s of sources) {
    if (s !== 'hf' && s !== 'arxiv' && !following.has(s)) {
      throw new UsageError(`${s} is not a followed source`, {
        hint:
          `papers source add ${s} (then papers today --source ${s}), ` +
          `or papers list --source ${s} for what the archive has`,
      });
    }
  }
  return [...new Set(sources.flatMap((s) => (s === 'arxiv' ? followed : s === 'hf' ? [] : [s])))];
}

/** The refresh's budget by default: the morning command shows the archive within seconds. */
export const REFRESH_BUDGET_S = 5;

/** What was not refreshed and why (`2025-03-17 (cannot reach ...)`), or undefined. */
function refreshFailure(out: TaskOutcome, day: Day): string | undefined {
  if (!out.ok) return `${out.kind === 'days' ? day : out.source} (${errorMessage(out.error)})`;
  if (out.kind === 'days') {
    const failures = (out.result as SyncSummary).failures;
    const f = failures.find((x) => x.day === day) ?? failures[0];
    return f ? `${f.day} (${f.error})` : undefined;
  }
  const a = out.result as AnnouncementSummary;
  if (a.outcome === 'skipped' && a.warning) return `${out.source} (${a.warning})`;
  return a.outcome === 'failed' ? `${out.source} (${a.error ?? 'failed'})` : undefined;
}

/**
 * Refreshes the day's sources in one run bounded by `budgetS` seconds (each request and
 * the whole run), never waiting for another sync. What could not be refreshed is said in
 * one warning; the archive is shown as it is either way.
 */
async function refresh(
  ctx: Context,
  tasks: SourceTask[],
  day: Day,
  budgetS: number,
  json?: boolean,
): Promise<string | undefined> {
  const text = tasks.length === 1 && tasks[0]!.kind === 'days' ? `fetching the list of ${day}…` : 'refreshing…';
  const progress = await createProgress(ctx.io, { quiet: ctx.quiet, json, text });
  const budgetMs = budgetS * 1000;
  try {
    const deps = await ctx.runnerDeps({ timeoutMs: budgetMs });
    const outcomes = await runSources(deps, tasks, { lockWaitMs: 0, deadlineMs: budgetMs, signal: ctx.signal });
    const failed = outcomes.flatMap((out) => {
      const why = refreshFailure(out, day);
      return why === undefined ? [] : [why];
    });
    return failed.length ? `could not refresh ${failed.join(', ')}` : undefined;
  } catch (err) {
    if ((err as { exitCode?: number }).exitCode === 130) throw err;
    if (err instanceof LockedError) return 'a sync is running';
    return `could not refresh ${day} (${errorMessage(err)})`;
  } finally {
    progress.stop();
  }
}

/**
 * An arXiv announcement: the category's own papers, then its cross-lists under their own
 * heading (then replacements, with --type); piped, the listing type and the categories
 * follow the title. A paper HF never listed has no upvotes (an empty cell, nothing shown).
 */
function announcementView(day: Day, abstract: boolean | undefined): PaperView {
  const section = (p: Paper) => listingSection(listingTypeOn(p, day));
  return {
    abstract,
    numbered: true,
    group: {
      key: (p) => String(section(p)),
      heading: (key, n) => `${SECTION_HEADINGS[Number(key)]} (${n})`,
    },
    tsv: (p) => [listingTypeOn(p, day), p.categories.join(' ')],
  };
}

export default defineCommand({
  name: 'today',
  summary: "the current UTC day's list, ranked by upvotes (synced first when older than --max-age)",
  description:
    'When today has no list yet (early UTC morning, weekends), the latest day with one is\n' +
    'shown, and named on stderr. A day given with --date is that day only.\n\n' +
    'Without --source, the Hugging Face list. ' +
    'With --source arxiv: the latest announcement of the followed arXiv categories (fetched\n' +
    'once per announcement cycle), ranked: papers your watches match first, then papers HF\n' +
    "lists (by upvotes), then arXiv's order. --type defaults to new and cross.\n" +
    'With 3 or more stars (papers star), the rest is ordered by a model of your\n' +
    'stars, and each paper shows its relevance to them (0-1, as papers recommend).\n' +
    'Papers you hid (papers hide) are left out unless --hidden.',
  pager: true,
  access: 'write',
  options: {
    date: text('--date <day>', 'show another day (YYYY-MM-DD, yesterday, 3d)'),
    offline: flag('--offline', 'never touch the network'),
    maxAge: text('--max-age <duration>', 'refresh the day when its last sync is older than this', { default: '30m' }),
    timeout: int('--timeout <seconds>', 'give up refreshing after this long and show the archive', {
      min: 1,
      max: 3600,
      default: REFRESH_BUDGET_S,
    }),
    ...sourceOptions,
    hidden: flag('--hidden', 'show the papers you hid (papers hide) too'),
    ...abstractOption,
    ...limitOption(),
    ...jsonOption,
  },
  examples: [
    'papers today',
    'papers today --date yesterday --abstract',
    'papers today --offline --json | jq ".[0].title"',
    'papers today | cut -f1,4',
    'papers today --source arxiv          # the latest announcement of the followed categories',
    'papers today --source arxiv --cat cs.CL --type new',
  ],
  async run(ctx, o) {
    const now = ctx.now();
    const io = ctx.io;
    const out = createOutput(ctx, o);
    const today = dayOf(now);
    const day = o.date !== undefined ? parseDay(o.date, now, '--date') : today;
    if (day > today) throw new UsageError(`${day} is in the future (today is ${today} UTC)`);
    const maxAgeMs = parseDuration(o.maxAge, '--max-age');
    // A read-only archive is still worth showing: opened read-only, it is just not refreshed.
    const db = await ctx.db({ readonly: true });
    // The message may carry a server's words.
    const warn = (msg: string) => io.err(`${io.errColor.yellow('warning:')} ${visibleControls(msg)}`);

    const sources = sourcesFromFlags(o.source) ?? ['hf'];
    const arxivNames = arxivSourcesOf(db, sources);
    const onlyHf = sources.every((x) => x === 'hf');
    const wantsArxiv = sources.some((x) => x !== 'hf');
    const filter: PaperFilter = {
      // `arxiv` with followed sources means those: the followed categories' announcement.
      sources: sources.flatMap((x) => (x === 'arxiv' && arxivNames.length ? arxivNames : [x])),
      categories: categoriesFromFlags(o.cat),
      types: o.type?.length ? [...new Set(o.type)] : wantsArxiv ? ['new', 'cross'] : undefined,
    };

    // Each source shown says what refreshing its day takes (registry.ts).
    const tasks: SourceTask[] = [];
    const env = { endpoint: ctx.config.endpoint, arxiv: () => ctx.arxiv() };
    const refreshed = [...(sources.includes(HF_SOURCE) ? [HF_SOURCE] : []), ...arxivNames];
    for (const name of o.offline ? [] : refreshed) {
      tasks.push(...(await sourceDef(name).refreshTasks(name, db, day, now, maxAgeMs, env)));
    }
    if (tasks.length && db.readonly) {
      const what = refreshed.length === 1 && refreshed[0] === HF_SOURCE ? day : refreshed.join(', ');
      warn(`the archive is read-only, so ${what} was not refreshed; showing the archive as it is`);
    } else if (tasks.length) {
      const failed = await refresh(ctx, tasks, day, o.timeout, o.json);
      if (failed) warn(`${failed}; showing the archive as it is`);
    }

    // Whether the day has a list is asked of the archive, not of the (--limit'ed) result.
    let shown = day;
    const latest = latestListingDay(db, day, filter);
    if (latest !== day) {
      const why = day === today ? `no list for ${day} yet` : `no papers listed on ${day}`;
      if (o.date !== undefined) {
        // A day asked for by name is that day: an empty answer, and where the nearest list is.
        if (!ctx.quiet)
          io.err(
            why + (latest ? `; the latest earlier day with a list is ${latest} (papers today --date ${latest})` : ''),
          );
        if (o.json) out.jsonArray([]);
        return 0;
      }
      if (!latest) {
        io.err(`${why}, and the archive has no earlier day${o.offline ? '; run `papers sync`' : ''}`);
        if (o.json) out.jsonArray([]);
        return 0;
      }
      if (!ctx.quiet) io.err(`${why}; showing ${latest}, the latest day with a list`);
      shown = latest;
    }
    const { papers, forYou } = dayForReader(db, shown, filter, { hfOnly: onlyHf, limit: o.limit, hidden: o.hidden });
    if (out.tty && !out.json) {
      const total = dayPapers(db, shown, undefined, filter).length;
      const count =
        papers.length < total ? `top ${papers.length} of ${total} papers` : `${total} paper${total === 1 ? '' : 's'}`;
      const named = (filter.sources ?? []).map((x) => (x === 'hf' ? 'HF' : x)).join(', ');
      const what = onlyHf ? 'Hugging Face Daily Papers' : named;
      out.title(`${what} · ${shown} (${WEEKDAYS[weekday(shown)]}) · ${count}`);
    }
    const relevance = (p: Paper) => (p as ForYou<Paper>).relevance.toFixed(2);
    const base: PaperView = onlyHf ? { abstract: o.abstract, numbered: true } : announcementView(shown, o.abstract);
    // Ranked by the reader's stars: the relevance under each paper, and as the last column piped.
    const view: PaperView = forYou
      ? {
          ...base,
          tsv: (p) => [...(base.tsv?.(p) ?? []), relevance(p)],
          below: (p) => [out.color.magenta(`relevance ${relevance(p)}`)],
        }
      : base;
    out.papers(papers, view);
    return 0;
  },
});
