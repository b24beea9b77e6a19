import type { DB } from '../db/open.js';
import { starredIds } from './library.js';
import { getNewMark, latestFirstSeen, readNew, type NewWindow } from './new.js';
import type { Paper } from './papers.js';
import { getPaper, listPapers, type PaperFilter } from './query.js';

/** Fewer stars than this train nothing useful. */
export const MIN_STARS = 3;
/**
 * About this many unstarred papers train the model (a sample of a larger archive): on the
 * real days precision held from 300 to 2,500 (bench/recommend-eval.mjs --negatives N), and
 * the cost of a run is mostly reading these papers' text.
 */
export const NEGATIVE_SAMPLE = 1500;
const MIN_DF = 2;
const MAX_DF = 0.2;
/** SVM cost; classes are weighted so that both sides weigh the same in total. */
const C = 1;
const EPSILON = 0.1;
const MAX_ITER = 200;
const SEED = 0x5eed;

export interface RecommendOptions {
  /**
   * Which papers to rank. With a day range (`since`/`until`): the papers listed in it, as
   * `list`. Otherwise the papers first seen since the new-mark, as `new` (the other filters
   * narrow them), or in `window` when given.
   */
  filter?: PaperFilter;
  window?: NewWindow;
  /** Train on the stars with this tag; default all stars. */
  tag?: string;
  limit?: number;
  /** How many explaining terms per paper (0: none). */
  why?: number;
  /** About how many unstarred papers to train against at most (NEGATIVE_SAMPLE; the benchmark varies it). */
  negatives?: number;
}

export interface Recommended extends Paper {
  score: number;
  /** The terms that weighed most for the paper, most first (with `why`). */
  why?: string[];
}

export interface RecommendResult {
  papers: Recommended[];
  /** Stars the model was trained on. */
  stars: number;
  /** Unstarred papers it was trained against. */
  negatives: number;
  /** Papers ranked (before the limit). */
  candidates: number;
  /** Set when nothing was ranked for a reason the reader can act on. */
  notice?: { code: 'too-few-stars'; message: string; hint: string };
}

// ---- text -----------------------------------------------------------------------------------

const STOP = new Set(
  `a about above after again against all almost along also although am among an and another any are as at be
  because been before being below between both but by can could did do does doing done down during each either
  etc even ever every few for from further had has have having he her here hers him his how however i if in into
  is it its itself just may me might more most much must my no nor not now of off often on once only or other
  our ours out over own per rather same she should since so some such than that the their theirs them then there
  therefore these they this those though through thus to too under until up upon us very via was we well were what
  when where whether which while who whom whose why will with within without would yet you your
  paper propose proposed present presents introduce introduces show shows shown demonstrate demonstrates result
  results approach approaches method methods novel new use used using based existing work works furthermore
  moreover significantly significant achieve achieves achieved state art extensive experiments experiment
  code available github https http www com org`.split(/\s+/),
);

/** Harman's S-stemmer: plurals folded, nothing else (stems stay words a reader knows). */
function stem(w: string): string {
  const n = w.length;
  if (n < 4 || w.charCodeAt(n - 1) !== 115 /* s */) return w;
  if (w.endsWith('ies') && !w.endsWith('eies') && !w.endsWith('aies')) return w.slice(0, -3) + 'y';
  if (w.endsWith('es') && !w.endsWith('aes') && !w.endsWith('ees') && !w.endsWith('oes')) return w.slice(0, -1);
  if (w.endsWith('us') || w.endsWith('ss') || w.endsWith('is')) return w;
  return w.slice(0, -1);
}

const LETTER = /[a-z]/;

/**
 * Terms as dense integer ids: words (through a cache of raw tokens, so each distinct token is
 * stemmed once) and pairs of words (an open-addressing table on the two word ids). Integer
 * ids keep the per-paper counting free of garbage: at 100k papers that is most of the time.
 */
class Terms {
  private readonly wordIds = new Map<string, number>();
  /** term id -> its word, or '' for a pair */
  private readonly words: string[] = [];
  /** term id -> first and second word of a pair (-1 for a word) */
  private readonly firsts: number[] = [];
  private readonly seconds: number[] = [];
  // Raw tokens -> word id (or -1), open addressing on a hash of the characters computed while
  // scanning: a token seen before is found without slicing it out of the text.
  private tokKeys: string[] = new Array<string>(1 << 14).fill('');
  private tokHash = new Int32Array(1 << 14);
  private tokVals = new Int32Array(1 << 14);
  private tokens = 0;
  private keysA = new Int32Array(1 << 16).fill(-1);
  private keysB = new Int32Array(1 << 16);
  private vals = new Int32Array(1 << 16);
  private pairs = 0;
  /** After fitting, new pairs are not added: they have no feature anyway. */
  frozen = false;

