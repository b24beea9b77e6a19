/** `papers today`: the current UTC day's list, refreshed when stale. */
import { categoriesFromFlags, sourcesFromFlags } from '../cmdutil/filters.js';
import { abstractOption, flag, jsonOption, limitOption, sourceOptions, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import type { Context } from '../context.js';
import { dayPapers, latestListingDay, type PaperFilter } from '../core/query.js';
import type { Paper } from '../core/papers.js';
import { dayForReader, type ForYou } from '../core/recommend.js';
import { followedSources, syncAnnouncement } from '../core/sources.js';
import type { DB } from '../db/open.js';
import { daysToRefresh, sync } from '../core/sync.js';
import { dayOf, parseDay, parseDuration, weekday } from '../dates.js';
import { LockedError, UsageError, errorMessage } from '../errors.js';
import { createOutput } from '../render/output.js';
import { createProgress } from '../render/progress.js';
import { arxivSource } from '../sources/arxiv/source.js';
import { hfDaily } from '../sources/hf-daily.js';
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

/** The latest announcement of each source, where the cycle has one to fetch; failures are warnings. */
async function refreshArxiv(ctx: Context, names: string[], warn: (msg: string) => void, json?: boolean): Promise<void> {
  if (names.length === 0) return;
  const progress = await createProgress(ctx.io, { quiet: ctx.quiet, json, text: 'fetching the arXiv announcement…' });
  try {
    const deps = await ctx.sourceDeps();
    const arxiv = await ctx.arxiv();
    for (const name of names) {
      try {
        const s = await syncAnnouncement(deps, arxivSource(name, arxiv));
        if (s.outcome === 'failed') warn(`could not refresh ${name} (${s.error}); showing the archive as it is`);
      } catch (err) {
        if ((err as { exitCode?: number }).exitCode === 130) throw err;
        if (err instanceof LockedError) warn('a sync is running; showing the archive as it is');
        else warn(`could not refresh ${name} (${errorMessage(err)}); showing the archive as it is`);
      }
    }
  } finally {
    progress.stop();
  }
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

    if (!o.offline && sources.includes('hf')) {
      const days = daysToRefresh(db, hfDaily.name, day, now, maxAgeMs);
      if (days.length && db.readonly) {
        warn(`the archive is read-only, so ${day} was not refreshed; showing the archive as it is`);
      } else if (days.length) {
        const progress = await createProgress(io, {
          quiet: ctx.quiet,
          json: o.json,
          text: `fetching the list of ${day}…`,
        });
        try {
          const s = await sync(await ctx.syncDeps(), {
            source: hfDaily,
            days,
            force: true,
            concurrency: 4,
            lockWaitMs: 0,
            signal: ctx.signal,
          });
          progress.stop();
          const f = s.failures.find((x) => x.day === day) ?? s.failures[0];
          if (f) warn(`could not refresh ${f.day} (${f.error}); showing the archive as it is`);
        } catch (err) {
          progress.stop();
          if (err instanceof LockedError) warn('a sync is running; showing the archive as it is');
          else if ((err as { exitCode?: number }).exitCode === 130) throw err;
          else warn(`could not refresh ${day} (${errorMessage(err)}); showing the archive as it is`);
        }
      }
    }
    if (!o.offline && arxivNames.length) {
      if (db.readonly) warn('the archive is read-only, so arXiv was not refreshed; showing the archive as it is');
      else await refreshArxiv(ctx, arxivNames, warn, o.json);
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
    out.papers(papers, {
      abstract: o.abstract,
      numbered: true,
      ...(forYou ? { tsv: (p) => [relevance(p)], below: (p) => [out.color.magenta(`relevance ${relevance(p)}`)] } : {}),
    });
    return 0;
  },
});
