// The export renderers as pure functions: lazy over their input, and escaping that holds
// for any text (deterministic fuzzing over a hostile alphabet, read back by markdown-it,
// bibtex-parse and csv-parse).
import bibtexParse from 'bibtex-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import MarkdownIt, { type Token } from 'markdown-it';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../src/core/papers.js';
import { asciiFold, baseKey, bibText, KeyAllocator, renderBibtex, renderBibtexEntry } from '../src/render/bibtex.js';
import { csvField, csvText, renderCsv } from '../src/render/csv.js';
import { renderJson, renderNdjson } from '../src/render/json.js';
import { mdText, mdUrl, renderMarkdown, renderMarkdownItem } from '../src/render/markdown.js';
import { cleanLine, displayText, stripControls } from '../src/text.js';
import { makePaper } from './helpers/paper.js';

function paper(over: Partial<Paper> = {}): Paper {
  return makePaper(over.id ?? '2501.00001', {
    title: 'A Title',
    publishedAt: '2025-01-01T00:00:00.000Z',
    ...over,
  });
}

/** Deterministic PRNG (mulberry32), so a failure names a reproducible case. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  ...'\\`*_[]<>|~#()!&;-+=.:$^{}%"\',@ \t\n\r0123456789aZé张',
  '\u001b[31m',
  '\u001b]8;;http://x\u0007',
  '\u0007',
  '\u0000',
  '\u202e',
  '\u009b2J',
  '&amp;',
  '&#27;',
  '&#x1b;',
  '&lt;',
  '<script>',
  '</div>',
  '<!--',
  '-->',
  '](',
  '![',
  '[x](y)',
  '<http://a.b>',
  '1. ',
  '1) ',
  '# ',
  '## ',
  '---',
  '***',
  '___',
  '===',
  '```',
  '~~~',
  '> ',
  '- ',
  '+ ',
  '* ',
  '    code',
  '\\\\',
  '\\$',
  '$x_1$',
  '$\\frac{a}{b}$',
  '$$y$$',
  '{',
  '}',
  '\\textbf{',
  'and',
  ' and ',
  'others',
  'word',
  ' ',
  '  ',
  '|---|',
  '\\]',
];

function hostile(r: () => number, max = 12): string {
  let s = '';
  const n = 1 + Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(r() * PIECES.length)];
  return s;
}

function* forever(): Generator<Paper> {
  for (let i = 0; ; i++)
    yield paper({ id: `2501.${String(i % 100000).padStart(5, '0')}`, day: i < 3 ? '2025-01-03' : '2025-01-02' });
}

function take<T>(it: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const x of it) {
    out.push(x);
    if (out.length >= n) break;
  }
  return out;
}

describe('renderers stream', () => {
  it.each([
    ['markdown', (ps: Iterable<Paper>) => renderMarkdown(ps)],
    ['csv', (ps: Iterable<Paper>) => renderCsv(ps)],
    ['bibtex', (ps: Iterable<Paper>) => renderBibtex(ps)],
    ['json', (ps: Iterable<Paper>) => renderJson(ps)],
    ['ndjson', (ps: Iterable<Paper>) => renderNdjson(ps)],
  ])('%s pulls papers one at a time (an endless input works)', (_name, render) => {
    let pulled = 0;
    const counted = (function* () {
      for (const p of forever()) {
        pulled++;
        yield p;
      }
    })();
    const chunks = take(render(counted), 6);
    expect(chunks).toHaveLength(6);
    expect(pulled).toBeLessThanOrEqual(6);
  });
});

describe('markdown escaping', () => {
  const md = new MarkdownIt('default', { html: true });
  const ALLOWED = new Set(['text', 'link_open', 'link_close', 'hardbreak', 'softbreak']);

  function inlineText(children: Token[]): string {
    return children.map((c) => (c.type === 'hardbreak' ? '\n' : c.content)).join('');
  }

  it('turns any text into literal text: the link, its title and the abstract survive', () => {
    const r = rng(42);
    for (let i = 0; i < 1500; i++) {
      const title = hostile(r);
      const abstract = hostile(r);
      const authors = [hostile(r, 4), hostile(r, 4)];
      const p = paper({ title, abstract, authors, aiKeywords: [hostile(r, 3)], organization: hostile(r, 3) });
      const out = renderMarkdownItem(p);
      const tokens = md.parse(out, {});
      const ctx = JSON.stringify({ title, abstract, authors, out });
      expect(
        tokens.filter((t) => t.type === 'list_item_open'),
        ctx,
      ).toHaveLength(1);
      expect(
        tokens.filter((t) => t.type === 'bullet_list_open'),
        ctx,
      ).toHaveLength(1);
      const blockTypes = tokens
        .map((t) => t.type)
        .filter(
          (t) =>
            ![
              'inline',
              'paragraph_open',
              'paragraph_close',
              'list_item_open',
              'list_item_close',
              'bullet_list_open',
              'bullet_list_close',
            ].includes(t),
        );
      expect(blockTypes, ctx).toEqual([]);
      const inlines = tokens.filter((t) => t.type === 'inline');
      for (const t of inlines)
        for (const c of t.children!) expect(ALLOWED.has(c.type), `${c.type} in ${ctx}`).toBe(true);
      const head = inlines[0]!.children!;
      const close = head.findIndex((c) => c.type === 'link_close');
      // Titles show simple TeX as plain text (issue 11.7); the rest of the text as written.
      const expectedTitle = displayText(title) || p.id;
      expect(inlineText(head.slice(1, close)), ctx).toBe(expectedTitle);
      expect(head[0]!.attrGet('href')).toBe(p.url);
      const lines = inlineText(head).split('\n');
      const names = authors.map(cleanLine).filter(Boolean);
      expect(lines[1]!.startsWith(names.length ? `${names.join(', ')} · 3 upvotes` : '3 upvotes'), ctx).toBe(true);
      if (cleanLine(abstract)) expect(inlineText(inlines[1]!.children!), ctx).toBe(cleanLine(abstract));
      else expect(inlines, ctx).toHaveLength(1);
    }
  });

  it('escapes only what CommonMark reads, so LaTeX and prose stay readable', () => {
    expect(mdText('$\\nabla^2 f(x)$ is Q&A, 2 + 2 = 4!')).toBe('$\\nabla^2 f(x)$ is Q&A, 2 + 2 = 4!');
    expect(mdText('a_b *c* `d` <e> [f] |g| ~h~ #i ![j]')).toBe(
      'a\\_b \\*c\\* \\`d\\` \\<e\\> \\[f\\] \\|g\\| \\~h\\~ \\#i \\!\\[j\\]',
    );
    expect(mdText('&amp; &#27; &#x1B; &copy; AT&T')).toBe('\\&amp; \\&\\#27; \\&\\#x1B; \\&copy; AT&T');
    expect(mdText('\\* and \\ and end\\')).toBe('\\\\\\* and \\ and end\\\\');
    expect(mdText('- a')).toBe('\\- a');
    expect(mdText('+ a')).toBe('\\+ a');
    expect(mdText('=== a')).toBe('\\=== a');
    expect(mdText('2017. A year')).toBe('2017\\. A year');
    expect(mdText('3) three')).toBe('3\\) three');
    expect(mdText('2017 was a year')).toBe('2017 was a year');
    expect(mdText('\u001b[1mbold\u001b[0m\u0007 \u202eevil\n line')).toBe('bold evil line');
  });

  it('keeps URLs with parentheses, spaces or brackets inside one link, and refuses other schemes', () => {
    const cases = [
      'https://x.org/a_(b)',
      'https://x.org/a b',
      'https://x.org/<x>',
      'https://x.org/a)b](c',
      'https://x.org/?q=&amp;',
      'https://x.org/\\',
    ];
    for (const url of cases) {
      const dest = mdUrl(url)!;
      const tokens = md.parseInline(`[t](${dest})`, {})[0]!.children!;
      expect(
        tokens.map((t) => t.type),
        url,
      ).toEqual(['link_open', 'text', 'link_close']);
      expect(decodeURI(String(tokens[0]!.attrGet('href'))), url).toBe(url.replace('\\', '%5C').replace(/%5C$/, '\\'));
    }
    expect(mdUrl('javascript:alert(1)')).toBeNull();
    expect(mdUrl('data:text/html,x')).toBeNull();
    expect(mdUrl('')).toBeNull();
    expect(mdUrl(null)).toBeNull();
  });

  it('groups by day only when asked', () => {
    const ps = [
      paper({ id: '2501.00001', day: '2025-01-03' }),
      paper({ id: '2501.00002', day: '2025-01-03' }),
      paper({ id: '2501.00003', day: '2025-01-02' }),
    ];
    const grouped = [...renderMarkdown(ps)].join('');
    expect(grouped.match(/^## .*$/gm)).toEqual(['## 2025-01-03', '## 2025-01-02']);
    const flat = [...renderMarkdown(ps, { groupByDay: false })].join('');
    expect(flat).not.toMatch(/^#/m);
    expect(flat.match(/ · listed 2025-01-0\d/g)).toHaveLength(3);
    expect([...renderMarkdown([paper({ day: null, days: [] })])].join('')).toMatch(/^## Unknown day\n/);
  });
});

describe('bibtex escaping and keys', () => {
  /** Undo the text escapes: what a reader of the typeset entry sees. */
  function decode(s: string): string {
    const named: Record<string, string> = {
      textbackslash: '\\',
      textbraceleft: '{',
      textbraceright: '}',
      textasciitilde: '~',
      textasciicircum: '^',
    };
    return s.replace(
      /\\(textbackslash|textbraceleft|textbraceright|textasciitilde|textasciicircum)\{\}|\\([%&#_$])/g,
      (_m, name: string | undefined, c: string | undefined) => (name ? named[name]! : c!),
    );
  }

  function balanced(s: string): boolean {
    let depth = 0;
    for (const c of s) {
      if (c === '{') depth++;
      else if (c === '}' && --depth < 0) return false;
    }
    return depth === 0;
  }

  it('keeps any text balanced and parseable, losing nothing', () => {
    const r = rng(7);
    for (let i = 0; i < 1500; i++) {
      const title = hostile(r);
      const abstract = hostile(r);
      const authors = [hostile(r, 4), hostile(r, 4)];
      const p = paper({ title, abstract, authors });
      const entry = renderBibtexEntry(p, 'key');
      const ctx = JSON.stringify({ title, abstract, authors, entry });
      expect(balanced(entry), ctx).toBe(true);
      const items = bibtexParse.parse(entry) as {
        itemtype: string;
        comment?: string;
        fields?: { name: string; value: string }[];
      }[];
      const entries = items.filter((x) => x.itemtype === 'entry');
      expect(entries, ctx).toHaveLength(1);
      for (const x of items) if (x.itemtype === 'comment') expect(x.comment!.trim(), ctx).toBe('');
      const fields = Object.fromEntries(entries[0]!.fields!.map((f) => [f.name, String(f.value)]));
      expect(fields.title, ctx).toBe(`{${bibText(title) || p.id}}`);
      expect(fields.eprint).toBe(p.id);
      // Outside math, every special character comes back from its escape.
      if (!/\\[%&#_$]|\$/.test(cleanLine(title))) expect(decode(bibText(title)), ctx).toBe(cleanLine(title));
    }
  });

  it('escapes the specials, keeps balanced math, and escapes math that is not', () => {
    expect(bibText('100% & #1 _a_ ~ ^ \\ { }')).toBe(
      '100\\% \\& \\#1 \\_a\\_ \\textasciitilde{} \\textasciicircum{} \\textbackslash{} \\textbraceleft{} \\textbraceright{}',
    );
    expect(bibText('$\\mathcal{O}(n^2)$ and $$\\sum_i x_i$$')).toBe('$\\mathcal{O}(n^2)$ and $$\\sum_i x_i$$');
    expect(bibText('$50\\%$ of $a % b$')).toBe('$50\\%$ of $a \\% b$');
    expect(bibText('$\\frac{1}{2$ x')).toBe(
      '\\$\\textbackslash{}frac\\textbraceleft{}1\\textbraceright{}\\textbraceleft{}2\\$ x',
    );
    expect(bibText('$a}{b$')).toBe('\\$a\\textbraceright{}\\textbraceleft{}b\\$');
    expect(bibText('cost $5')).toBe('cost \\$5');
    expect(bibText('\u001b[31mred\u001b[0m\u0000')).toBe('red');
  });

  it('braces author names BibTeX would split or reorder', () => {
    const e = renderBibtexEntry(
      paper({ authors: ['Tom and Jerry', 'Smith, John', 'others', 'Ada Lovelace', 'ANDREW Ng'] }),
      'k',
    );
    expect(e).toContain('author = {{Tom and Jerry} and {Smith, John} and {others} and Ada Lovelace and ANDREW Ng}');
  });

  it('makes lastname + year + first title word, ASCII-folded', () => {
    expect(
      baseKey(
        paper({
          authors: ['Ashish Vaswani', 'Noam Shazeer'],
          title: 'Attention Is All You Need',
          publishedAt: '2017-06-12T00:00:00.000Z',
        }),
      ),
    ).toBe('vaswani2017attention');
    expect(baseKey(paper({ authors: ['Łukasz Kaiser'], title: 'The Ünïcode Ärä' }))).toBe('kaiser2025unicode');
    expect(baseKey(paper({ authors: ['José Müller-Straße'], title: 'A Survey' }))).toBe('mullerstrasse2025survey');
    expect(baseKey(paper({ authors: ['Martin Luther King Jr.'], title: 'On $\\alpha$-Dreams' }))).toBe(
      'king2025dreams',
    );
    expect(baseKey(paper({ authors: ['张伟'], title: '视觉 Transformers' }))).toBe('anon2025transformers');
    expect(baseKey(paper({ authors: [], title: '视觉' }))).toBe('anon2025');
    // No publication time: the listing day's year.
    expect(baseKey(paper({ authors: ['Ada Lovelace'], title: 'Notes', publishedAt: null, day: '2024-12-30' }))).toBe(
      'lovelace2024notes',
    );
    expect(asciiFold('Ærøskøbing Œuvre ﬁne ß')).toBe('aeroskobingoeuvrefiness');
  });

  it('suffixes colliding keys a, b, ... z, aa in input order', () => {
    const keys = new KeyAllocator();
    const got = Array.from({ length: 29 }, () => keys.next('smith2025x'));
    expect(got.slice(0, 4)).toEqual(['smith2025x', 'smith2025xa', 'smith2025xb', 'smith2025xc']);
    expect(got[26]).toBe('smith2025xz');
    expect(got[27]).toBe('smith2025xaa');
    expect(new Set(got).size).toBe(29);
    // A natural key that equals an earlier suffixed one still gets its own.
    // (`smith2025xaa` and `smith2025xab` are taken above.)
    expect(keys.next('smith2025xa')).toBe('smith2025xac');
    const ps = [paper({ id: '2501.00001' }), paper({ id: '2501.00002' }), paper({ id: '2501.00003', title: 'Other' })];
    const out = [...renderBibtex(ps)].join('');
    expect(out.match(/^@misc\{([a-z0-9]+),$/gm)).toEqual([
      '@misc{lovelace2025title,',
      '@misc{lovelace2025titlea,',
      '@misc{lovelace2025other,',
    ]);
  });
});

describe('cleanLine fast paths', () => {
  it('give exactly what the plain definition gives (strip everything, collapse every \\s+)', () => {
    const r = rng(2024);
    for (let i = 0; i < 5000; i++) {
      const s = hostile(r, 20) + (i % 3 ? '\u00a0\u2028 \ufeff\v\f' : '');
      const plain = stripControls(s + '\u0000')
        .replace(/\s+/g, ' ')
        .trim();
      expect(cleanLine(s), JSON.stringify(s)).toBe(plain);
    }
  });
});

describe('csv cells', () => {
  it('neutralises formula starts and round-trips through a CSV parser', () => {
    expect(csvText('=1+1')).toBe("'=1+1");
    expect(csvText('+1')).toBe("'+1");
    expect(csvText('-1')).toBe("'-1");
    expect(csvText('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvText('\t=1')).toBe("'=1");
    expect(csvText('\r\n-x')).toBe("'-x");
    expect(csvText('a=1')).toBe('a=1');
    expect(csvText(null)).toBe('');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('a\nb')).toBe('"a\nb"');
    expect(csvField('plain')).toBe('plain');
    const r = rng(99);
    const rows: string[][] = [];
    for (let i = 0; i < 500; i++) rows.push([hostile(r), hostile(r), hostile(r)]);
    const text = rows.map((row) => row.map((c) => csvField(csvText(c))).join(',') + '\r\n').join('');
    const back = parseCsv(text) as string[][];
    expect(back).toEqual(rows.map((row) => row.map(csvText)));
    for (const row of back) for (const c of row) expect(c).not.toMatch(/^[=+\-@\t\r]/);
  });
});