  get count(): number {
    return this.words.length;
  }

  /** The word id of s[start, end) whose FNV-1a hash is `hash`: -1 for a stop word, a number, a letter. */
  token(s: string, start: number, end: number, hash: number): number {
    const mask = this.tokKeys.length - 1;
    const len = end - start;
    let h = hash & mask;
    for (let k = this.tokKeys[h]!; k !== ''; k = this.tokKeys[h]!) {
      if (this.tokHash[h] === hash && k.length === len && s.startsWith(k, start)) return this.tokVals[h]!;
      h = (h + 1) & mask;
    }
    const token = s.slice(start, end);
    const id = this.word(token);
    if (2 * (this.tokens + 1) > this.tokKeys.length) this.growTokens();
    this.putToken(token, hash, id);
    return id;
  }

  private word(token: string): number {
    if (token.length < 2 || STOP.has(token) || !LETTER.test(token)) return -1;
    const w = stem(token);
    let id = this.wordIds.get(w);
    if (id === undefined) {
      id = this.add(w, -1, -1);
      this.wordIds.set(w, id);
    }
    return id;
  }

  private putToken(token: string, hash: number, id: number): void {
    const mask = this.tokKeys.length - 1;
    let h = hash & mask;
    while (this.tokKeys[h] !== '') h = (h + 1) & mask;
    this.tokKeys[h] = token;
    this.tokHash[h] = hash;
    this.tokVals[h] = id;
    this.tokens++;
  }

  private growTokens(): void {
    const [keys, hashes, vals] = [this.tokKeys, this.tokHash, this.tokVals];
    this.tokKeys = new Array<string>(keys.length * 2).fill('');
    this.tokHash = new Int32Array(keys.length * 2);
    this.tokVals = new Int32Array(keys.length * 2);
    this.tokens = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== '') this.putToken(keys[i]!, hashes[i]!, vals[i]!);
  }

  pair(a: number, b: number): number {
    const mask = this.keysA.length - 1;
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
    while (this.keysA[h] !== -1) {
      if (this.keysA[h] === a && this.keysB[h] === b) return this.vals[h]!;
      h = (h + 1) & mask;
    }
    if (this.frozen) return -1;
    if (2 * (this.pairs + 1) > this.keysA.length) {
      this.grow();
      return this.pair(a, b);
    }
    this.keysA[h] = a;
    this.keysB[h] = b;
    this.pairs++;
    return (this.vals[h] = this.add('', a, b));
  }

  text(t: number): string {
    const a = this.firsts[t]!;
    return a < 0 ? this.words[t]! : `${this.words[a]} ${this.words[this.seconds[t]!]}`;
  }

  private add(word: string, a: number, b: number): number {
    this.words.push(word);
    this.firsts.push(a);
    this.seconds.push(b);
    return this.words.length - 1;
  }

  private grow(): void {
    const [ka, kb, v] = [this.keysA, this.keysB, this.vals];
    const size = ka.length * 2;
    this.keysA = new Int32Array(size).fill(-1);
    this.keysB = new Int32Array(size);
    this.vals = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] === -1) continue;
      let h = (Math.imul(ka[i]!, 0x9e3779b1) ^ Math.imul(kb[i]!, 0x85ebca6b)) & mask;
      while (this.keysA[h] !== -1) h = (h + 1) & mask;
      this.keysA[h] = ka[i]!;
      this.keysB[h] = kb[i]!;
      this.vals[h] = v[i]!;
    }
  }
}

/** The terms of one text and their counts; reused from paper to paper. */
class Counter {
  private stamp = new Int32Array(1 << 16);
  private slot = new Int32Array(1 << 16);
  private doc = 0;
  ids: number[] = [];
  tfs: number[] = [];

