// Smaller things a newcomer hit (issue 11.10): stats keywords merged across case, plurals
// and a spelled-out acronym; the current partial period shown; no word cut at 80 columns;
// a stable id per feed; "1 paper", "1 upvote".
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { openDb, type DB } from '../src/db/open.js';
import { computeStats, keywordKey } from '../src/core/stats.js';
import { renderStatsTable } from '../src/render/stats.js';
import { feedId, itemHtml, renderAtom } from '../src/render/feed.js';
import type { IO } from '../src/render/io.js';
import type { PaperRecord } from '../src/sources/types.js';
import { makePaper } from './helpers/paper.js';
import { makeRecord, saveHfDay } from './helpers/paper.js';

function rec(id: string, keywords: string[], org: string | null = null): PaperRecord {
  return makeRecord(id, { abstract: 'A.', aiKeywords: keywords, organization: org });
}

function archive(): DB {
  const db = openDb(':memory:');
  const day = (d: string, entries: PaperRecord[]) => saveHfDay(db, d, entries, `${d}T06:00:00.000Z`);
  day('2026-08-10', [
    rec('2608.00001', ['Large Language Models (LLMs)', 'reinforcement learning']),
    rec('2608.00002', ['large language models', 'Reinforcement-Learning']),
    rec('2608.00003', ['LLMs', 'vision transformers']),
    rec('2608.00004', ['LLM', 'Vision Transformer', 'large language models']),
    rec('2608.00005', [
      'large language models',
      'reinforcement learning',
      'a very long keyword about multimodal retrieval augmented generation pipelines',
    ]),
  ]);
  return db;
}

function io(width: number): IO {
  const lines: string[] = [];
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    tty: true,
    errTty: false,
    width,
    color: new Chalk({ level: 0 }),
    errColor: new Chalk({ level: 0 }),
    out: (l) => lines.push(l),
    err: () => {},
  } as IO;
}

describe('stats', () => {
  it('merges keywords across case, plurals and a spelled-out acronym, shown in the most common spelling', () => {
    const s = computeStats(archive(), { by: 'week', top: 3 });
    expect(s.keywords).toEqual([
      { name: 'large language models', papers: 5 },
      { name: 'reinforcement learning', papers: 3 },
      { name: 'Vision Transformer', papers: 2 },
    ]);
    expect(keywordKey('large language models (llms)')).toEqual({ key: 'large language model', acronym: 'llm' });
    expect(keywordKey('analysis of studies')).toEqual({ key: 'analysis of study', acronym: null });
  });

  it('shows the current partial week, marked, even before it has papers', () => {
    const s = computeStats(archive(), { by: 'week', top: 3, today: '2026-08-19' });
    expect(s.periods.map((p) => [p.period, p.papers, p.partial ?? false])).toEqual([
      ['2026-W33', 5, false],
      ['2026-W34', 0, true],
    ]);
    const lines = renderStatsTable(io(80), s);
    expect(lines.some((l) => l.startsWith('2026-W34*'))).toBe(true);
    expect(lines.join(' ')).toContain('2026-W34 is still running');
  });

  it('at 80 columns no line is longer, and lists end on whole entries', () => {
    const db = archive();
    const s = computeStats(db, { by: 'month', top: 10, since: '2026-08-01', until: '2026-08-31' });
    const lines = renderStatsTable(io(80), s);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
    const kw = lines.find((l) => l.includes('keywords'))!;
    expect(kw).toMatch(/, …$/);
    expect(kw).not.toMatch(/\w…$/);
    expect(lines.at(-1)).not.toMatch(/^\S+[a-z]$/);
    expect(lines.join('\n')).toContain('5 papers from 2026-08-01 to 2026-08-31');
  });
});

describe('feeds', () => {
  it('a stable id per definition, different for different queries, watches and filters', () => {
    const a = feedId({ format: 'atom', query: 'agents', filter: { minUpvotes: 10, keywords: [] } });
    expect(a).toMatch(/^urn:papers:feed:[0-9a-f]{32}$/);
    expect(feedId({ format: 'rss', filter: { minUpvotes: 10 }, query: ' agents ' })).toBe(a);
    const others = [
      feedId({ query: 'agent', filter: { minUpvotes: 10 } }),
      feedId({ query: 'agents', filter: { minUpvotes: 11 } }),
      feedId({ watch: 'agents', filter: { minUpvotes: 10 } }),
      feedId({ query: 'agents' }),
    ];
    expect(new Set([a, ...others]).size).toBe(5);
    const xml = [...renderAtom([], { title: 't', updated: '2026-08-21T00:00:00.000Z', id: a })].join('');
    expect(xml).toContain(`<id>${a}</id>`);
  });

  it('says 1 upvote and 1 star', () => {
    const html = itemHtml(
      makePaper('2608.00001', { upvotes: 1, githubRepo: 'https://github.com/a/b', githubStars: 1 }),
    );
    expect(html).toContain('1 upvote ·');
    expect(html).toContain('Code (1 star)');
    expect(itemHtml(makePaper('2608.00001', { upvotes: 2 }))).toContain('2 upvotes ·');
  });
});
