#!/usr/bin/env node
// The arXiv benchmark (issue 12): parse+save of generated whole-arXiv announcement feeds
// (bench/lib/arxiv-feed.mjs, the real feed's shape) through the sync's own code path
// (parseFeed, then saveDay, one transaction per day) against an in-process floor on the same
// bodies in the same run; the real whole-day sample (1,504 items) alone; then search and list
// on the resulting archive with generated HF days added (both sources).
//   node bench/arxiv.mjs [--scale 10k|100k|1m|N] [--quick] [--seed N] [--out FILE]
// --quick is --scale 10k. Items per day ~2,000, so days = scale / 2,000.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDays, planDays } from './generate.mjs';
import { generateFeeds, loadTemplate, WHOLE_DAY } from './lib/arxiv-feed.mjs';
import { median, now, percentile } from './lib/measure.mjs';
import { core, ROOT } from './lib/modules.mjs';
import { buildPools, loadSamples, topicQueries } from './lib/samples.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const SCALES = { '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };
const scaleName = argv.includes('--quick') ? '10k' : opt('--scale', '100k');
const N = SCALES[scaleName] ?? Number(scaleName);
if (!(N > 0)) throw new Error(`bad --scale ${scaleName}`);
const seed = Number(opt('--seed', 1));
const PER_DAY = 2000;
const days = Math.max(1, Math.round(N / PER_DAY));
const CACHE = join(ROOT, 'bench', '.cache', 'arxiv');
const out = opt('--out', join(ROOT, 'bench', '.cache', 'arxiv-results.json'));
mkdirSync(CACHE, { recursive: true });

const { openDb } = await core('db/open.js');
const { saveDay } = await core('db/store.js');
const { parseFeed } = await core('sources/arxiv/feed.js');
const { parseXml, kids, kid, childText, textOf } = await core('sources/arxiv/xml.js');
const { displayText } = await core('sources/arxiv/records.js');
const { splitAuthors } = await core('sources/arxiv/authors.js');
const { versionedId } = await core('ids.js');
const { foldText } = await core('text.js');
const query = await core('core/query.js');
const hf = await core('sources/hf-daily.js');

const SOURCE = 'arxiv:all';
const fresh = (name) => {
  const p = join(CACHE, name);
  for (const s of ['', '-wal', '-shm']) rmSync(p + s, { force: true });
  return p;
};

// ------------------------------------------------------------ the code path (syncAnnouncement)
function papersDay(db, body, nowIso) {
  const feed = parseFeed(body, 'bench');
  const r = saveDay(db, {
    source: SOURCE,
    day: feed.day,
    entries: feed.entries,
    skipped: feed.skipped,
    requests: 1,
    via: 'rss',
    now: nowIso,
  });
  return feed.entries.length + 0 * r.inserted.length;
}

