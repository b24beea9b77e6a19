#!/usr/bin/env node
// `papers recommend`, measured (issue 14): LEXICAL quality on the real Daily Papers days,
// speed on generated archives. Runs the built code (npm run build first).
//
// LEXICAL: a topic here is words matched in the title and abstract, the very text the model
// reads, so this rewards lexical matching and overstates quality. The honest evaluation
// (topics from HF's AI keywords, which the model never reads; a TF-IDF centroid beside it)
// is bench/recommend.mjs, a section of `npm run bench`.
//
// Quality: the real days in ../shared/hf-papers-samples are imported through the CLI
// (`papers import`) into a temp archive. For each topic (a family of AI keywords), a reader
// stars 20 topic papers listed before the cut-off day (a seeded draw), then the papers listed
// after it are ranked; precision at 10 and 20 against the topic's papers, beside two baselines
// in the same run on the same archive: BM25 search with the starred titles as the query (any
// of their words), and `similar` from the most recent star.
//
// Speed: generated archives (bench/generate.mjs, the corpus of the main benchmark), each day
// saved in-process with its first-seen time on that day, as daily syncs would; 200 papers
// starred (a seeded draw); `recommendPapers` timed for the new papers of the last day (the
// default: since the mark) and for a week (`--since`). Median of runs after a warm-up.
//
//   node bench/recommend-eval.mjs                 quality, then speed at 10k and 100k
//   options: --only quality|speed, --scale 10k (repeatable), --cutoff YYYY-MM-DD, --out FILE
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GENERATOR_VERSION, parseScale, planDays, generateDays } from './generate.mjs';
import { buildPools, loadSamples, samplesDir } from './lib/samples.mjs';
import { Rng } from './lib/rng.mjs';
import { median, now } from './lib/measure.mjs';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(BENCH, '..');
// The core, compiled module by module from src/ (bench/lib/modules.mjs).
const { MODULES_DIR: DIST } = await import('./lib/modules.mjs');
const { openDb } = await import(join(DIST, 'db', 'open.js'));
const { saveDay } = await import(join(DIST, 'db', 'store.js'));
const { parseEntries } = await import(join(DIST, 'sources', 'hf-daily.js'));
const { importLibrary, saveStars } = await import(join(DIST, 'core', 'library.js'));
const { recommendPapers } = await import(join(DIST, 'core', 'recommend.js'));
const { searchPapers } = await import(join(DIST, 'core', 'query.js'));
const { similarPapers } = await import(join(DIST, 'core', 'similar.js'));
const { setNewMark } = await import(join(DIST, 'core', 'new.js'));

const { values: opt } = parseArgs({
  options: {
    only: { type: 'string' },
    scale: { type: 'string', multiple: true },
    cutoff: { type: 'string', default: '2024-12-31' },
    stars: { type: 'string', default: '20' },
    seed: { type: 'string', default: '1' },
    negatives: { type: 'string' },
    out: { type: 'string', default: join(BENCH, '.cache', 'recommend-results.json') },
  },
});
const T0 = now();
const log = (m) => process.stderr.write(`[recommend ${((now() - T0) / 1000).toFixed(1).padStart(6)}s] ${m}\n`);
const results = { load: [os.loadavg()[0]], quality: null, library: null, speed: [] };
/** `--negatives N`: the sample of unstarred papers to train against (default: the code's). */
const NEG = opt.negatives ? { negatives: Number(opt.negatives) } : {};

// ---- quality ------------------------------------------------------------------------------

/**
 * Topics as families of keywords, matched as whole words (or prefixes where a `*` says so) in
 * the title or the abstract. A topic's papers are the ground truth; nothing of these lists
 * reaches the recommender, which sees only the 20 stars.
 */
