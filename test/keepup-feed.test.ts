// RSS 2.0 and Atom 1.0 renderers, parsed back with fast-xml-parser: well-formed,
// stable ids, escaped text with invalid XML characters removed, RFC 822 / RFC 3339 dates.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../src/core/papers.js';
import { renderAtom, renderRss } from '../src/render/feed.js';
import { makePaper } from './helpers/paper.js';

function paper(id: string, o: Partial<Paper> = {}): Paper {
  return makePaper(id, {
    authors: ['Ada Lovelace', 'Alan Turing'],
    abstract: `Abstract of ${id}.`,
    upvotes: 7,
    comments: 1,
    publishedAt: '2025-03-08T17:59:00.000Z',
    days: ['2025-03-10', '2025-03-11'],
    day: '2025-03-11',
    aiSummary: `Summary of ${id}.`,
    aiKeywords: ['agents'],
    firstSeen: '2025-03-10T20:00:00.000Z',
    updatedAt: '2025-03-11T20:00:00.000Z',
    ...o,
  });
}

const HOSTILE = paper('2503.00666', {
  title: 'Break <script>alert(1)</script> & "quote" \'apos\' ]]> \u0001\u001b[31mred\u001b[0m \ufffe\ud800 \u202eevil',
  authors: ['Eve <img src=x onerror=alert(1)>', 'Mallory & Co'],
  aiSummary: 'Summary with <b>tags</b> & a link <a href="javascript:alert(1)">x</a>\u0007',
  aiKeywords: ['<kw>', 'a&b'],
  githubRepo: 'javascript:alert(1)',
  projectPage: 'https://example.org/p?a=1&b="2"',
});

const PAPERS = [
  paper('2503.00001'),
  paper('2503.00002', { aiSummary: null, days: ['2025-03-12'], day: '2025-03-12' }),
  HOSTILE,
];
const META = {
  title: 'papers: agents & <tools>',
  link: 'https://huggingface.co/papers',
  description: 'Daily Papers matching agents',
  updated: '2025-03-17T20:00:00.000Z',
};

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  isArray: (name, jpath) =>
    ['item', 'entry', 'category', 'author'].includes(name) || /^feed\.(entry\.)?link$/.test(String(jpath)),
});
const text = (chunks: Iterable<string>) => [...chunks].join('');
const RFC822 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
// eslint-disable-next-line no-control-regex
const INVALID_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('RSS 2.0', () => {
  const xml = text(renderRss(PAPERS, META));

  it('is well-formed XML with a valid channel', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(INVALID_XML.test(xml)).toBe(false);
    const doc = parser.parse(xml);
    expect(doc.rss['@_version']).toBe('2.0');
    const ch = doc.rss.channel;
    expect(ch.title).toBe('papers: agents & <tools>');
    expect(ch.link).toBe('https://huggingface.co/papers');
    expect(ch.description).toBe('Daily Papers matching agents');
    expect(ch.lastBuildDate).toBe('Mon, 17 Mar 2025 20:00:00 GMT');
    expect(ch.item).toHaveLength(3);
  });

  it('gives stable GUIDs and first-listing-day dates', () => {
    const items = parser.parse(xml).rss.channel.item;
    expect(
      items.map((i: { guid: { '#text': string; '@_isPermaLink': string } }) => [
        i.guid['#text'],
        i.guid['@_isPermaLink'],
      ]),
    ).toEqual([
      ['https://arxiv.org/abs/2503.00001', 'true'],
      ['https://arxiv.org/abs/2503.00002', 'true'],
      ['https://arxiv.org/abs/2503.00666', 'true'],
    ]);
    expect(items[0].link).toBe('https://arxiv.org/abs/2503.00001');
    expect(items[0].pubDate).toBe('Mon, 10 Mar 2025 00:00:00 GMT');
    expect(items[1].pubDate).toBe('Wed, 12 Mar 2025 00:00:00 GMT');
    for (const i of items) expect(i.pubDate).toMatch(RFC822);
    // Rewritten later (new build date, new upvotes): the items do not change identity or date.
    const later = text(
      renderRss(
        PAPERS.map((p) => ({ ...p, upvotes: (p.upvotes ?? 0) + 10, updatedAt: '2025-03-20T00:00:00.000Z' })),
        { ...META, updated: '2025-03-20T07:00:00Z' },
      ),
    );
    const again = parser.parse(later).rss.channel.item;
    expect(again.map((i: { guid: unknown; pubDate: string }) => [i.guid, i.pubDate])).toEqual(
      items.map((i: { guid: unknown; pubDate: string }) => [i.guid, i.pubDate]),
    );
  });

  it('escapes remote text and drops what XML cannot carry', () => {
    const item = parser.parse(xml).rss.channel.item[2];
    expect(item.title).toBe('Break <script>alert(1)</script> & "quote" \'apos\' ]]> red evil');
    expect(item['dc:creator']).toBe('Eve <img src=x onerror=alert(1)>, Mallory & Co');
    expect(item.category).toEqual(['<kw>', 'a&b']);
    // The description is HTML: after XML decoding, the remote text is still escaped HTML.
    const html: string = item.description;
    expect(html).toContain(
      'Summary with &lt;b&gt;tags&lt;/b&gt; &amp; a link &lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;',
    );
    expect(html).not.toMatch(/<(script|img|b)\b/);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toEqual([
      'https://arxiv.org/abs/2503.00666',
      'https://arxiv.org/pdf/2503.00666',
      'https://huggingface.co/papers/2503.00666',
      'https://example.org/p?a=1&amp;b=%222%22',
    ]);
  });

  it('streams: a chunk per paper, without reading the whole list first', () => {
    let pulled = 0;
    function* source() {
      for (let i = 1; ; i++) {
        pulled++;
        yield paper(`2503.${String(i).padStart(5, '0')}`);
      }
    }
    const it = renderRss(source(), META);
    const head = [];
    for (let i = 0; i < 8; i++) head.push(it.next().value);
    expect(pulled).toBeLessThanOrEqual(2);
    expect(head.join('')).toContain('<guid isPermaLink="true">https://arxiv.org/abs/2503.00001</guid>');
  });

  it('is valid with no papers', () => {
    const empty = text(renderRss([], META));
    expect(XMLValidator.validate(empty)).toBe(true);
    expect(parser.parse(empty).rss.channel.item).toBeUndefined();
  });
});

