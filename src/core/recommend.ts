/**
 * "For you": candidate papers ranked by a model of the reader's stars, trained at run time,
 * offline, in the spirit of arxiv-sanity's per-tag classifiers. The pieces, one file each:
 *
 * 1. recommend-terms.ts: the words and word pairs of a paper's title and abstract. HF's AI
 *    keywords and AI summary are never read (the benchmark's topics come from the keywords).
 * 2. recommend-tfidf.ts: TF-IDF vectors fitted on the papers the model sees.
 * 3. recommend-model.ts: a class-weighted logistic regression (the stars against a sample of
 *    the archive and the hidden papers) plus the cosine to the stars in an LSA space, and a
 *    relevance calibrated on held-out stars.
 * 4. Here: which papers are candidates, which train, and the ranking.
 *
 * Deterministic: a fixed order of papers, a hashed sample of negatives, seeded projections.
 */
import type { Day } from '../dates.js';
import type { DB } from '../db/open.js';
import { hiddenIds } from './hidden.js';
import { starredIds } from './library.js';
import { Model, type ModelOptions, sparseRow } from './recommend-model.js';
import { textOf } from './recommend-terms.js';
import { Tfidf } from './recommend-tfidf.js';
import { getNewMark, latestFirstSeen, readNew, type NewWindow } from './new.js';
import { foldText } from '../text.js';
import type { Paper } from './papers.js';
import { dayPapers, listPapers, type PaperFilter } from './query.js';
import { rankedAnnouncement, watchedOn } from './sources.js';

/** Fewer stars than this train nothing useful. */
export const MIN_STARS = 3;
/**
 * About this many unstarred papers train the model (a sample of a larger archive): the cost
 * of a run is mostly reading these papers' text and the regression's passes over them.
 */
export const NEGATIVE_SAMPLE = 1500;
/**
 * "For you" (digest, today) shows papers whose relevance is at least this: they score at
 * least as high as the lowest 30% of the reader's own held-out stars.
 */
export const FOR_YOU_RELEVANCE = 0.3;

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
  /** Rank hidden papers too (they are still negatives for the model). */
  hidden?: boolean;
  /** The model's parts (the benchmark's ablations). */
  model?: ModelOptions;
}

export interface Recommended extends Paper {
  /** The model's score: standardised against the archive's papers (0: like an average one). */
  score: number;
  /** 0-1: the share of the reader's held-out stars that score no higher (0.5: like the median star). */
  relevance: number;
  /** The terms that weighed most for the paper, most first (with `why`). */
  why?: string[];
}

export interface RecommendResult {
  papers: Recommended[];
  /** Stars the model was trained on. */
  stars: number;
  /** Unstarred papers it was trained against (hidden ones included). */
  negatives: number;
  /** Papers ranked (before the limit). */
  candidates: number;
  /** Set when nothing was ranked for a reason the reader can act on. */
  notice?: { code: 'too-few-stars'; message: string; hint: string };
}

// ---- candidates and training papers --------------------------------------------------------

interface Doc {
  pk: number;
  id: string;
  title: string;
  abstract: string;
  /** JSON array of names. */
  authors: string;
}

function docsByPk(db: DB, pks: number[]): Doc[] {
  if (!pks.length) return [];
  return db
    .prepare(
      'SELECT pk, id, title, abstract, authors FROM papers WHERE pk IN (SELECT value FROM json_each(?)) ORDER BY pk',
    )
    .all(JSON.stringify(pks)) as Doc[];
}

function docsById(db: DB, ids: Iterable<string>): Doc[] {
  return db
    .prepare(
      'SELECT pk, id, title, abstract, authors FROM papers WHERE id IN (SELECT value FROM json_each(?)) ORDER BY pk',
    )
    .all(JSON.stringify([...ids])) as Doc[];
}

