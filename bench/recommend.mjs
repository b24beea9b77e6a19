// `papers recommend`, measured honestly (issue 24): a section of `npm run bench`, and a script
// of its own (`node bench/recommend.mjs [--quick] [--seeds 1,2,3] [--stars 20,5] [--cutoff D]`).
//
// Quality. The real days of ../shared/hf-papers-samples are saved into a temp archive. A topic
// is a family of Hugging Face's AI keywords (`ai_keywords`, on papers listed from 2025-03):
// a paper is in the topic when one of its keywords matches. The recommender never reads
// ai_keywords (nor ai_summary, written by the same model): its features are titles, abstracts,
// authors and arXiv categories only (core/recommend-model.ts). A simulated reader stars N
// topic papers listed on or before the cut-off day (a seeded draw), tagged with the topic;
// then `recommendPapers(--tag topic --since cut-off+1)` ranks every paper listed after it,
// and precision@10 and @20 count the topic's papers among the top. Beside it, in the same
// run, on the same stars and candidates: a TF-IDF centroid of the stars (cosine) and BM25 of
// the starred titles (the archive's FTS index, any of their words).
//
// Speed (in run.mjs, per scale): `papers recommend` over a week at 100k papers, and
// `today --source arxiv` ranked by the model against the same day's `list`.
import { readdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { core, saveDayFile } from './lib/modules.mjs';
import { samplesDir } from './lib/samples.mjs';
import { Rng } from './lib/rng.mjs';
import { median, now } from './lib/measure.mjs';

const { openDb } = await core('db/open.js');
const { saveStars } = await core('core/library.js');
const { recommendPapers } = await core('core/recommend.js');
const { searchPapers, listPapers } = await core('core/query.js');
const { orderForYou } = await core('core/recommend.js');

/**
 * Topics as patterns over one AI keyword each (lower-cased). Only these decide the truth;
 * none of it reaches the recommender, which sees the stars and their tag.
 */
export const TOPICS = {
  'RL for LLMs': /reinforcement learning|\brl\b|grpo|policy optimization|verifiable reward|rlvr|\bppo\b/,
  'image generation': /text-to-image|image generation|image synthesis|image editing/,
  'video generation': /video generation|video diffusion|text-to-video|image-to-video|video synthesis/,
  'multimodal LLMs': /multimodal large language|mllm|vision-language model|\bvlms?\b|lvlm/,
  'retrieval and RAG': /retrieval|\brag\b/,
  agents: /\bagents?\b|agentic|tool use|tool-use|\bgui\b/,
  'math reasoning': /math|aime|gsm8k/,
  'efficient inference':
    /quantiz|kv cache|pruning|sparse attention|speculative decoding|inference efficiency|compression/,
  '3D': /\b3d\b|gaussian splatting|nerf|radiance field|point cloud|mesh/,
  'speech and audio': /speech|audio|\btts\b|voice|music/,
  'robotics and embodied': /robot|embodied|vision-language-action|manipulation/,
  'preference alignment': /preference|\bdpo\b|rlhf|reward model/,
  'chain of thought, test-time': /chain.of.thought|test-time|\bcot\b/,
  diffusion: /diffusion/,
};

const CUTOFF = '2025-05-15';
const TAG = (name) => name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '');

/** Saves every real day into a fresh archive (as daily syncs would), in-process. */
function realArchive() {
  const home = mkdtempSync(join(tmpdir(), 'papers-recommend-eval-'));
  const db = openDb(join(home, 'papers.db'));
  const daily = join(samplesDir(), 'hf-api', 'daily');
  const files = readdirSync(daily)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .sort();
  for (const f of files) saveDayFile(db, join(daily, f), `${f.slice(0, 10)}T08:00:00.000Z`);
  return { db, home, days: files.length };
}

// ---- the TF-IDF centroid baseline: the plain thing, written out here (not the model's code) --

