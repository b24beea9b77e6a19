#!/usr/bin/env node
// Search finds a paper from a fragment of its title (issue 11.8). Loads every real day in
// ../shared/hf-papers-samples (read at run time) into a temporary archive with the built
// code (run `npm run build` first), takes title fragments of real papers (3 to 6
// consecutive words from inside the title, seeded), and reports the share whose paper is
// in the top 3: before (the plain BM25 ranking search used, ORDER BY rank) and after
// (searchPapers). It also checks that the topic queries of the benchmark that match no
// title phrase keep a top 20 identical to the full BM25 ranking.
//
//   node bench/title-fragments.mjs [--n 300] [--seed 1] [--json]
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from './lib/rng.mjs';
import { buildPools, loadSamples, samplesDir, topicQueries } from './lib/samples.mjs';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '300' }, seed: { type: 'string', default: '1' }, json: { type: 'boolean' } },
});
const N = Number(values.n);
const rng = new Rng(Number(values.seed), 'title-fragments');

const { MODULES: dist, saveDayFile } = await import('./lib/modules.mjs');
const { openDb } = await import(new URL('db/open.js', dist));
const { searchPapers, quoteFts, titlePhrase, titleHasPhrase } = await import(new URL('core/query.js', dist));

const home = mkdtempSync(join(tmpdir(), 'papers-fragments-'));
const db = openDb(join(home, 'papers.db'));
const dailyDir = join(samplesDir(), 'hf-api', 'daily');
for (const f of readdirSync(dailyDir)
  .filter((x) => /^\d{4}-\d{2}-\d{2}\.json$/.test(x))
  .sort()) {
  saveDayFile(db, join(dailyDir, f), '2026-01-01T00:00:00.000Z');
}
const papers = db.prepare('SELECT pk, id, title FROM papers ORDER BY pk').all();

// Fragments: 3 to 6 consecutive words of a title (never the whole title), any
// punctuation kept as typed. A fragment found verbatim in more than 3 titles cannot put
// every one of them in the top 3: it is skipped and counted.
const fragments = [];
let ambiguous = 0;
const order = papers
  .map((p) => [rng.next(), p])
  .sort((a, b) => a[0] - b[0])
  .map(([, p]) => p);
for (const p of order) {
  if (fragments.length >= N) break;
  const words = p.title.split(/\s+/).filter(Boolean);
  if (words.length < 5) continue;
  const len = Math.min(rng.int(3, 6), words.length - 1);
  const start = rng.int(0, words.length - len);
  const fragment = words.slice(start, start + len).join(' ');
  const phrase = titlePhrase(fragment);
  if (!phrase) continue;
  if (papers.filter((q) => titleHasPhrase(q.title, phrase)).length > 3) {
    ambiguous++;
    continue;
  }
  fragments.push({ id: p.id, title: p.title, fragment });
}

const bm25 = db
  .prepare(
    'SELECT p.id FROM papers_fts f JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH ? ORDER BY rank, f.rowid LIMIT ?',
  )
  .pluck();
let before = 0;
let after = 0;
const misses = [];
for (const f of fragments) {
  const b = bm25.all(quoteFts(f.fragment), 3);
  const a = [...searchPapers(db, { query: f.fragment, limit: 3 })].map((h) => h.id);
  if (b.includes(f.id)) before++;
  if (a.includes(f.id)) after++;
  else misses.push(f);
}

// The ranking property: topic queries with no title phrase keep the full BM25 top 20.
const topics = topicQueries(buildPools(loadSamples()));
let noPhrase = 0;
let identical = 0;
for (const t of topics) {
  const phrase = titlePhrase(t.query);
  if (phrase && papers.some((p) => titleHasPhrase(p.title, phrase))) continue;
  noPhrase++;
  const ref = bm25.all(quoteFts(t.query), 20);
  const ours = [...searchPapers(db, { query: t.query, limit: 20 })].map((h) => h.id);
  if (ref.length === ours.length && ref.every((id, i) => id === ours[i])) identical++;
}
db.close();
rmSync(home, { recursive: true, force: true });

const pct = (x) => `${((100 * x) / fragments.length).toFixed(1)}%`;
const result = {
  papers: papers.length,
  fragments: fragments.length,
  skippedAmbiguous: ambiguous,
  top3Before: before,
  top3After: after,
  shareBefore: before / fragments.length,
  shareAfter: after / fragments.length,
  target: 0.95,
  topicsWithoutTitlePhrase: noPhrase,
  topicsTop20Identical: identical,
  misses: misses.map((m) => m.fragment),
};
if (values.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
else {
  console.log(
    `${papers.length} real papers; ${fragments.length} title fragments (${ambiguous} skipped: in more than 3 titles)`,
  );
  console.log(
    `in the top 3: before ${before}/${fragments.length} (${pct(before)}), after ${after}/${fragments.length} (${pct(after)}); target 95%`,
  );
  console.log(
    `topic queries matching no title phrase: ${identical}/${noPhrase} with the top 20 identical to the full BM25 ranking`,
  );
  for (const m of misses) console.log(`  miss: "${m.fragment}" (${m.id} ${m.title})`);
}