/** The papers to rank, without the starred ones (and the hidden ones unless asked). */
function candidates(db: DB, opts: RecommendOptions, skip: Set<string>): Paper[] {
  const filter = opts.filter ?? {};
  if (filter.since || filter.until) {
    const out: Paper[] = [];
    for (const p of listPapers(db, { ...filter, sort: 'date', limit: undefined })) if (!skip.has(p.id)) out.push(p);
    return out;
  }
  // As `new` reads: listed since the mark and not shown (with no mark, the latest day).
  const window = opts.window ?? { after: getNewMark(db), upTo: latestFirstSeen(db) };
  return readNew(db, { filter }, window).papers.filter((p) => !skip.has(p.id));
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

// ---- authors ----------------------------------------------------------------------------------

/**
 * Whether authors are features by default. On the real days they cost P@10 (20 stars: 0.82
 * with them, 0.84 without; 5 stars: 0.73, 0.74), so they stay out until they earn a place;
 * bench/recommend.mjs --model '{"authors":true}' measures them again.
 */
const AUTHORS = false;
const AUTHOR_MARK = 'zqa';

/**
 * A paper's authors as words of its text: one letters-only token per name (folded, marked so no
 * English word collides), each between stop words so no word pair forms across them. `names`
 * learns each token's name, for `why`.
 */
function authorTokens(authors: readonly string[], names: Map<string, string>): string {
  const out: string[] = [];
  for (const a of authors.slice(0, 50)) {
    const letters = foldText(a).replace(/[^a-z]/g, '');
    if (letters.length < 3) continue;
    const token = AUTHOR_MARK + letters;
    if (!names.has(token)) names.set(token, a);
    out.push(token);
  }
  return out.length ? `. the ${out.join(' the ')} .` : '';
}

// ---- ranking ----------------------------------------------------------------------------------

/** Scores of some papers by a model of the stars: what `recommend` ranks by, and today/list for you. */
export interface Scored<T> {
  paper: T;
  score: number;
  relevance: number;
  why?: string[];
}

interface Trained<T> {
  scored: Scored<T>[];
  stars: number;
  negatives: number;
}

/**
 * Trains on the stars (all, or a tag's) against a sample of the archive and the hidden papers,
 * and scores `papers` (which should not hold stars). Null with fewer than MIN_STARS stars.
 */
export function scoreForYou<T extends { id: string; title: string; abstract: string; authors: string[] }>(
  db: DB,
  papers: T[],
  opts: { tag?: string; why?: number; negatives?: number; model?: ModelOptions } = {},
): Trained<T> | null {
  const positiveIds = opts.tag === undefined ? starredIds(db) : starredIds(db, opts.tag);
  const positives = docsById(db, positiveIds);
  if (positives.length < MIN_STARS) return null;
  const positivePks = new Set(positives.map((p) => p.pk));
  const candidateIds = new Set(papers.map((c) => c.id));
  const hidden = docsById(db, hiddenIds(db)).filter((d) => !positiveIds.has(d.id) && !candidateIds.has(d.id));
  const hiddenPks = new Set(hidden.map((d) => d.pk));
  const sampled = negativePks(db, positivePks, candidateIds, opts.negatives ?? NEGATIVE_SAMPLE).filter(
    (pk) => !hiddenPks.has(pk),
  );
  const negatives = [...docsByPk(db, sampled), ...hidden];
  if (!papers.length || !negatives.length) return { scored: [], stars: positives.length, negatives: negatives.length };

  const tfidf = new Tfidf();
  const names = new Map<string, string>();
  const withAuthors = opts.model?.authors ?? AUTHORS;
  const text = (d: { title: string; abstract: string; authors: string | string[] }) =>
    withAuthors
      ? `${textOf(d)} ${authorTokens(typeof d.authors === 'string' ? JSON.parse(d.authors) : d.authors, names)}`
      : textOf(d);
  const xs = tfidf.fit([...positives, ...negatives, ...papers].map(text));
  const model = Model.fit(
    xs,
    tfidf.features,
    { positives: positives.length, negatives: negatives.length, hidden: hidden.length },
    opts.model,
  );
  const first = positives.length + negatives.length;
  const why = opts.why ?? 0;
  // A reason is a feature at least two stars share (with three or more): the stars' word, not one paper's.
  const starDf = new Int32Array(tfidf.features);
  for (let k = 0; k < xs.start[positives.length]!; k++) starDf[xs.idx[k]!]!++;
  const scored = papers.map((paper, i) => {
    const x = sparseRow(xs, first + i);
    const score = model.score(x);
    const s: Scored<T> = { paper, score, relevance: model.relevance(score) };
    if (why > 0)
      s.why = model
        .explain(x, 4 * why)
        .filter((f) => starDf[f]! >= 2)
        .slice(0, why)
        .map((f) => {
          const t = tfidf.termText(f);
          return names.get(t) ?? t;
        });
    return s;
  });
  scored.sort((a, b) => b.score - a.score || a.paper.id.localeCompare(b.paper.id));
  return { scored, stars: positives.length, negatives: negatives.length };
}

const round = (x: number, d = 10_000) => Math.round(x * d) / d;

export function recommendPapers(db: DB, opts: RecommendOptions = {}): RecommendResult {
  const allStars = starredIds(db);
  const skip = new Set(allStars);
  if (!opts.hidden) for (const id of hiddenIds(db)) skip.add(id);
  const tagStars = opts.tag === undefined ? allStars.size : starredIds(db, opts.tag).size;
  if (tagStars < MIN_STARS)
    return { papers: [], stars: tagStars, negatives: 0, candidates: 0, notice: tooFewStars(tagStars, opts.tag) };
  const cands = candidates(db, opts, skip);
  const t = scoreForYou(db, cands, { tag: opts.tag, why: opts.why, negatives: opts.negatives, model: opts.model });
  if (!t) return { papers: [], stars: tagStars, negatives: 0, candidates: 0, notice: tooFewStars(tagStars, opts.tag) };
  const top = opts.limit === undefined ? t.scored : t.scored.slice(0, Math.max(0, opts.limit));
  const papers: Recommended[] = top.map(({ paper, score, relevance, why }) => ({
    ...paper,
    score: round(score),
    relevance: round(relevance, 1000),
    ...(why ? { why } : {}),
  }));
  return { papers, stars: t.stars, negatives: t.negatives, candidates: cands.length };
}

/** A paper ranked for the reader, with the model's score and its relevance to the stars. */
export type ForYou<T> = T & { score: number; relevance: number };

/**
 * Papers ordered by a model of all the stars (those in `first`, e.g. a watch's matches, ahead),
 * each with its score and relevance; the papers the reader hid are left out unless `hidden`.
 * Null with fewer than MIN_STARS stars: the caller keeps its own order.
 */
export function orderForYou<T extends Paper>(
  db: DB,
  papers: T[],
  opts: { first?: ReadonlySet<string>; limit?: number; hidden?: boolean } = {},
): ForYou<T>[] | null {
  const hidden = opts.hidden ? new Set<string>() : hiddenIds(db);
  const t = scoreForYou(
    db,
    papers.filter((p) => !hidden.has(p.id)),
  );
  if (!t) return null;
  const first = opts.first ?? new Set<string>();
  const ranked = t.scored
    .map((s, i) => ({ s, i, group: first.has(s.paper.id) ? 0 : 1 }))
    .sort((a, b) => a.group - b.group || a.i - b.i)
    .map(({ s }) => ({ ...s.paper, score: round(s.score), relevance: round(s.relevance, 1000) }));
  return opts.limit === undefined ? ranked : ranked.slice(0, Math.max(0, opts.limit));
}

/** An announcement day ordered for the reader: watch matches first, then by the model; null under MIN_STARS stars. */
export function forYouAnnouncement(
  db: DB,
  day: Day,
  filter: PaperFilter,
  opts: { limit?: number; hidden?: boolean } = {},
): ForYou<Paper>[] | null {
  if (starredIds(db).size < MIN_STARS) return null;
  const papers = dayPapers(db, day, undefined, filter);
  const first = watchedOn(
    db,
    day,
    papers.map((p) => p.id),
  );
  return orderForYou(db, papers, { ...opts, first });
}

/**
 * What `today` shows of a day: the HF list (by upvotes), or an arXiv announcement ranked for
 * the reader (watch matches first, then by the model with 3 or more stars, else HF's and
 * arXiv's order); hidden papers left out unless `hidden`. `forYou`: ranked by the model.
 */
export function dayForReader(
  db: DB,
  day: Day,
  filter: PaperFilter,
  opts: { hfOnly: boolean; limit?: number; hidden?: boolean },
): { papers: Paper[]; forYou: boolean } {
  const forYou = opts.hfOnly ? null : forYouAnnouncement(db, day, filter, opts);
  if (forYou) return { papers: forYou, forYou: true };
  const hidden = opts.hidden ? new Set<string>() : hiddenIds(db);
  const all = opts.hfOnly ? dayPapers(db, day, undefined, filter) : rankedAnnouncement(db, day, filter);
  const papers = all.filter((p) => !hidden.has(p.id));
  return { papers: opts.limit === undefined ? papers : papers.slice(0, opts.limit), forYou: false };
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
