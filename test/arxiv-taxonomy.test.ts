// Source names and arXiv's taxonomy: parsing, canonical spelling, did-you-mean, sets.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { parseSourceName } from '../src/sources/source-name.js';
import type { SyncRequest } from '../src/sources/registry.js';
import { inCategories, knownCategory, oaiSet, suggestCategories } from '../src/sources/arxiv/taxonomy.js';
import { parseFeed } from '../src/sources/arxiv/feed.js';
import { readArxivSample } from './helpers/arxiv.js';

function usage(input: string): UsageError {
  try {
    parseSourceName(input);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`${input} was accepted`);
}

describe('parseSourceName', () => {
  it('hf and arXiv sources, in arXiv spelling, each category once', () => {
    expect(parseSourceName('hf')).toEqual({ kind: 'hf', name: 'hf' });
    expect(parseSourceName('arxiv:cs.CL+cs.LG')).toEqual({
      kind: 'arxiv',
      name: 'arxiv:cs.CL+cs.LG',
      categories: ['cs.CL', 'cs.LG'],
    });
    expect(parseSourceName('arXiv:cs.cl+CS.LG+cs.CL')).toEqual({
      kind: 'arxiv',
      name: 'arxiv:cs.CL+cs.LG',
      categories: ['cs.CL', 'cs.LG'],
    });
    expect(parseSourceName('arxiv:cs')).toEqual({ kind: 'arxiv', name: 'arxiv:cs', categories: ['cs'] });
    expect(parseSourceName('arxiv:quant-ph+cond-mat.str-el').name).toBe('arxiv:quant-ph+cond-mat.str-el');
  });

  it('an unknown category is a usage error with the closest names', () => {
    const e = usage('arxiv:cs.CLL');
    expect(e.message).toBe('arXiv has no category "cs.CLL"');
    expect(e.hint).toMatch(/^did you mean cs\.CL/);
    expect(usage('arxiv:quant-phh').hint).toMatch(/quant-ph/);
    expect(usage('arxiv:').message).toMatch(/no category/);
    expect(usage('arxiv:cs.CL+').message).toMatch(/no category/);
    expect(usage('reddit').message).toMatch(/unknown source/);
  });

  it('every category of the whole-arXiv day is in the shipped taxonomy', () => {
    const feed = parseFeed(readArxivSample('rss/all-archives_2024-11-28_whole-day.xml'), 'x');
    const seen = new Set(feed.entries.flatMap((e) => e.arxiv!.categories));
    expect(seen.size).toBeGreaterThan(100);
    for (const c of seen) expect(knownCategory(c)).toBe(c);
  });

  it('suggestions, sets and archive matching', () => {
    expect(suggestCategories('cs.LGG')[0]).toBe('cs.LG');
    expect(['cs.CL', 'cs', 'hep-th', 'astro-ph.CO', 'physics.optics', 'physics', 'math'].map(oaiSet)).toEqual([
      'cs:cs:CL',
      'cs',
      'physics:hep-th',
      'physics:astro-ph:CO',
      'physics:physics:optics',
      'physics:physics',
      'math',
    ]);
    expect(inCategories(['cs.CL', 'cs.AI'], ['cs'])).toBe(true);
    expect(inCategories(['stat.ML'], ['cs.LG', 'cs'])).toBe(false);
    expect(inCategories(['stat.ML', 'cs.LG'], ['cs.LG'])).toBe(true);
  });
});

describe('the source registry and the delay setting', () => {
  it('hf syncs listing days, arxiv:CATS a feed (and a harvest with --since); the delay is 3 s unless set', async () => {
    const { sourceDef } = await import('../src/sources/registry.js');
    const { PoliteGate } = await import('../src/sources/arxiv/adapter.js');
    const { arxivDelayMs, arxivEndpoints } = await import('../src/sources/arxiv/endpoints.js');
    const env = { endpoint: 'http://x', arxiv: async () => ({ endpoints: arxivEndpoints(), gate: new PoliteGate(0) }) };
    const req: SyncRequest = { explicitDays: false, sinceOnly: false, named: true };
    const kinds = async (name: string, r = req) =>
      (await sourceDef(name).syncTasks(name, r, env)).tasks.map((t) => t.kind);
    expect(await kinds('hf')).toEqual(['days']);
    expect(await kinds('arxiv:cs.CL')).toEqual(['feed']);
    expect(await kinds('arxiv:cs.CL', { ...req, explicitDays: true, sinceOnly: true, since: '2025-01-01' })).toEqual([
      'feed',
      'harvest',
    ]);
    expect(() => sourceDef('arxiv:cs.CL').check('arxiv:cs.CL', { ...req, explicitDays: true })).toThrow(UsageError);
    expect(() => sourceDef('nope')).toThrow(UsageError);
    expect([arxivDelayMs(undefined), arxivDelayMs('250'), arxivDelayMs('fast')]).toEqual([3000, 250, 3000]);
    expect(arxivEndpoints()).toEqual({
      rss: 'https://rss.arxiv.org',
      api: 'https://export.arxiv.org',
      oai: 'https://oaipmh.arxiv.org',
      pdf: 'https://arxiv.org',
    });
    expect(arxivEndpoints('http://127.0.0.1:8080/')).toEqual({
      rss: 'http://127.0.0.1:8080',
      api: 'http://127.0.0.1:8080',
      oai: 'http://127.0.0.1:8080',
      pdf: 'http://127.0.0.1:8080',
    });
  });
});