export const TOPICS = {
  'mixture of experts': ['mixture of experts', 'mixture-of-experts', 'moe', 'expert routing', 'sparse experts'],
  'video generation': ['video generation', 'text-to-video', 'video diffusion', 'image-to-video', 'video synthesis'],
  'GUI and web agents': ['gui agent*', 'web agent*', 'computer use', 'computer-use', 'gui automation', 'mobile agent*'],
  quantization: ['quantization', 'quantized', 'low-bit', '4-bit', '2-bit', 'post-training quantization'],
  '3D Gaussians and radiance fields': [
    'gaussian splatting',
    '3d gaussian*',
    '3dgs',
    'nerf',
    'neural radiance field*',
    'radiance field*',
  ],
  'speech and TTS': [
    'text-to-speech',
    'tts',
    'speech synthesis',
    'speech recognition',
    'asr',
    'spoken language',
    'voice',
  ],
  'retrieval-augmented generation': ['retrieval-augmented', 'retrieval augmented', 'rag'],
  'code generation': [
    'code generation',
    'code llm*',
    'code model*',
    'software engineering',
    'programming',
    'code completion',
  ],
  'long context': ['long-context', 'long context', 'context window', 'context length', 'long sequence*'],
  robotics: ['robot*', 'robotic', 'embodied', 'manipulation', 'vision-language-action'],
  'KV cache': ['kv cache', 'kv-cache', 'key-value cache'],
  'preference optimization': [
    'preference optimization',
    'dpo',
    'rlhf',
    'reward model*',
    'human feedback',
    'preference data',
  ],
  'safety and jailbreaks': [
    'jailbreak*',
    'red teaming',
    'red-teaming',
    'safety alignment',
    'harmful',
    'adversarial prompt*',
  ],
  'medical AI': ['medical', 'clinical', 'radiology', 'biomedical', 'healthcare'],
  hallucination: ['hallucination*', 'hallucinate*'],
};

function topicMatcher(words) {
  const alts = words.map((w) =>
    w.replace(/[.*+?^${}()|[\]\\]/g, (c) => (c === '*' ? '\\w*' : '\\' + c)).replace(/ /g, '\\s+'),
  );
  const re = new RegExp(`(?<![\\w-])(?:${alts.join('|')})(?![\\w-])`, 'i');
  return (p) => re.test(p.title) || re.test(p.abstract);
}