  /** Words (lower-cased letters and digits) and pairs of neighbouring words. */
  count(text: string, terms: Terms): void {
    this.doc++;
    this.ids.length = 0;
    this.tfs.length = 0;
    const s = text.toLowerCase();
    let prev = -1;
    let start = -1;
    let hash = 0;
    for (let i = 0; i <= s.length; i++) {
      const c = i < s.length ? s.charCodeAt(i) : 32;
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (start < 0) {
          start = i;
          hash = 0x811c9dc5;
        }
        hash = Math.imul(hash ^ c, 0x01000193);
        continue;
      }
      if (start < 0) continue;
      const w = terms.token(s, start, i, hash);
      start = -1;
      // A stop word or a number breaks a pair: pairs stay phrase-like.
      if (w < 0) {
        prev = -1;
        continue;
      }
      this.add(w);
      if (prev >= 0) {
        const p = terms.pair(prev, w);
        if (p >= 0) this.add(p);
      }
      prev = w;
    }
  }

  private add(t: number): void {
    if (t >= this.stamp.length) {
      const size = Math.max(t + 1, this.stamp.length * 2);
      const [st, sl] = [new Int32Array(size), new Int32Array(size)];
      st.set(this.stamp);
      sl.set(this.slot);
      this.stamp = st;
      this.slot = sl;
    }
    if (this.stamp[t] === this.doc) this.tfs[this.slot[t]!]!++;
    else {
      this.stamp[t] = this.doc;
      this.slot[t] = this.ids.length;
      this.ids.push(t);
      this.tfs.push(1);
    }
  }
}

const textOf = (d: { title: string; abstract: string }) => `${d.title}. ${d.abstract}`;

// ---- TF-IDF ---------------------------------------------------------------------------------

/** Sparse unit vectors, all in two flat arrays: vector i is [start[i], start[i + 1]). */
interface Vectors {
  start: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

class Tfidf {
  readonly terms = new Terms();
  private readonly counter = new Counter();
  /** term id -> feature, or -1 */
  private feature = new Int32Array(0);
  private featureTerm = new Int32Array(0);
  private idf = new Float64Array(0);

  /** Fits on the training texts and returns their vectors. */
  fit(texts: string[]): Vectors {
    const starts = [0];
    const ids: number[] = [];
    const tfs: number[] = [];
    for (const t of texts) {
      this.counter.count(t, this.terms);
      for (let k = 0; k < this.counter.ids.length; k++) {
        ids.push(this.counter.ids[k]!);
        tfs.push(this.counter.tfs[k]!);
      }
      starts.push(ids.length);
    }
    this.terms.frozen = true;
    const df = new Int32Array(this.terms.count);
    for (const id of ids) df[id]!++;
    const n = texts.length;
    const max = Math.max(MIN_DF, Math.floor(MAX_DF * n));
    this.feature = new Int32Array(this.terms.count).fill(-1);
    const featureTerm: number[] = [];
    const idf: number[] = [];
    for (let t = 0; t < df.length; t++) {
      if (df[t]! < MIN_DF || df[t]! > max) continue;
      this.feature[t] = featureTerm.length;
      featureTerm.push(t);
      idf.push(Math.log((1 + n) / (1 + df[t]!)) + 1);
    }
    this.featureTerm = Int32Array.from(featureTerm);
    this.idf = Float64Array.from(idf);
    const out = { start: new Int32Array(n + 1), idx: [] as number[], val: [] as number[] };
    for (let i = 0; i < n; i++) {
      this.append(ids, tfs, starts[i]!, starts[i + 1]!, out.idx, out.val);
      out.start[i + 1] = out.idx.length;
    }
    return { start: out.start, idx: Int32Array.from(out.idx), val: Float64Array.from(out.val) };
  }

  /** One text's vector, in the fitted space (terms the training papers lacked are dropped). */
  transform(text: string): { idx: number[]; val: number[] } {
    this.counter.count(text, this.terms);
    const out = { idx: [] as number[], val: [] as number[] };
    this.append(this.counter.ids, this.counter.tfs, 0, this.counter.ids.length, out.idx, out.val);
    return out;
  }

  /** w·x for one text's unit vector, without building it: one pass for the dot and the norm. */
  dot(text: string, w: Float64Array): number {
    this.counter.count(text, this.terms);
    const { ids, tfs } = this.counter;
    let dot = 0;
    let norm = 0;
    for (let k = 0; k < ids.length; k++) {
      const t = ids[k]!;
      const f = t < this.feature.length ? this.feature[t]! : -1;
      if (f < 0) continue;
      const v = (1 + Math.log(tfs[k]!)) * this.idf[f]!;
      dot += w[f]! * v;
      norm += v * v;
    }
    return norm > 0 ? dot / Math.sqrt(norm) : 0;
  }

  get features(): number {
    return this.featureTerm.length;
  }

  termText(feature: number): string {
    return this.terms.text(this.featureTerm[feature]!);
  }