describe('Atom 1.0', () => {
  const xml = text(renderAtom(PAPERS, { ...META, selfUrl: 'https://example.org/feeds/agents.atom' }));

  it('is well-formed XML with the required feed elements', () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(INVALID_XML.test(xml)).toBe(false);
    const feed = parser.parse(xml).feed;
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toBe('https://example.org/feeds/agents.atom');
    expect(feed.title['#text']).toBe('papers: agents & <tools>');
    expect(feed.updated).toBe('2025-03-17T20:00:00.000Z');
    expect(feed.updated).toMatch(RFC3339);
    expect(feed.link.map((l: Record<string, string>) => [l['@_rel'], l['@_href']])).toEqual([
      ['alternate', 'https://huggingface.co/papers'],
      ['self', 'https://example.org/feeds/agents.atom'],
    ]);
    expect(feed.author[0].name).toBeTruthy();
    expect(feed.entry).toHaveLength(3);
  });

  it('gives each entry a stable id, dates, authors and categories', () => {
    const [e1, , e3] = parser.parse(xml).feed.entry;
    expect(e1.id).toBe('https://arxiv.org/abs/2503.00001');
    expect(e1.published).toBe('2025-03-10T00:00:00.000Z');
    expect(e1.updated).toBe('2025-03-10T00:00:00.000Z');
    expect(e1.link[0]['@_href']).toBe('https://arxiv.org/abs/2503.00001');
    expect(e1.author.map((a: { name: string }) => a.name)).toEqual(['Ada Lovelace', 'Alan Turing']);
    expect(e1.category.map((c: Record<string, string>) => c['@_term'])).toEqual(['agents']);
    expect(e3.title['#text']).toBe('Break <script>alert(1)</script> & "quote" \'apos\' ]]> red evil');
    expect(e3.author.map((a: { name: string }) => a.name)).toEqual([
      'Eve <img src=x onerror=alert(1)>',
      'Mallory & Co',
    ]);
    expect(e3.summary['@_type']).toBe('html');
    expect(e3.summary['#text']).not.toMatch(/<(script|img|b)\b/);
    const hrefs = [...(e3.summary['#text'] as string).matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBe(4);
    for (const h of hrefs) expect(h).toMatch(/^https:\/\//);
  });

  it('falls back to the link as the feed id and stays valid with no papers', () => {
    const empty = text(renderAtom([], META));
    expect(XMLValidator.validate(empty)).toBe(true);
    expect(parser.parse(empty).feed.id).toBe('https://huggingface.co/papers');
  });
});
