// The arXiv benchmark's generated feeds keep the real feed's shape: a generated day parses
// with the real parser into one record per item, on the generated day, with the types,
// versions and fields the generator wrote.
import { describe, expect, it } from 'vitest';
// @ts-ignore: a plain ESM bench helper without type declarations
import { generateFeeds, loadTemplate } from '../bench/lib/arxiv-feed.mjs';
import { parseFeed } from '../src/sources/arxiv/feed.js';

describe('bench/lib/arxiv-feed.mjs', () => {
  it('a generated day parses with the real feed parser into its items', () => {
    const template = loadTemplate();
    const [first, second] = [...generateFeeds({ days: 2, perDay: 200, seed: 3, template })] as {
      day: string;
      body: string;
      items: number;
      fresh: number;
    }[];
    const feed = parseFeed(second!.body, 'generated');
    expect(feed.day).toBe(second!.day);
    expect(feed.skipped).toBe(0);
    expect(feed.entries.length).toBe(second!.items);
    expect(feed.entries.filter((e) => e.listingType === 'new' || e.listingType === 'cross').length).toBe(second!.fresh);
    const replaced = feed.entries.filter((e) => e.listingType?.startsWith('replace'));
    expect(replaced.length).toBeGreaterThan(0);
    for (const e of replaced) expect(e.arxiv!.version).toBeGreaterThan(1);
    for (const e of feed.entries) {
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.abstract.length).toBeGreaterThan(0);
      expect(e.authors.length).toBeGreaterThan(0);
      expect(e.arxiv!.categories.length).toBeGreaterThan(0);
    }
    expect(parseFeed(first!.body, 'generated').entries.length).toBe(first!.items);
  });
});
