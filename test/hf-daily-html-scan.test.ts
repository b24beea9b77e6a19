// The HTML fallback reads the DailyPapers props with one linear scan, not a DOM: the same
// values as a DOM parser on real-shaped pages, decoys ignored, and a page of 60k nested
// unclosed tags (which held a DOM parser for minutes) parsed at once.
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../src/errors.js';
import { findTagAttribute, parseHtmlPage } from '../src/sources/hf-page.js';
// @ts-ignore: a plain ESM helper without type declarations
import { escapeAttr, renderPage } from '../kit/hf-server.mjs';
import { makeEntries, readFixture } from './helpers/fixtures.js';

const domProps = (html: string) => load(html)('[data-target="DailyPapers"]').first().attr('data-props');

async function scanProps(html: string): Promise<string | undefined> {
  const raw = findTagAttribute(html, 'data-target', 'DailyPapers', 'data-props');
  if (raw === undefined || raw === null) return undefined;
  // decoded as parseHtmlPage decodes it
  return load(`<i v="${raw}"></i>`, null, false)('i').attr('v');
}

describe('findTagAttribute: the props a DOM parser finds', () => {
  it('on the fixture page and on a generated page with awkward text', async () => {
    const entries = makeEntries('2025-01-02', 3);
    entries[0]!.title = 'Quotes " and \' and <tags> & &amp; entities, é, 😀, --> and <!--';
    const pages = [readFixture('papers-page.html'), renderPage('2025-01-02', entries)];
    for (const html of pages) {
      expect(await scanProps(html)).toBe(domProps(html));
      expect(await scanProps(html)).toBeTruthy();
    }
    const parsed = await parseHtmlPage(pages[1]!, 'page');
    expect(parsed.entries[0]!.title).toBe('Quotes " and \' and <tags> & &amp; entities, é, 😀, --> and <!--');
    expect(parsed.day).toBe('2025-01-02');
  });

  it('decoys in comments, scripts and other attributes are not the element', async () => {
    const props = escapeAttr(
      JSON.stringify({ date: '2025-01-02T00:00:00.000Z', dailyPapers: makeEntries('2025-01-02', 1) }),
    );
    const html = `<!doctype html><html><head><script>const s = '<div data-target="DailyPapers" data-props="{}">';</script></head>
<body><!-- <div data-target="DailyPapers" data-props="[]"> -->
<p title='<div data-target="DailyPapers" data-props="1">'>x</p>
<DIV Class=x DATA-TARGET = "DailyPapers"
  data-props='${props}'></DIV></body></html>`;
    expect(await scanProps(html)).toBe(domProps(html));
    expect((await parseHtmlPage(html, 'page')).entries).toHaveLength(1);
  });

  it('an element without props, and a page without the element', async () => {
    expect(
      findTagAttribute('<div data-target="DailyPapers"></div>', 'data-target', 'DailyPapers', 'data-props'),
    ).toBeNull();
    expect(
      findTagAttribute('<div data-target="Other" data-props="{}">', 'data-target', 'DailyPapers', 'data-props'),
    ).toBeUndefined();
    expect(findTagAttribute('<div data-target="DailyPap', 'data-target', 'DailyPapers', 'data-props')).toBeUndefined();
    await expect(parseHtmlPage('<html><body>nothing</body></html>', 'page')).rejects.toThrow(
      /no DailyPapers element in page/,
    );
    await expect(parseHtmlPage('<div data-target="DailyPapers"></div>', 'page')).rejects.toBeInstanceOf(ParseError);
  });
});

describe('hostile pages', () => {
  it('60k nested unclosed tags before the element: parsed in one pass', async () => {
    const props = escapeAttr(
      JSON.stringify({ date: '2025-01-02T00:00:00.000Z', dailyPapers: makeEntries('2025-01-02', 2) }),
    );
    const html = `<html><body>${'<div><b><i><a>'.repeat(15_000)}<div data-target="DailyPapers" data-props="${props}"></div></body></html>`;
    const parsed = await parseHtmlPage(html, 'page');
    expect(parsed.entries.map((e) => e.id)).toEqual(['2501.10000', '2501.10001']);
  });

  it('60k nested unclosed tags and no element: a clear error, at once', async () => {
    const html = `<html><body>${'<div><span><b><i>'.repeat(15_000)}`;
    await expect(parseHtmlPage(html, 'page')).rejects.toThrow(/no DailyPapers element in page/);
  });

  it('an unclosed quote or comment ends the scan instead of looping', () => {
    expect(
      findTagAttribute(
        '<div a="x data-target="DailyPapers" data-props="{}">',
        'data-target',
        'DailyPapers',
        'data-props',
      ),
    ).toBeUndefined();
    expect(
      findTagAttribute(
        '<!-- <div data-target="DailyPapers" data-props="{}">',
        'data-target',
        'DailyPapers',
        'data-props',
      ),
    ).toBeUndefined();
    expect(
      findTagAttribute(
        '<script><div data-target="DailyPapers" data-props="{}">',
        'data-target',
        'DailyPapers',
        'data-props',
      ),
    ).toBeUndefined();
  });
});