  /** Sublinear tf times idf, of unit length, appended to idx/val. */
  private append(ids: number[], tfs: number[], from: number, to: number, idx: number[], val: number[]): void {
    const first = idx.length;
    let norm = 0;
    for (let k = from; k < to; k++) {
      const t = ids[k]!;
      const f = t < this.feature.length ? this.feature[t]! : -1;
      if (f < 0) continue;
      const v = (1 + Math.log(tfs[k]!)) * this.idf[f]!;
      idx.push(f);
      val.push(v);
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = first; k < val.length; k++) val[k]! /= norm;
  }
}

// ---- linear SVM -----------------------------------------------------------------------------

interface Model {
  w: Float64Array;
  b: number;
}

/** A seeded 32-bit PRNG (mulberry32): the order of coordinate updates. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * L2-regularised L2-loss SVM, dual coordinate descent (Hsieh et al. 2008, LIBLINEAR's
 * default solver), with a bias feature of 1 and per-class costs.
 */
function trainSvm(xs: Vectors, ys: Int8Array, features: number, cost: { pos: number; neg: number }): Model {
  const n = ys.length;
  const { start, idx, val } = xs;
  const w = new Float64Array(features);
  let b = 0;
  const alpha = new Float64Array(n);
  const diag = new Float64Array(n);
  const qd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    diag[i] = 0.5 / (ys[i]! > 0 ? cost.pos : cost.neg);
    let sq = 1; // the bias feature
    for (let k = start[i]!; k < start[i + 1]!; k++) sq += val[k]! * val[k]!;
    qd[i] = sq + diag[i]!;
  }
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const random = rng(SEED);
  for (let iter = 0; iter < MAX_ITER; iter++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let maxPg = -Infinity;
    let minPg = Infinity;
    for (let o = 0; o < n; o++) {
      const i = order[o]!;
      const y = ys[i]!;
      const from = start[i]!;
      const to = start[i + 1]!;
      let dot = b;
      for (let k = from; k < to; k++) dot += w[idx[k]!]! * val[k]!;
      const g = y * dot - 1 + diag[i]! * alpha[i]!;
      const pg = alpha[i] === 0 ? Math.min(g, 0) : g;
      if (pg > maxPg) maxPg = pg;
      if (pg < minPg) minPg = pg;
      if (Math.abs(pg) < 1e-12) continue;
      const old = alpha[i]!;
      alpha[i] = Math.max(old - g / qd[i]!, 0);
      const d = (alpha[i]! - old) * y;
      for (let k = from; k < to; k++) w[idx[k]!]! += d * val[k]!;
      b += d;
    }
    if (maxPg - minPg < EPSILON) break;
  }
  return { w, b };
}

// ---- candidates and training papers --------------------------------------------------------

interface Doc {
  pk: number;
  id: string;
  title: string;
  abstract: string;
}

interface Candidate {
  id: string;
  title: string;
  abstract: string;
  paper?: Paper;
}

function docsByPk(db: DB, pks: number[]): Doc[] {
  if (!pks.length) return [];
  return db
    .prepare('SELECT pk, id, title, abstract FROM papers WHERE pk IN (SELECT value FROM json_each(?)) ORDER BY pk')
    .all(JSON.stringify(pks)) as Doc[];
}

/** The papers to rank, without the starred ones. */
function candidates(db: DB, opts: RecommendOptions, starred: Set<string>): Candidate[] {
  const filter = opts.filter ?? {};
  const keep = (p: Paper): Candidate => ({ id: p.id, title: p.title, abstract: p.abstract, paper: p });
  if (filter.since || filter.until) {
    const out: Candidate[] = [];
    for (const p of listPapers(db, { ...filter, sort: 'date', limit: undefined })) {
      if (!starred.has(p.id)) out.push(keep(p));
    }
    return out;
  }
  // As `new` reads: listed since the mark and not shown (with no mark, the latest day).
  const window = opts.window ?? { after: getNewMark(db), upTo: latestFirstSeen(db) };
  return readNew(db, { filter }, window)
    .papers.filter((p) => !starred.has(p.id))
    .map(keep);
}

/**
 * The unstarred papers to train against: the archive but the positives and the candidates
 * (a candidate learnt as "not for you" would be scored down); in an archive of more than
 * NEGATIVE_SAMPLE of them, about that many, picked in SQLite by a multiplicative hash of the
 * row id (Knuth's: consecutive rows spread evenly), so the same papers every run and a sample
 * that stays put as the archive grows. When the candidates are most of a small archive, they
 * are in the pool too: every paper then stands the same chance.
 */