// ------------------------------------------------------------ the floor
// The same body read with the same XML reader for the same fields, the same values (the
// core's text helpers: display text, author splitting, folding), written with plain
// INSERT ... ON CONFLICT statements, one transaction per day. Left out: the record objects,
// the bookkeeping reads (was the paper there, the day's earlier listings), the guards of the
// upsert's WHERE (newest day and version win; an identical row is not rewritten).
const TYPES = new Set(['new', 'cross', 'replace', 'replace-cross']);
const DESC = /^\s*arXiv:\S+\s+Announce Type:\s*(\S+)\s*(?:Abstract:)?\s*/;
function floorStatements(db) {
  return {
    paper: db.prepare(`INSERT INTO papers (id, title, abstract, authors, authors_key, source, source_day, raw,
        categories, primary_category, version, doi, journal_ref, arxiv_comments, license, arxiv_raw, arxiv_day,
        first_seen, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET title = excluded.title, abstract = excluded.abstract, authors = excluded.authors,
        authors_key = excluded.authors_key, categories = excluded.categories,
        primary_category = excluded.primary_category, version = excluded.version, doi = excluded.doi,
        journal_ref = excluded.journal_ref, arxiv_comments = excluded.arxiv_comments, license = excluded.license,
        arxiv_raw = excluded.arxiv_raw, arxiv_day = excluded.arxiv_day, updated_at = excluded.updated_at`),
    listing: db.prepare(`INSERT INTO listings (source, day, paper_id, rank, type) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(source, day, paper_id) DO UPDATE SET rank = excluded.rank, type = excluded.type`),
    dayOk:
      db.prepare(`INSERT INTO sync_days (source, day, outcome, entries, skipped, requests, via, fetched_at, ok_at, ok_count)
      VALUES (?, ?, 'ok', ?, 0, 1, 'rss', ?, ?, 1)
      ON CONFLICT(source, day) DO UPDATE SET entries = excluded.entries, ok_at = excluded.ok_at`),
  };
}
const RFC = /(\d{1,2})\s+([A-Za-z]{3})\s+(\d{4})/;
const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ');
function floorDay(db, st, body, nowIso) {
  const root = parseXml(body, 'bench');
  const channel = kid(root, 'channel');
  const m = RFC.exec(childText(channel, 'pubDate'));
  const day = `${m[3]}-${String(MONTHS.indexOf(m[2].toLowerCase()) + 1).padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  const items = kids(channel, 'item');
  let n = 0;
  db.transaction(() => {
    for (const item of items) {
      const vid = versionedId(childText(item, 'guid'));
      const summary = textOf(kid(item, 'description'));
      const d = DESC.exec(summary);
      const authors = splitAuthors(childText(item, 'creator') ?? '');
      const cats = kids(item, 'category').map((c) => textOf(c).trim());
      const type = (childText(item, 'announce_type') ?? '').toLowerCase();
      st.paper.run(
        vid.id,
        displayText(childText(item, 'title')),
        displayText(d ? summary.slice(d[0].length) : summary),
        JSON.stringify(authors),
        foldText(authors.join('\n')),
        SOURCE,
        day,
        JSON.stringify(cats),
        cats[0] ?? null,
        vid.version,
        childText(item, 'DOI'),
        childText(item, 'journal_reference') && displayText(childText(item, 'journal_reference')),
        null,
        childText(item, 'rights'),
        body.slice(item.start, item.end),
        day,
        nowIso,
        nowIso,
      );
      st.listing.run(SOURCE, day, vid.id, ++n, TYPES.has(type) ? type : 'new');
    }
    st.dayOk.run(SOURCE, day, n, nowIso, nowIso);
  }).immediate();
  return n;
}

const checksum = (db) =>
  db
    .prepare(`SELECT count(*) AS n, sum(length(title) + length(abstract) + length(authors) + length(arxiv_raw)
       + version + length(categories)) AS s FROM papers`)
    .get();

// ------------------------------------------------------------ parse+save, interleaved per day
console.log(`arXiv benchmark: ${scaleName} (${days} days of ~${PER_DAY} items), seed ${seed}`);
const template = loadTemplate();
const papersPath = fresh(`arxiv-${scaleName}.db`);
const floorPath = fresh(`arxiv-${scaleName}-floor.db`);
const dbP = openDb(papersPath);
const dbF = openDb(floorPath);
const st = floorStatements(dbF);
let items = 0;
let bytes = 0;
let papersMs = 0;
let floorMs = 0;
let genMs = 0;
let dayCount = 0;
const nowIso = new Date('2026-11-01T00:00:00Z').toISOString();
let tg = now();
for (const f of generateFeeds({ days, perDay: PER_DAY, seed, template })) {
  genMs += now() - tg;
  // Alternate which runs first, so neither always gets the warmer cache.
  const first = dayCount % 2 === 0;
  let t;
  if (!first) {
    t = now();
    floorDay(dbF, st, f.body, nowIso);
    floorMs += now() - t;
  }
  t = now();
  items += papersDay(dbP, f.body, nowIso);
  papersMs += now() - t;
  if (first) {
    t = now();
    floorDay(dbF, st, f.body, nowIso);
    floorMs += now() - t;
  }
  bytes += f.body.length;
  dayCount++;
  if (dayCount % 10 === 0) {
    process.stderr.write(
      `  ${dayCount}/${days} days, ${items} items: papers ${Math.round(items / (papersMs / 1000))}/s, floor ${Math.round(items / (floorMs / 1000))}/s\n`,
    );
  }
  tg = now();
}
const cP = checksum(dbP);
const cF = checksum(dbF);
dbF.close();
const sync = {
  days: dayCount,
  items,
  papers: cP.n,
  bytes,
  generateMs: Math.round(genMs),
  papersMs: Math.round(papersMs),
  floorMs: Math.round(floorMs),
  papersPerSec: Math.round(items / (papersMs / 1000)),
  floorPerSec: Math.round(items / (floorMs / 1000)),
  ratio: +(floorMs / papersMs).toFixed(3),
  sameRows: cP.n === cF.n && cP.s === cF.s,
};

// ------------------------------------------------------------ the real whole-day file
const wholeBody = readFileSync(WHOLE_DAY, 'utf8');
const wholeRuns = [];
let wholeItems = 0;
for (let i = 0; i < 3; i++) {
  const p = fresh('whole-day.db');
  const db = openDb(p);
  const t = now();
  wholeItems = papersDay(db, wholeBody, nowIso);
  wholeRuns.push(now() - t);
  db.close();
}
const wholeDay = {
  items: wholeItems,
  bytes: wholeBody.length,
  runsMs: wholeRuns.map(Math.round),
  medianMs: Math.round(median(wholeRuns)),
};

// ------------------------------------------------------------ HF days, then search and list
const pools = buildPools(loadSamples());
const hfN = Math.max(2000, Math.round(N / 10));
let hfItems = 0;
const th = now();
for (const { day, entries } of generateDays({ plan: planDays({ n: hfN, seed, pools }), seed, pools })) {
  const parsed = hf.parseEntries(JSON.parse(JSON.stringify(entries)), 'bench');
  saveDay(dbP, {
    source: 'hf',
    day,
    entries: parsed.entries,
    skipped: parsed.skipped,
    requests: 1,
    via: 'api',
    now: nowIso,
  });
  hfItems += parsed.entries.length;
}
const hfMs = now() - th;
const total = dbP.prepare('SELECT count(*) FROM papers').pluck().get();
const both = dbP
  .prepare(
    "SELECT count(*) FROM papers WHERE arxiv_day IS NOT NULL AND id IN (SELECT paper_id FROM listings WHERE source = 'hf')",
  )
  .pluck()
  .get();

const arxivWords = ['quantum', 'dark matter', 'graph neural network', 'superconductivity', 'diffusion model'];
const searchQs = [...topicQueries(pools, 10).map((t) => (typeof t === 'string' ? t : t.query)), ...arxivWords];
const reps = argv.includes('--quick') ? 3 : 5;
const timeQ = (fn) => {
  fn(); // warm
  const xs = [];
  for (let i = 0; i < reps; i++) {
    const t = now();
    fn();
    xs.push(now() - t);
  }
  return xs;
};
const searchTimes = [];
for (const q of searchQs) searchTimes.push(...timeQ(() => [...query.searchPapers(dbP, { query: q, limit: 20 })]));
const listCases = [
  { limit: 20 },
  { limit: 20, sources: ['arxiv'] },
  { limit: 20, sources: ['hf'] },
  { limit: 20, categories: ['cs'] },
  { limit: 20, categories: ['astro-ph'], since: '2024-06-01' },
  { limit: 20, keywords: ['language model'] },
  { limit: 20, keywords: ['quantum'], sources: ['arxiv'] },
];
const listTimes = [];
for (const c of listCases) listTimes.push(...timeQ(() => [...query.listPapers(dbP, c)]));
dbP.close();
const q = (xs) => ({ p50: +percentile(xs, 50).toFixed(2), p95: +percentile(xs, 95).toFixed(2), n: xs.length });
const queries = {
  papers: total,
  hfListings: hfItems,
  hfSaveMs: Math.round(hfMs),
  onBothSources: both,
  search: { queries: searchQs.length, ...q(searchTimes) },
  list: { cases: listCases.length, ...q(listTimes) },
};

const results = {
  scale: scaleName,
  seed,
  node: process.version,
  when: new Date().toISOString(),
  sync,
  wholeDay,
  queries,
  targets: { ratioAtLeast: 0.5, wholeDayUnderMs: 2000 },
  pass: { ratio: sync.ratio >= 0.5, wholeDay: wholeDay.medianMs < 2000 },
};
mkdirSync(join(ROOT, 'bench', '.cache'), { recursive: true });
writeFileSync(out, JSON.stringify(results, null, 2));

const row = (a, b, c) => console.log(`  ${a.padEnd(34)} ${String(b).padStart(16)}  ${c}`);
console.log('');
row('measure', 'value', 'note');
row(
  'parse+save (parseFeed + saveDay)',
  `${sync.papersPerSec}/s`,
  `${items} items, ${dayCount} days, ${(bytes / 1e6).toFixed(0)} MB, ${sync.papers} papers`,
);
row('floor (same reader, plain upserts)', `${sync.floorPerSec}/s`, `same rows: ${sync.sameRows}`);
row('ratio (floor time / papers time)', sync.ratio, `target >= 0.5: ${results.pass.ratio ? 'ok' : 'MISSED'}`);
row(
  'real whole day (1,504 items)',
  `${wholeDay.medianMs} ms`,
  `median of 3 (${wholeDay.runsMs.join(', ')}); target < 2 s: ${results.pass.wholeDay ? 'ok' : 'MISSED'}`,
);
row(
  'search p50 / p95',
  `${queries.search.p50} / ${queries.search.p95} ms`,
  `${searchQs.length} queries, ${total} papers, ${both} on both sources`,
);
row('list p50 / p95', `${queries.list.p50} / ${queries.list.p95} ms`, `${listCases.length} filters`);
console.log(`\nwrote ${out}`);
