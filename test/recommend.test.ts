// recommend: a model of the stars ranks the new papers (or a listed range); too few stars,
// tags, starred papers never returned, `why`, determinism, and the digest's "For you".
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveStars } from '../src/core/library.js';
import { setNewMark } from '../src/core/new.js';
import { distinctPaperCount, forYouPapers, MIN_STARS, recommendPapers } from '../src/core/recommend.js';
import { openDb, type DB } from '../src/db/open.js';
import type { PaperRecord } from '../src/sources/types.js';
import { tempHome } from './helpers/run-cli.js';
import { makeRecord, saveHfDay } from './helpers/paper.js';

/** Three topics of phrases, and phrases every paper may use. */
const TOPICS: Record<string, string[]> = {
  spec: [
    'speculative decoding',
    'draft model',
    'token acceptance rate',
    'parallel verification',
    'decoding latency',
    'draft tokens',
  ],
  video: [
    'video diffusion',
    'temporal consistency',
    'text-to-video generation',
    'motion priors',
    'frame interpolation',
    'video frames',
  ],
  robot: [
    'robot manipulation',
    'embodied policy',
    'grasping tasks',
    'sim-to-real transfer',
    'action tokens',
    'robot arm',
  ],
};
const COMMON = [
  'large language models',
  'standard benchmarks',
  'training data',
  'strong baselines',
  'open source release',
  'scaling study',
];

/** A deterministic abstract: topic phrases and common ones, picked by index. */
function paper(id: string, topic: string, i: number): PaperRecord {
  const t = TOPICS[topic]!;
  const pick = (list: string[], k: number) => list[(i * 7 + k * 3) % list.length]!;
  const title = `${pick(t, 0)} with ${pick(COMMON, 1)}`.replace(/^./, (c) => c.toUpperCase());
  const abstract = `We study ${pick(t, 1)} and ${pick(t, 2)} for ${pick(COMMON, 2)}. Our ${pick(t, 3)} improves ${pick(COMMON, 3)} on ${pick(COMMON, 4)}.`;
  return makeRecord(id, { title, abstract, authors: ['Ada Lovelace'], upvotes: 10 + (i % 5) });
}

function save(db: DB, day: string, recs: PaperRecord[]) {
  saveHfDay(db, day, recs);
}

/**
 * Day 1: 12 papers of each topic (2503.1TNNN); day 2: 5 of each (2503.2TNNN), first seen the
 * next morning; the mark between them.
 */
function archive(): DB {
  const db = openDb(join(tempHome(), 'papers.db'));
  const day = (d: number, n: number) =>
    Object.keys(TOPICS).flatMap((topic, ti) =>
      Array.from({ length: n }, (_, i) => paper(`2503.${d}${ti}${String(i).padStart(3, '0')}`, topic, i + d * 13)),
    );
  save(db, '2025-03-03', day(1, 12));
  setNewMark(db, '2025-03-03T08:00:00.000Z');
  save(db, '2025-03-04', day(2, 5));
  return db;
}
const NOW = new Date('2025-03-05T00:00:00.000Z');
const topicOf = (id: string) => Object.keys(TOPICS)[Number(id[6])];