const STOP = new Set(
  `a about above after again against all an and any are as at be been before being below between both but by can
  could did do does doing down during each few for from further had has have having he her here hers him his how
  i if in into is it its itself just me more most my no nor not now of off on once only or other our ours out over
  own same she should so some such than that the their theirs them then there these they this those through to too
  under until up very was we were what when where which while who whom why will with would you your`.split(/\s+/),
);
const words = (s) => (s.toLowerCase().match(/[a-z0-9]{2,}/g) ?? []).filter((w) => !STOP.has(w) && /[a-z]/.test(w));

/** Unit TF-IDF vectors (sublinear tf, smoothed idf) of every paper's title and abstract. */
function tfidfIndex(papers) {
  const df = new Map();
  const tfs = papers.map((p) => {
    const tf = new Map();
    for (const w of words(`${p.title} ${p.abstract}`)) tf.set(w, (tf.get(w) ?? 0) + 1);
    for (const w of tf.keys()) df.set(w, (df.get(w) ?? 0) + 1);
    return tf;
  });
  const n = papers.length;
  const vecs = new Map();
  papers.forEach((p, i) => {
    const v = new Map();
    let norm = 0;
    for (const [w, c] of tfs[i]) {
      const x = (1 + Math.log(c)) * (Math.log((1 + n) / (1 + df.get(w))) + 1);
      v.set(w, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [w, x] of v) v.set(w, x / norm);
    vecs.set(p.id, v);
  });
  return vecs;
}

function centroidRank(vecs, starred, candidates, k) {
  const c = new Map();
  for (const s of starred) for (const [w, x] of vecs.get(s.id)) c.set(w, (c.get(w) ?? 0) + x / starred.length);
  const scored = candidates.map((p) => {
    let dot = 0;
    for (const [w, x] of vecs.get(p.id)) dot += x * (c.get(w) ?? 0);
    return [dot, p.id];
  });
  scored.sort((a, b) => b[0] - a[0] || a[1].localeCompare(b[1]));
  return scored.slice(0, k).map((s) => s[1]);
}

/** BM25 over the archive's FTS index with any word of the starred titles. */
function bm25Rank(db, starred, since, k) {
  const ws = [...new Set(starred.flatMap((p) => p.title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []))].filter((w) =>
    /\p{L}/u.test(w),
  );
  const skip = new Set(starred.map((p) => p.id));
  const out = [];
  for (const h of searchPapers(db, { query: ws.map((w) => `"${w}"`).join(' OR '), raw: true, since })) {
    if (!skip.has(h.id)) out.push(h.id);
    if (out.length >= k) break;
  }
  return out;
}

const precision = (ids, truth, k) => ids.slice(0, k).filter((id) => truth.has(id)).length / k;

function shuffled(list, rng) {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * The quality evaluation. Returns per (stars, topic) the mean over seeds of P@10 and P@20 for
 * the model and both baselines, and the means over topics.
 * `opts.model` is passed to recommendPapers (the ablations vary it).
 */
export function evaluateQuality({
  seeds = [1, 2, 3],
  stars = [20, 5],
  cutoff = CUTOFF,
  log = () => {},
  model = {},
  topics = TOPICS,
} = {}) {
  const t0 = now();
  const { db, home, days } = realArchive();
  try {
    const papers = db
      .prepare(
        `SELECT p.id, p.title, p.abstract, p.ai_keywords AS kw,
          (SELECT min(day) FROM listings l WHERE l.paper_id = p.id) AS day FROM papers p ORDER BY p.id`,
      )
      .all()
      .map((p) => ({ ...p, kw: JSON.parse(p.kw).map((k) => k.toLowerCase()) }));
    log(`recommend: ${papers.length} real papers of ${days} days saved in ${((now() - t0) / 1000).toFixed(1)} s`);
    const since = new Date(Date.parse(`${cutoff}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const after = papers.filter((p) => p.day > cutoff);
    const vecs = tfidfIndex(papers);
    const runs = [];
    let ms = 0;
    let calls = 0;
    for (const n of stars) {
      for (const [name, re] of Object.entries(topics)) {
        const inTopic = (p) => p.kw.some((k) => re.test(k));
        const before = papers.filter((p) => p.day <= cutoff && inTopic(p));
        const truth = new Set(after.filter(inTopic).map((p) => p.id));
        if (before.length < n) continue;
        const per = { model: [], centroid: [], bm25: [] };
        for (const seed of seeds) {
          const starred = shuffled(before, new Rng(seed, `${name}/${n}`)).slice(0, n);
          db.exec('DELETE FROM star_tags; DELETE FROM stars');
          saveStars(
            db,
            starred.map((p) => p.id),
            { tags: [TAG(name)], now: new Date('2025-07-01T00:00:00Z') },
          );
          const t = now();
          const rec = recommendPapers(db, { filter: { since }, tag: TAG(name), limit: 20, model });
          ms += now() - t;
          calls++;
          const ids = rec.papers.map((p) => p.id);
          const cands = after.filter((p) => !starred.some((s) => s.id === p.id));
          const cen = centroidRank(vecs, starred, cands, 20);
          const bm = bm25Rank(db, starred, since, 20);
          per.model.push([precision(ids, truth, 10), precision(ids, truth, 20)]);
          per.centroid.push([precision(cen, truth, 10), precision(cen, truth, 20)]);
          per.bm25.push([precision(bm, truth, 10), precision(bm, truth, 20)]);
        }
        const avg = (xs, i) => xs.reduce((s, x) => s + x[i], 0) / xs.length;
        const row = { stars: n, topic: name, before: before.length, after: truth.size };
        for (const k of Object.keys(per)) row[k] = [avg(per[k], 0), avg(per[k], 1)];
        row.perSeed = per.model.map((x) => x[0]);
        runs.push(row);
      }
    }
    const means = {};
    for (const n of stars) {
      const rs = runs.filter((r) => r.stars === n);
      const m = (k, i) => rs.reduce((s, r) => s + r[k][i], 0) / rs.length;
      means[n] = { topics: rs.length };
      for (const k of ['model', 'centroid', 'bm25']) means[n][k] = [m(k, 0), m(k, 1)];
    }
    return {
      cutoff,
      since,
      papers: papers.length,
      candidates: after.length,
      seeds,
      rows: runs,
      means,
      msPerCall: ms / calls,
    };
  } finally {
    db.close();
    rmSync(home, { recursive: true, force: true });
  }
}

/** The evaluation as Markdown: per-topic and mean P@10/P@20 of the model and both baselines, and the targets. */
export function qualityTable(q) {
  const f = (x) => x.toFixed(2);
  const out = [
    `Quality on the real days: ${q.papers} papers; stars from topic papers listed on or before ${q.cutoff}, ` +
      `the ${q.candidates} papers listed after it ranked; topics from HF's ai_keywords, which the model does not read; ` +
      `seeds ${q.seeds.join(', ')} (mean over seeds); ${q.msPerCall.toFixed(0)} ms per recommend`,
  ];
  for (const [n, m] of Object.entries(q.means).sort((a, b) => b[0] - a[0])) {
    out.push(
      '',
      `${n} stars:`,
      '',
      '| topic | topic papers before / after | model P@10 | P@20 | TF-IDF centroid P@10 | P@20 | BM25 titles P@10 | P@20 |',
      '| --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const r of q.rows.filter((r) => r.stars === Number(n)))
      out.push(
        `| ${r.topic} | ${r.before} / ${r.after} | ${f(r.model[0])} | ${f(r.model[1])} | ${f(r.centroid[0])} | ${f(r.centroid[1])} | ${f(r.bm25[0])} | ${f(r.bm25[1])} |`,
      );
    out.push(
      `| **mean of ${m.topics}** | | **${f(m.model[0])}** | **${f(m.model[1])}** | ${f(m.centroid[0])} | ${f(m.centroid[1])} | ${f(m.bm25[0])} | ${f(m.bm25[1])} |`,
    );
  }
  out.push(
    '',
    ...qualityTargets(q).map(
      (t) => `${t.what}: ${t.value.toFixed(2)} vs ${t.need.toFixed(2)}: ${t.met ? 'met' : 'NOT met'}`,
    ),
  );
  return out.join('\n');
}

/** The targets: 20 stars: P@10 >= 0.80 and >= centroid + 0.08; 5 stars: >= centroid. */
export function qualityTargets(q) {
  const t = [];
  const m20 = q.means[20];
  const m5 = q.means[5];
  if (m20) {
    t.push({ what: 'mean P@10, 20 stars, >= 0.80', value: m20.model[0], need: 0.8, met: m20.model[0] >= 0.8 });
    t.push({
      what: 'mean P@10, 20 stars, >= centroid + 0.08',
      value: m20.model[0],
      need: m20.centroid[0] + 0.08,
      met: m20.model[0] >= m20.centroid[0] + 0.08 - 1e-9,
    });
  }
  if (m5)
    t.push({
      what: 'mean P@10, 5 stars, >= centroid',
      value: m5.model[0],
      need: m5.centroid[0],
      met: m5.model[0] >= m5.centroid[0] - 1e-9,
    });
  return t;
}

// ---- speed ------------------------------------------------------------------------------------

/**
 * `recommend` and the arXiv day ranked for you, timed in-process on an archive (a generated
 * one of run.mjs), inside a transaction rolled back at the end (the stars are written, the
 * archive is left as it was). 20 stars (a seeded draw). Medians of `reps` runs after a warm-up.
 * - recommend: the papers listed in the last 7 days, top 20 with --why, against `list` of the
 *   same papers (reading them is part of both).
 * - a day ranked for you: the latest `day` papers listed (an arXiv announcement's size), ordered
 *   by the model (orderForYou, what `today --source arxiv` and `list --sort for-you` call),
 *   against reading them in list order: the model's cost is the difference.
 */
export function measureSpeed(dbPath, { reps = 3, seed = 1, day = 2000 } = {}) {
  const db = openDb(dbPath);
  try {
    const n = db.prepare('SELECT count(*) FROM papers').pluck().get();
    const days = db.prepare('SELECT DISTINCT day FROM listings ORDER BY day DESC LIMIT 7').pluck().all();
    const ids = db.prepare('SELECT id FROM papers ORDER BY pk').pluck().all();
    const rng = new Rng(seed, 'recommend-speed');
    const stars = new Set();
    while (stars.size < 20) stars.add(ids[Math.floor(rng.next() * ids.length)]);
    db.exec('BEGIN');
    try {
      saveStars(db, [...stars], { now: new Date('2026-01-01T00:00:00Z') });
      const since = days.at(-1);
      const time = (f) => {
        f();
        const ts = [];
        for (let i = 0; i < reps; i++) {
          const t = now();
          f();
          ts.push(now() - t);
        }
        return median(ts);
      };
      let rec;
      const recommendMs = time(() => {
        rec = recommendPapers(db, { filter: { since }, limit: 20, why: 5 });
      });
      const listMs = time(() => [...listPapers(db, { since, limit: undefined })]);
      const dayPapers = [...listPapers(db, { limit: day })];
      let ranked;
      const rankMs = time(() => {
        ranked = orderForYou(db, dayPapers, { limit: undefined });
      });
      const dayListMs = time(() => [...listPapers(db, { limit: day })]);
      return {
        papers: n,
        since,
        candidates: rec.candidates,
        trained: `${rec.stars} + ${rec.negatives}`,
        recommendMs,
        listMs,
        day: ranked.length,
        rankMs,
        dayListMs,
      };
    } finally {
      db.exec('ROLLBACK');
    }
  } finally {
    db.close();
  }
}

// ---- standalone -------------------------------------------------------------------------------

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: o } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      seeds: { type: 'string' },
      stars: { type: 'string', default: '20,5' },
      cutoff: { type: 'string', default: CUTOFF },
      model: { type: 'string', default: '{}' },
    },
  });
  const seeds = (o.seeds ?? (o.quick ? '1,2' : '1,2,3,4,5')).split(',').map(Number);
  const q = evaluateQuality({
    seeds,
    stars: o.stars.split(',').map(Number),
    cutoff: o.cutoff,
    model: JSON.parse(o.model),
    log: (m) => process.stderr.write(`${m}\n`),
  });
  console.log(qualityTable(q));
}