function negativePks(db: DB, positives: Set<number>, candidateIds: Set<string>, size: number): number[] {
  const candidatePks = new Set(
    db
      .prepare('SELECT pk FROM papers WHERE id IN (SELECT value FROM json_each(?))')
      .pluck()
      .all(JSON.stringify([...candidateIds])) as number[],
  );
  const total = db.prepare('SELECT count(*) FROM papers').pluck().get() as number;
  let pool = total - positives.size - candidatePks.size;
  const withCandidates = pool < Math.max(50, 5 * positives.size);
  if (withCandidates) pool += candidatePks.size;
  const keep = (pk: number) => !positives.has(pk) && (withCandidates || !candidatePks.has(pk));
  const sample = pool > size;
  // No ORDER BY: row ids alone are read from an index (a scan of the table would read the
  // stored entries too, 10x slower at 100k papers); sorted here.
  const pks = db
    .prepare(`SELECT pk FROM papers WHERE ? OR (pk * 2654435761) % 4294967296 < ?`)
    .pluck()
    .all(sample ? 0 : 1, Math.floor((size / Math.max(pool, 1)) * 4294967296)) as number[];
  return pks.filter(keep).sort((a, b) => a - b);
}

// ---- ranking ----------------------------------------------------------------------------------

export function recommendPapers(db: DB, opts: RecommendOptions = {}): RecommendResult {
  const allStars = starredIds(db);
  const positiveIds = opts.tag === undefined ? allStars : starredIds(db, opts.tag);
  const positives = db
    .prepare('SELECT pk, id, title, abstract FROM papers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY pk')
    .all(JSON.stringify([...positiveIds])) as Doc[];
  const empty = { papers: [], stars: positives.length, negatives: 0, candidates: 0 };
  if (positives.length < MIN_STARS) return { ...empty, notice: tooFewStars(positives.length, opts.tag) };

  const cands = candidates(db, opts, allStars);
  const positivePks = new Set(positives.map((p) => p.pk));
  const negativeIds = negativePks(db, positivePks, new Set(cands.map((c) => c.id)), opts.negatives ?? NEGATIVE_SAMPLE);
  const negatives = docsByPk(db, negativeIds);
  if (!cands.length || !negatives.length) return { ...empty, negatives: negatives.length, candidates: cands.length };

  const train = [...positives, ...negatives];
  const tfidf = new Tfidf();
  const xs = tfidf.fit(train.map(textOf));
  const ys = Int8Array.from(train, (_, i) => (i < positives.length ? 1 : -1));
  // Balanced: each class weighs n / (2 * its size), as class_weight='balanced'.
  const n = train.length;
  const model = trainSvm(xs, ys, tfidf.features, {
    pos: (C * n) / (2 * positives.length),
    neg: (C * n) / (2 * negatives.length),
  });

  const scored = cands.map((c) => ({ c, score: model.b + tfidf.dot(textOf(c), model.w) }));
  scored.sort((a, b) => b.score - a.score || a.c.id.localeCompare(b.c.id));
  const top = opts.limit === undefined ? scored : scored.slice(0, Math.max(0, opts.limit));
  const why = opts.why ?? 0;
  const papers: Recommended[] = [];
  for (const { c, score } of top) {
    const paper = c.paper ?? getPaper(db, c.id);
    if (!paper) continue;
    const r: Recommended = { ...paper, score: Math.round(score * 10_000) / 10_000 };
    if (why > 0) r.why = explain(tfidf.transform(textOf(c)), model, tfidf, why);
    papers.push(r);
  }
  return { papers, stars: positives.length, negatives: negatives.length, candidates: cands.length };
}

/** The terms with the largest positive share of a score, most first. */
function explain(x: { idx: number[]; val: number[] }, model: Model, tfidf: Tfidf, n: number): string[] {
  const parts: [number, number][] = [];
  for (let k = 0; k < x.idx.length; k++) {
    const c = model.w[x.idx[k]!]! * x.val[k]!;
    if (c > 0) parts.push([c, x.idx[k]!]);
  }
  parts.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  return parts.slice(0, n).map(([, f]) => tfidf.termText(f));
}

function tooFewStars(n: number, tag: string | undefined): NonNullable<RecommendResult['notice']> {
  const what = tag === undefined ? 'starred papers' : `papers starred with tag ${JSON.stringify(tag)}`;
  return {
    code: 'too-few-stars',
    message: `recommendations learn from your stars: ${n} ${what}, at least ${MIN_STARS} needed`,
    hint:
      `star papers you liked (papers star ID... ${tag === undefined ? '' : `--tag ${tag} `}), ` +
      'or bring your library (papers library import FILE.bib)',
  };
}