describe('recommendPapers', () => {
  it('with fewer than 3 stars: a notice that says what to do, and no papers', () => {
    const db = archive();
    saveStars(db, ['2503.10000', '2503.10001'], { now: NOW, tags: ['spec'] });
    const r = recommendPapers(db);
    expect(r.papers).toEqual([]);
    expect(r.stars).toBe(2);
    expect(r.notice).toEqual({
      code: 'too-few-stars',
      message: `recommendations learn from your stars: 2 starred papers, at least ${MIN_STARS} needed`,
      hint: 'star papers you liked (papers star ID... ), or bring your library (papers library import FILE.bib)',
    });
    saveStars(db, ['2503.20000'], { now: NOW });
    expect(recommendPapers(db, { tag: 'spec' }).notice?.message).toBe(
      'recommendations learn from your stars: 2 papers starred with tag "spec", at least 3 needed',
    );
    expect(recommendPapers(db).notice).toBeUndefined();
    db.close();
  });

  it('ranks the new papers of the starred topic first, with a score and the terms that weighed most', () => {
    const db = archive();
    saveStars(db, ['2503.10000', '2503.10001', '2503.10002', '2503.10003'], { now: NOW });
    const r = recommendPapers(db, { why: 3 });
    expect(r.stars).toBe(4);
    expect(r.candidates).toBe(15);
    // A small archive: the other papers of day 1 (32) are too few to train against alone, so
    // every unstarred paper is (the candidates too, all of them alike).
    expect(r.negatives).toBe(47);
    expect(r.papers).toHaveLength(15);
    expect(r.papers.slice(0, 5).map((p) => topicOf(p.id))).toEqual(['spec', 'spec', 'spec', 'spec', 'spec']);
    expect(r.papers.slice(5).every((p) => topicOf(p.id) !== 'spec')).toBe(true);
    const scores = r.papers.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[4]! > scores[5]!).toBe(true);
    // The paper shape of list, with its listing day.
    expect(r.papers[0]!.day).toBe('2025-03-04');
    expect(r.papers[0]!.why).toHaveLength(3);
    const why = r.papers.slice(0, 5).flatMap((p) => p.why!);
    expect(why.some((t) => t.includes(' '))).toBe(true); // word pairs count
    // Each names a word of the topic's phrases (plurals folded: "tokens" is "token").
    const topicWords = new Set(
      TOPICS.spec!.join(' ')
        .split(/[\s-]+/)
        .map((w) => w.replace(/s$/, '')),
    );
    expect(why.every((t) => t.split(' ').some((w) => topicWords.has(w)))).toBe(true);
    expect(recommendPapers(db).papers[0]!.why).toBeUndefined();
    db.close();
  });

  it('is deterministic: the same scores and order on every run, and with a limit', () => {
    const db = archive();
    saveStars(db, ['2503.11000', '2503.11001', '2503.11002'], { now: NOW });
    const a = recommendPapers(db).papers.map((p) => [p.id, p.score]);
    const b = recommendPapers(db).papers.map((p) => [p.id, p.score]);
    expect(a).toEqual(b);
    expect(recommendPapers(db, { limit: 4 }).papers.map((p) => [p.id, p.score])).toEqual(a.slice(0, 4));
    expect(a.slice(0, 5).map(([id]) => topicOf(id as string))).toEqual(Array(5).fill('video'));
    db.close();
  });

  it('trains on one tag: a reader with two interests gets each ranking', () => {
    const db = archive();
    saveStars(db, ['2503.10000', '2503.10001', '2503.10002'], { now: NOW, tags: ['inference'] });
    saveStars(db, ['2503.12000', '2503.12001', '2503.12002'], { now: NOW, tags: ['robots'] });
    expect(recommendPapers(db, { tag: 'robots', limit: 5 }).papers.map((p) => topicOf(p.id))).toEqual(
      Array(5).fill('robot'),
    );
    expect(recommendPapers(db, { tag: 'inference', limit: 5 }).papers.map((p) => topicOf(p.id))).toEqual(
      Array(5).fill('spec'),
    );
    const both = recommendPapers(db, { limit: 10 }).papers.map((p) => topicOf(p.id));
    expect(both.sort()).toEqual([...Array(5).fill('robot'), ...Array(5).fill('spec')]);
    db.close();
  });

  it('never recommends a starred paper, new or listed in the range', () => {
    const db = archive();
    saveStars(db, ['2503.10000', '2503.10001', '2503.10002', '2503.20000', '2503.20001'], { now: NOW });
    const ids = recommendPapers(db).papers.map((p) => p.id);
    expect(ids).toHaveLength(13);
    expect(ids).not.toContain('2503.20000');
    expect(ids).not.toContain('2503.20001');
    const listed = recommendPapers(db, { filter: { since: '2025-03-03' } }).papers.map((p) => p.id);
    expect(listed).toHaveLength(51 - 5);
    expect(listed.filter((id) => id.startsWith('2503.1000') || id.startsWith('2503.2000'))).toEqual(
      expect.not.arrayContaining(['2503.10000', '2503.10001', '2503.10002', '2503.20000', '2503.20001']),
    );
    db.close();
  });

  it('ranks a listed range (list filters) instead of the new papers', () => {
    const db = archive();
    saveStars(db, ['2503.12000', '2503.12001', '2503.12002', '2503.12003'], { now: NOW });
    const r = recommendPapers(db, { filter: { since: '2025-03-03', until: '2025-03-03' }, limit: 8 });
    // Day 1 alone: its 36 papers but the 4 stars; with the other papers of the archive as
    // too few to train against, the candidates are in the training pool as well.
    expect(r.candidates).toBe(32);
    expect(r.papers.map((p) => p.day)).toEqual(Array(8).fill('2025-03-03'));
    expect(r.papers.map((p) => topicOf(p.id))).toEqual(Array(8).fill('robot'));
    // Other list filters narrow the new papers.
    const narrowed = recommendPapers(db, { filter: { keywords: ['video'] } }).papers.map((p) => p.id);
    const withWord = db
      .prepare(
        `SELECT id FROM papers WHERE id LIKE '2503.2%' AND (title || ' ' || abstract) LIKE '%video%' ORDER BY id`,
      )
      .pluck()
      .all();
    expect(withWord.length).toBeGreaterThan(0);
    expect([...narrowed].sort()).toEqual(withWord);
    db.close();
  });
});