function importSamples(dbPath) {
  const daily = join(samplesDir(), 'hf-api', 'daily');
  const files = readdirSync(daily)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .sort()
    .map((f) => join(daily, f));
  execFileSync(process.execPath, [join(ROOT, 'bin', 'papers.js'), 'import', '-q', '--db', dbPath, ...files], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return files.length;
}

const precision = (ids, truth, k) => (ids.length ? ids.slice(0, k).filter((id) => truth.has(id)).length / k : 0);

/** BM25 over the archive's FTS index with any word of the starred titles. */
function bm25Baseline(db, starred, since, k) {
  const words = [...new Set(starred.flatMap((p) => p.title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []))].filter((w) =>
    /\p{L}/u.test(w),
  );
  const query = words.map((w) => `"${w}"`).join(' OR ');
  const skip = new Set(starred.map((p) => p.id));
  const out = [];
  for (const h of searchPapers(db, { query, raw: true, since })) {
    if (!skip.has(h.id)) out.push(h.id);
    if (out.length >= k) break;
  }
  return out;
}

/**
 * The stars as a reader's reference manager exports them (BibTeX in the shapes of Zotero,
 * JabRef and Google Scholar: the arXiv id in eprint, in the URL, in note/number, in journal;
 * one entry with the arXiv DOI only), with an arXiv paper the archive lacks and two journal
 * articles. What import must find: the stars, 1 to fetch, 2 not on arXiv.
 */
function zoteroBib(starred) {
  const clean = (t) => t.replace(/[{}\\$%&#_^~]/g, '').replace(/\s+/g, ' ');
  const fields = [
    (id) => `eprint = {${id}},\n  archivePrefix = {arXiv},\n  primaryClass = {cs.CL}`,
    (id) => `url = {http://arxiv.org/abs/${id}v2},\n  publisher = {arXiv}`,
    (id) => `note = {arXiv:${id} [cs]},\n  number = {arXiv:${id}}`,
    (id) => `journal = {arXiv preprint arXiv:${id}}`,
  ];
  const entries = starred.map((p, i) => {
    const where = i === 0 ? `doi = {10.48550/arXiv.${p.id}}` : fields[i % fields.length](p.id);
    return `@misc{star${i},\n  title = {${clean(p.title)}},\n  author = {Lovelace, Ada},\n  ${where},\n  year = {2024},\n}`;
  });
  entries.push('@misc{missing,\n  title = {A paper the archive lacks},\n  url = {http://arxiv.org/abs/2101.00001},\n}');
  entries.push(
    '@article{journal1,\n  title = {Deep learning},\n  journal = {Nature},\n  doi = {10.1038/nature14539},\n}',
  );
  entries.push('@book{book1,\n  title = {Reinforcement learning: an introduction},\n  publisher = {The MIT Press},\n}');
  return entries.join('\n\n') + '\n';
}

async function quality() {
  const home = mkdtempSync(join(tmpdir(), 'papers-recommend-eval-'));
  const dbPath = join(home, 'papers.db');
  const t = now();
  const days = importSamples(dbPath);
  log(`imported ${days} real days through \`papers import\` in ${((now() - t) / 1000).toFixed(1)} s`);
  const db = openDb(dbPath);
  const papers = db
    .prepare(
      `SELECT p.id, p.title, p.abstract, (SELECT min(day) FROM listings l WHERE l.paper_id = p.id) AS day FROM papers p ORDER BY p.id`,
    )
    .all();
  const cutoff = opt.cutoff;
  const since = new Date(Date.parse(`${cutoff}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const after = papers.filter((p) => p.day > cutoff);
  const nStars = Number(opt.stars);
  const rows = [];
  for (const [name, words] of Object.entries(TOPICS)) {
    const inTopic = topicMatcher(words);
    const before = papers.filter((p) => p.day <= cutoff && inTopic(p));
    const truth = new Set(after.filter(inTopic).map((p) => p.id));
    if (before.length < nStars) {
      log(`skipping ${name}: ${before.length} papers before ${cutoff}, fewer than ${nStars}`);
      continue;
    }
    // A reader's stars: a seeded draw among the topic's papers before the cut-off.
    const rng = new Rng(Number(opt.seed), name);
    const pool = [...before];
    for (let i = pool.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    const starred = pool.slice(0, nStars);
    db.exec('DELETE FROM stars');
    saveStars(
      db,
      starred.map((p) => p.id),
      { now: new Date('2025-07-01T00:00:00Z') },
    );
    const t1 = now();
    const rec = recommendPapers(db, { filter: { since }, limit: 20, ...NEG }).papers.map((p) => p.id);
    const ms = now() - t1;
    // The same stars through a BibTeX file: the same counts as the file holds, the same ranking.
    db.exec('DELETE FROM stars');
    const bib = join(home, 'library.bib');
    writeFileSync(bib, zoteroBib(starred));
    const imp = await importLibrary({ db, now: () => new Date('2025-07-01T00:00:00Z') }, bib);
    const viaBib = recommendPapers(db, { filter: { since }, limit: 20, ...NEG }).papers.map((p) => p.id);
    const library = {
      matched: imp.matched.length,
      fetchable: imp.fetchable.length,
      notArxiv: imp.notArxiv.length,
      sameRanking: viaBib.join() === rec.join(),
    };
    const bm25 = bm25Baseline(db, starred, since, 20);
    const latest = [...starred].sort((a, b) => b.day.localeCompare(a.day) || b.id.localeCompare(a.id))[0];
    const sim = similarPapers(db, latest.id, { since, limit: 20 }).hits.map((h) => h.id);
    rows.push({
      topic: name,
      before: before.length,
      after: truth.size,
      ms: Math.round(ms),
      library,
      recommend: [precision(rec, truth, 10), precision(rec, truth, 20)],
      bm25: [precision(bm25, truth, 10), precision(bm25, truth, 20)],
      similar: [precision(sim, truth, 10), precision(sim, truth, 20)],
    });
  }
  db.close();
  rmSync(home, { recursive: true, force: true });
  const libOk = rows.filter(
    (r) => r.library.matched === nStars && r.library.fetchable === 1 && r.library.notArxiv === 2,
  );
  const same = rows.filter((r) => r.library.sameRanking);
  results.library = { topics: rows.length, countsAsFile: libOk.length, sameRanking: same.length };
  const mean = (f) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
  const avg = {
    recommend: [mean((r) => r.recommend[0]), mean((r) => r.recommend[1])],
    bm25: [mean((r) => r.bm25[0]), mean((r) => r.bm25[1])],
    similar: [mean((r) => r.similar[0]), mean((r) => r.similar[1])],
  };
  const f = (x) => x.toFixed(2);
  const lines = [
    `Lexical quality (topics matched in the text the model reads; see bench/recommend.mjs for the honest one): ${papers.length} real papers (${days} days), cut-off ${cutoff}: ${after.length} papers listed after it are ranked; ${nStars} stars per topic`,
    '',
    '| topic | topic papers before / after | recommend P@10 | P@20 | BM25 (starred titles) P@10 | P@20 | similar (latest star) P@10 | P@20 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.topic} | ${r.before} / ${r.after} | ${f(r.recommend[0])} | ${f(r.recommend[1])} | ${f(r.bm25[0])} | ${f(r.bm25[1])} | ${f(r.similar[0])} | ${f(r.similar[1])} |`,
    ),
    `| **mean of ${rows.length}** | | **${f(avg.recommend[0])}** | **${f(avg.recommend[1])}** | ${f(avg.bm25[0])} | ${f(avg.bm25[1])} | ${f(avg.similar[0])} | ${f(avg.similar[1])} |`,
    '',
    `Targets: mean P@10 >= 0.80: ${avg.recommend[0] >= 0.8 ? 'met' : 'NOT met'}; ` +
      `above both baselines: ${avg.recommend[0] > avg.bm25[0] && avg.recommend[0] > avg.similar[0] ? 'met' : 'NOT met'}`,
    '',
    `Library import (the stars as a Zotero/JabRef/Scholar-style BibTeX, one entry with the arXiv DOI only, ` +
      `plus 1 arXiv paper not in the archive and 2 journal items): counts as the file holds them ` +
      `(${nStars} matched, 1 for papers add, 2 not arXiv) for ${libOk.length} of ${rows.length} topics; ` +
      `the same top 20 as direct stars for ${same.length} of ${rows.length}`,
  ];
  console.log(lines.join('\n'));
  results.quality = { cutoff, papers: papers.length, ranked: after.length, stars: nStars, rows, mean: avg };
}

// ---- speed --------------------------------------------------------------------------------

/** A generated archive, cached in bench/.cache: each day saved with first_seen on that day. */
function generatedArchive(scale) {
  const dir = join(BENCH, '.cache');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `recommend-${scale.name}-s1-g${GENERATOR_VERSION}.db`);
  if (existsSync(path)) return path;
  const t = now();
  const pools = buildPools(loadSamples());
  const plan = planDays({ n: scale.n, seed: 1, pools });
  const tmp = `${path}.partial`;
  rmSync(tmp, { force: true });
  const db = openDb(tmp);
  for (const { day, entries } of generateDays({ plan, seed: 1, pools })) {
    const parsed = parseEntries(entries, day);
    saveDay(db, {
      source: 'hf',
      day,
      entries: parsed.entries,
      skipped: parsed.skipped,
      requests: 1,
      via: 'bench',
      now: `${day}T08:00:00.000Z`,
    });
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  execFileSync('mv', [tmp, path]);
  rmSync(`${tmp}-wal`, { force: true });
  rmSync(`${tmp}-shm`, { force: true });
  log(`built the ${scale.name} archive in ${((now() - t) / 1000).toFixed(1)} s`);
  return path;
}

function speed(scale) {
  const src = generatedArchive(scale);
  // A copy: stars and the mark are written.
  const home = mkdtempSync(join(tmpdir(), 'papers-recommend-speed-'));
  const path = join(home, 'papers.db');
  execFileSync('cp', [src, path]);
  const db = openDb(path);
  const n = db.prepare('SELECT count(*) FROM papers').pluck().get();
  const days = db.prepare('SELECT DISTINCT day FROM listings ORDER BY day DESC LIMIT 6').pluck().all();
  const ids = db.prepare('SELECT id FROM papers ORDER BY id').pluck().all();
  const rng = new Rng(1, `stars-${scale.name}`);
  const stars = new Set();
  while (stars.size < 200) stars.add(ids[Math.floor(rng.next() * ids.length)]);
  saveStars(db, [...stars], { now: new Date('2026-11-01T00:00:00Z') });
  // The mark at the end of the day before the last: the last day's papers are new.
  setNewMark(db, `${days[1]}T08:00:00.000Z`);
  const cases = [
    ['new since the mark (last day)', {}],
    ['--since a week', { filter: { since: days[5] } }],
  ];
  const rows = [];
  for (const [name, o] of cases) {
    let r;
    const times = [];
    const cpus = [];
    for (let i = 0; i < 6; i++) {
      const t = now();
      const cpu0 = process.cpuUsage();
      r = recommendPapers(db, { ...o, limit: 20, why: 5, ...NEG });
      const c = process.cpuUsage(cpu0);
      // The first run warms the page cache.
      if (i > 0) {
        times.push(now() - t);
        cpus.push((c.user + c.system) / 1000);
      }
    }
    rows.push({
      scale: scale.name,
      papers: n,
      case: name,
      candidates: r.candidates,
      negatives: r.negatives,
      stars: r.stars,
      p50: median(times),
      max: Math.max(...times),
      cpu: median(cpus),
    });
  }
  db.close();
  rmSync(home, { recursive: true, force: true });
  return rows;
}

// ---- main ---------------------------------------------------------------------------------

const only = opt.only ? new Set(opt.only.split(',')) : new Set(['quality', 'speed']);
if (only.has('quality')) await quality();
if (only.has('speed')) {
  const scales = (opt.scale?.length ? opt.scale.flatMap((s) => s.split(',')) : ['10k', '100k']).map(parseScale);
  for (const s of scales) {
    log(`speed at ${s.name}`);
    results.speed.push(...speed(s));
  }
  results.load.push(os.loadavg()[0]);
  const target = (r) => (r.papers <= 20_000 ? 500 : 2000);
  console.log(
    [
      '',
      'Speed: train on 200 stars against the archive, rank the candidates, top 20 with --why (median of 5 after a warm-up)',
      `load average (1 min) at the start and the end: ${results.load.map((l) => l.toFixed(1)).join(', ')} on ${os.cpus().length} cores`,
      '',
      '| archive | candidates | trained on (stars + others) | wall p50 | wall max | CPU p50 | target (wall) |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...results.speed.map(
        (r) =>
          `| ${r.scale}, ${r.case} | ${r.candidates} | ${r.stars} + ${r.negatives} | ${Math.round(r.p50)} ms | ` +
          `${Math.round(r.max)} ms | ${Math.round(r.cpu)} ms | < ${target(r)} ms: ${r.p50 < target(r) ? 'met' : 'NOT met'} |`,
      ),
    ].join('\n'),
  );
}
mkdirSync(join(opt.out, '..'), { recursive: true });
writeFileSync(opt.out, JSON.stringify(results, null, 2));
log(`wrote ${opt.out}`);
