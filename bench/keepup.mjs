#!/usr/bin/env node
// The keep-up commands are as fast as list (issue 11.11): `new`, `digest` and the counts of
// `watch list`, with -k and --min-upvotes, against `list` with the same filters over the
// same days, timed interleaved in the same run. In-process (the core functions the
// commands call), on the generated corpus (`node bench/generate.mjs --scale 100k` first;
// run `npm run build` too). The archive is built once into bench/.cache/: every day but
// the last 7, a --mark-seen, then the last 7 days, as a week of cron syncs would.
//
//   node bench/keepup.mjs [--scale 100k] [--reps 7] [--json]
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SEED, corpusDir, parseScale } from './generate.mjs';
import { median, timeInterleaved, fmtMs } from './lib/measure.mjs';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '100k' },
    reps: { type: 'string', default: '7' },
    json: { type: 'boolean' },
  },
});
const { name } = parseScale(values.scale);
const reps = Number(values.reps);
const cache = new URL('./.cache/', import.meta.url).pathname;
// The corpus bench/run.mjs and generate.mjs use (keyed by the generator and the samples).
const corpusRoot = corpusDir(cache, name, DEFAULT_SEED);
const corpus = join(corpusRoot, 'days');
if (!existsSync(corpus)) throw new Error(`no corpus at ${corpus}: run node bench/generate.mjs --scale ${name}`);

const { MODULES: dist, saveDayFile } = await import('./lib/modules.mjs');
const { openDb } = await import(new URL('db/open.js', dist));
const { listPapers } = await import(new URL('core/query.js', dist));
const { latestFirstSeen, getNewMark, setNewMark, readNew, countNew, decodeMark } = await import(
  new URL('core/new.js', dist)
);
const { addWatch, listWatches, setWatchSeen, watchSelection } = await import(new URL('core/watch.js', dist));
const { buildDigest } = await import(new URL('core/digest.js', dist));

const dbPath = join(cache, `keepup-${basename(corpusRoot)}.db`);
if (!existsSync(dbPath)) {
  const tmp = `${dbPath}.partial`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  const db = openDb(tmp);
  const days = readdirSync(corpus)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const save = (f, now) => saveDayFile(db, join(corpus, f), now);
  process.stderr.write(`building ${dbPath} from ${days.length} days…\n`);
  for (const f of days.slice(0, -7)) save(f, '2026-10-22T06:00:00.000Z');
  const now = new Date('2026-10-23T06:00:00.000Z');
  for (const w of WATCHES()) addWatch(db, w, { now });
  const mark = latestFirstSeen(db);
  setNewMark(db, mark);
  for (const w of WATCHES()) setWatchSeen(db, w.name, mark);
  days.slice(-7).forEach((f, i) => save(f, `2026-10-${24 + i}T06:00:00.000Z`));
  db.close();
  renameSync(tmp, dbPath);
}

function WATCHES() {
  return [
    { name: 'agents', filter: { keywords: ['agent'], minUpvotes: 10 } },
    { name: 'diffusion', filter: { keywords: ['diffusion'], minUpvotes: 5 } },
    { name: 'reasoning', filter: { keywords: ['reasoning', 'math'], any: true, minUpvotes: 20 } },
  ];
}

const db = openDb(dbPath, { readonly: true });
const mark = getNewMark(db);
const since = decodeMark(db, mark).day;
const upTo = latestFirstSeen(db);
const watches = listWatches(db);
const filter = { keywords: ['agent'], minUpvotes: 10 };
const drain = (it) => {
  let n = 0;
  for (const _ of it) n++;
  return n;
};
const counts = {};
// Each keep-up call beside the list call that selects the same papers (same filters,
// since the mark's listing day; the mark's own condition is one more comparison).
const t = timeInterleaved(
  {
    list: () => (counts.list = drain(listPapers(db, { ...filter, since }))),
    new: () => (counts.new = readNew(db, { filter }, { after: mark, upTo }).papers.length),
    listLatestDay: () =>
      (counts.listLatestDay = drain(
        listPapers(db, { ...filter, since: decodeMark(db, upTo).day, until: decodeMark(db, upTo).day }),
      )),
    newNoMark: () => (counts.newNoMark = readNew(db, { filter }, { upTo }).papers.length),
    list3: () => (counts.list3 = watches.reduce((n, w) => n + drain(listPapers(db, { ...w.filter, since })), 0)),
    digest: () =>
      (counts.digest = buildDigest(db, { now: new Date('2026-10-31T06:00:00.000Z') }).sections.reduce(
        (n, s) => n + s.papers.length,
        0,
      )),
    watchList: () =>
      (counts.watchList = watches.reduce((n, w) => n + countNew(db, watchSelection(w), { after: w.seenAt, upTo }), 0)),
  },
  { reps, warmup: 1 },
);
const papers = db.prepare('SELECT count(*) FROM papers').pluck().get();
db.close();
const m = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
const rows = [
  [
    'new -k agent --min-upvotes 10 (since the mark)',
    m.new,
    'list, same filters, --since the mark day',
    m.list,
    counts.new,
    counts.list,
  ],
  [
    'new, no mark (the latest day)',
    m.newNoMark,
    'list --date <latest day>',
    m.listLatestDay,
    counts.newNoMark,
    counts.listLatestDay,
  ],
  ['digest, 3 watches', m.digest, 'list x3, same filters and days', m.list3, counts.digest, counts.list3],
  [
    'watch list counts, 3 watches',
    m.watchList,
    'list x3, same filters and days',
    m.list3,
    counts.watchList,
    counts.list3,
  ],
].map(([what, ms, base, baseMs, n, baseN]) => ({
  what,
  ms,
  base,
  baseMs,
  ratio: ms / baseMs,
  papers: n,
  basePapers: baseN,
}));
if (values.json) process.stdout.write(JSON.stringify({ scale: name, papers, reps, rows }, null, 2) + '\n');
else {
  console.log(
    `${papers.toLocaleString('en-US')} papers, p50 of ${reps} interleaved runs, in-process; target ratio <= 1.3x`,
  );
  for (const r of rows) {
    console.log(
      `${r.what}: ${fmtMs(r.ms)} (${r.papers} papers) vs ${r.base}: ${fmtMs(r.baseMs)} (${r.basePapers}) = ${r.ratio.toFixed(2)}x`,
    );
  }
}