describe('For you in the digest', () => {
  it('the top N of what the digest covers; nothing without enough stars or with N = 0', () => {
    const db = archive();
    const digest = { since: null, markTo: '2025-03-04T08:00:00.000Z' };
    expect(forYouPapers(db, digest, { limit: 3 })).toEqual([]);
    saveStars(db, ['2503.10000', '2503.10001', '2503.10002'], { now: NOW });
    const top = forYouPapers(db, digest, { limit: 3 });
    expect(top.map((p) => topicOf(p.id))).toEqual(['spec', 'spec', 'spec']);
    expect(top.every((p) => p.days[0] === '2025-03-04')).toBe(true);
    expect(forYouPapers(db, digest, { limit: 0 })).toEqual([]);
    // --since a day: papers first seen on or after it, whatever the mark says.
    expect(forYouPapers(db, { since: '2025-03-03', markTo: digest.markTo }, { limit: 100 })).toHaveLength(51 - 3);
    // Up to what the digest read: a paper that arrives after it is not in this digest.
    expect(forYouPapers(db, { since: null, markTo: '2025-03-03T08:00:00.000Z' }, { limit: 3 })).toEqual([]);
    expect(distinctPaperCount([{ papers: top }, { papers: top.slice(1) }, { papers: [] }])).toBe(3);
    db.close();
  });
});

describe('why and relevance', () => {
  it('names the words the stars share, never praise or filler such as "called" or "best"; relevance is 0-1', () => {
    const db = archive();
    // Stars whose abstracts praise themselves: "called", "best" in every one.
    const filler = (id: string, i: number) => {
      const p = paper(id, 'spec', i);
      return { ...p, abstract: `${p.abstract} Our best system, called Turbo, is the best one called so.` };
    };
    save(
      db,
      '2025-03-02',
      [0, 1, 2, 3].map((i) => filler(`2503.0900${i}`, i)),
    );
    saveStars(db, ['2503.09000', '2503.09001', '2503.09002', '2503.09003'], { now: NOW });
    const r = recommendPapers(db, { filter: { since: '2025-03-04' }, why: 5 });
    expect(r.papers.length).toBe(15);
    const words = r.papers.flatMap((p) => p.why ?? []);
    expect(words.length).toBeGreaterThan(0);
    for (const w of words) expect(w).not.toMatch(/\b(called|best|turbo)\b/);
    expect(r.papers.slice(0, 5).every((p) => topicOf(p.id) === 'spec')).toBe(true);
    expect(r.papers.every((p) => p.relevance >= 0 && p.relevance <= 1)).toBe(true);
    // Like the stars: the spec papers rank higher in relevance than the others.
    const rel = (t: string) => Math.min(...r.papers.filter((p) => topicOf(p.id) === t).map((p) => p.relevance));
    const other = Math.max(...r.papers.filter((p) => topicOf(p.id) !== 'spec').map((p) => p.relevance));
    expect(rel('spec')).toBeGreaterThan(other);
    db.close();
  });
});
