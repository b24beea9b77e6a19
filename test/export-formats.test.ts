// `papers export` in every format over an archive built through the real import path
// from hand-made API bodies full of hostile text, each read back with an independent
// parser (markdown-it, csv-parse, bibtex-parse, JSON.parse).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import bibtexParse from 'bibtex-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import MarkdownIt, { type Token } from 'markdown-it';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../src/core/papers.js';
import { cleanLine, displayText } from '../src/text.js';
import { texToPlain } from '../src/tex.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'export');
const NOW = '2025-01-04T12:00:00Z';
const DAYS = ['2025-01-02', '2025-01-03'];

// Raw terminal controls: ESC, C1 (8-bit CSI/OSC), BEL, NUL, CR, bidi overrides.
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/;

let home: string;
let papers: Paper[];

async function cli(argv: string[], opts: { tty?: boolean } = {}) {
  return runCli(argv, { home, now: NOW, ...opts });
}

async function exportOk(argv: string[], opts: { tty?: boolean } = {}): Promise<string> {
  const r = await cli(['export', ...argv], opts);
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return r.stdout;
}

async function listJson(argv: string[] = []): Promise<Paper[]> {
  const r = await cli(['list', '--json', ...argv]);
  expect(r.exitCode).toBe(0);
  return JSON.parse(r.stdout) as Paper[];
}

afterAll(() => rmSync(home, { recursive: true, force: true }));

beforeAll(async () => {
  home = tempHome();
  for (const day of DAYS) {
    const r = await runCli(['import', '--date', day, join(FIXTURES, `${day}.json`)], { home, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
  }
  papers = await listJson();
  // The fixtures hold 11 entries: 10 papers, one of them listed on both days.
  expect(papers).toHaveLength(10);
  expect(papers.find((p) => p.id === '2501.00001')?.days).toEqual(DAYS);
  // The fixtures carry hostile text; the archive holds it cleaned at ingest (the renderers
  // still defuse what reaches them).
  expect(DAYS.some((day) => readFileSync(join(FIXTURES, `${day}.json`), 'utf8').includes('\\u001b[31m'))).toBe(true);
  expect(papers.some((p) => p.title.includes('\u001b'))).toBe(false);
});

const byId = (id: string) => papers.find((p) => p.id === id)!;

describe('export --format json / ndjson', () => {
  it('equals `papers list --json`, object for object', async () => {
    const out = await exportOk(['-f', 'json']);
    expect(JSON.parse(out)).toEqual(papers);
    expect(out.startsWith('[\n')).toBe(true);
    expect(out.endsWith('\n]\n')).toBe(true);
  });

  it('NDJSON has one `--json` object per line', async () => {
    const out = await exportOk(['-f', 'ndjson']);
    const lines = out.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toEqual(papers);
  });

  it('follows the filters and the sort like list does', async () => {
    const argv = ['--date', '2025-01-02', '--sort', 'upvotes', '--min-upvotes', '8'];
    const expected = await listJson(argv);
    expect(expected.length).toBeGreaterThan(2);
    expect(JSON.parse(await exportOk(['-f', 'json', ...argv]))).toEqual(expected);
    expect(JSON.parse(await exportOk(['-f', 'json', '--limit', '3']))).toEqual(papers.slice(0, 3));
  });

  it('--query exports the search hits as plain papers, in rank order', async () => {
    const r = await cli(['search', 'attention', '--json']);
    const hits = JSON.parse(r.stdout) as Paper[];
    expect(hits.length).toBeGreaterThan(1);
    const out = JSON.parse(await exportOk(['-f', 'json', '--query', 'attention'])) as Paper[];
    expect(out).toEqual(hits);
    for (const p of out) {
      expect(Object.keys(p)).toEqual(Object.keys(papers[0]!));
    }
  });

  it('has the values cleaned at ingest: no control, raw or escaped, reaches `jq -r`', async () => {
    const out = await exportOk(['-f', 'ndjson']);
    expect(out).not.toMatch(TERMINAL_CONTROLS);
    for (const esc of ['\\u001b', '\\u202e', '\\u009b', '\\u0000']) expect(out).not.toContain(esc);
    const hostile = out
      .split('\n')
      .map((l) => (l ? (JSON.parse(l) as Paper) : null))
      .find((p) => p?.id === '2501.00002');
    expect(hostile!.title).toBe('Red Title click here bell NUL bidi evil C1 done');
  });
});

describe('export --format markdown', () => {
  const md = new MarkdownIt('default', { html: true });

  interface Item {
    tokens: Token[];
    inline: Token[];
  }

  function items(out: string): { headings: string[]; items: Item[]; all: Token[] } {
    const all = md.parse(out, {});
    const headings: string[] = [];
    const list: Item[] = [];
    let current: Item | null = null;
    for (let i = 0; i < all.length; i++) {
      const t = all[i]!;
      if (t.type === 'heading_open') headings.push(`${t.tag} ${all[i + 1]!.content}`);
      if (t.type === 'list_item_open') list.push((current = { tokens: [], inline: [] }));
      else if (t.type === 'list_item_close') current = null;
      else if (current) {
        current.tokens.push(t);
        if (t.type === 'inline') current.inline.push(t);
      }
    }
    return { headings, items: list, all };
  }

  /** Text of inline children, with hard breaks as newlines. */
  function text(children: Token[]): string {
    return children.map((c) => (c.type === 'hardbreak' ? '\n' : c.type === 'softbreak' ? ' ' : c.content)).join('');
  }

  function linkText(children: Token[]): string {
    const open = children.findIndex((c) => c.type === 'link_open');
    const close = children.findIndex((c) => c.type === 'link_close');
    return text(children.slice(open + 1, close));
  }

  it('gives one heading per day, newest first, and one list item per paper', async () => {
    const out = await exportOk([]);
    const doc = items(out);
    expect(doc.headings).toEqual(['h2 2025-01-03', 'h2 2025-01-02']);
    expect(doc.items).toHaveLength(papers.length);
    // Items follow the list order: by day, then upvotes.
    const hrefs = doc.items.map((it) => it.inline[0]!.children!.find((c) => c.type === 'link_open')!.attrGet('href'));
    expect(hrefs).toEqual(papers.map((p) => p.url));
    expect(new Set(doc.all.filter((t) => t.type === 'bullet_list_open').map((t) => t.level))).toEqual(new Set([0]));
  });

  it('keeps every title, author list and abstract intact as plain text', async () => {
    const out = await exportOk([]);
    const doc = items(out);
    doc.items.forEach((item, i) => {
      const p = papers[i]!;
      const [head, abstract] = item.inline;
      const lines = text(head!.children!).split('\n');
      expect(linkText(head!.children!)).toBe(displayText(p.title));
      expect(lines[0]).toBe(displayText(p.title));
      const authors = p.authors.map(cleanLine).join(', ');
      expect(lines[1]!.startsWith(`${authors} · ${p.upvotes} upvote`)).toBe(true);
      if (p.aiKeywords.length) expect(lines[3]).toBe(`Keywords: ${p.aiKeywords.map(cleanLine).join(', ')}`);
      expect(abstract!.content.length).toBeGreaterThan(0);
      expect(text(abstract!.children!)).toBe(cleanLine(p.abstract));
    });
    // The hostile ones, spelled out.
    expect(cleanLine(byId('2501.00002').title)).toBe('Red Title click here bell NUL bidi evil C1 done');
    expect(out).toContain('# 1. A'.replace('#', '\\#'));
  });

  it('lets no remote text become markup: no HTML, code, emphasis, images, quotes, tables, nested lists', async () => {
    const out = await exportOk([]);
    const { all } = items(out);
    const types = new Set<string>();
    for (const t of all) {
      types.add(t.type);
      for (const c of t.children ?? []) types.add(c.type);
    }
    for (const bad of [
      'html_block',
      'html_inline',
      'code_inline',
      'code_block',
      'fence',
      'em_open',
      'strong_open',
      's_open',
      'image',
      'blockquote_open',
      'table_open',
      'ordered_list_open',
      'hr',
      'lheading',
      'entity',
    ]) {
      expect(types, bad).not.toContain(bad);
    }
    // Links are only ours: title, arXiv, PDF, Hugging Face, code, project page.
    const links = all.flatMap((t) => (t.children ?? []).filter((c) => c.type === 'link_open'));
    const ours = papers.reduce((n, p) => n + 4 + (p.githubRepo ? 1 : 0) + (p.projectPage ? 1 : 0), 0);
    expect(links).toHaveLength(ours);
    const html = md.render(out);
    expect(html).not.toMatch(/<(script|div|b)>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out).not.toMatch(TERMINAL_CONTROLS);
  });

  it('links arXiv, PDF, Hugging Face, code and project page, URLs intact', async () => {
    const out = await exportOk([]);
    const doc = items(out);
    const i = papers.findIndex((p) => p.id === '2501.00001');
    const p = papers[i]!;
    const hrefs = doc.items[i]!.inline[0]!.children!.filter((c) => c.type === 'link_open').map((c) =>
      c.attrGet('href'),
    );
    expect(p.githubRepo).toContain('(again)');
    expect(p.projectPage).toContain('&lt;');
    expect(hrefs).toEqual([p.url, p.url, p.pdfUrl, p.hfUrl, p.githubRepo, p.projectPage]);
    expect(text(doc.items[i]!.inline[0]!.children!)).toContain('Code (1300 stars)');
  });

  it("shows a title's simple TeX as plain text (issue 11.7) and keeps the abstract's as written", async () => {
    const doc = items(await exportOk([]));
    const i = papers.findIndex((p) => p.id === '2501.00006');
    const title = linkText(doc.items[i]!.inline[0]!.children!);
    expect(title).toBe(
      texToPlain('$\\nabla^2$-Flow: Learning $O(n \\log n)$ Operators for $\\mathcal{L}_2$ Costs of 5$'),
    );
    expect(title).not.toContain('\\');
    expect(text(doc.items[i]!.inline[1]!.children!)).toBe(
      'We show $\\sum_{i=1}^n x_i^2 \\leq 1$ and a broken $\\frac{1}{2$ formula.',
    );
  });

  it('lists a paper under its latest listing day in range, once', async () => {
    const all = await exportOk([]);
    expect(all.match(/abs\/2501\.00001>\)\\\n/g)).toHaveLength(1);
    const day1 = await exportOk(['--date', '2025-01-02']);
    const doc = items(day1);
    expect(doc.headings).toEqual(['h2 2025-01-02']);
    expect(doc.items).toHaveLength(8);
    expect(day1).toContain('](<https://arxiv.org/abs/2501.00001>)');
  });

  it('--no-abstract drops the abstracts and nothing else', async () => {
    const doc = items(await exportOk(['--no-abstract']));
    expect(doc.items).toHaveLength(papers.length);
    for (const item of doc.items) expect(item.inline).toHaveLength(1);
  });

  it('--query gives one flat list in rank order, each item naming its day', async () => {
    const out = await exportOk(['--query', 'attention']);
    const doc = items(out);
    expect(doc.headings).toEqual([]);
    const hits = JSON.parse((await cli(['search', 'attention', '--json'])).stdout) as Paper[];
    expect(doc.items).toHaveLength(hits.length);
    doc.items.forEach((item, i) => {
      expect(linkText(item.inline[0]!.children!)).toBe(cleanLine(hits[i]!.title));
      expect(text(item.inline[0]!.children!)).toContain(`listed ${hits[i]!.day}`);
    });
  });

  it('is the same document on a TTY and in a pipe', async () => {
    const piped = await exportOk([]);
    const tty = await exportOk([], { tty: true });
    expect(tty).toBe(piped);
  });
});

describe('export --format csv', () => {
  function expectedCell(v: string | null): string {
    if (v === null) return '';
    const s = cleanLine(v);
    return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  }

  function expectedRow(p: Paper): string[] {
    const num = (n: number | null) => (n === null ? '' : String(n));
    const list = (xs: string[]) => expectedCell(xs.map(cleanLine).join('; '));
    return [
      expectedCell(p.id),
      expectedCell(displayText(p.title)),
      list(p.authors),
      expectedCell(p.day),
      list(p.days),
      num(p.upvotes),
      num(p.comments),
      expectedCell(p.publishedAt),
      expectedCell(p.url),
      expectedCell(p.pdfUrl),
      expectedCell(p.hfUrl),
      expectedCell(p.githubRepo),
      num(p.githubStars),
      expectedCell(p.projectPage),
      expectedCell(p.organization),
      list(p.aiKeywords),
      expectedCell(p.aiSummary),
      expectedCell(p.abstract),
    ];
  }

  it('reads back as a header and one row per paper, equal to --json after normalisation', async () => {
    const out = await exportOk(['-f', 'csv']);
    const rows = parseCsv(out, { relax_quotes: false, relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual([
      'id',
      'title',
      'authors',
      'day',
      'days',
      'upvotes',
      'comments',
      'published_at',
      'url',
      'pdf_url',
      'hf_url',
      'github_repo',
      'github_stars',
      'project_page',
      'organization',
      'ai_keywords',
      'ai_summary',
      'abstract',
    ]);
    expect(rows.slice(1)).toEqual(papers.map(expectedRow));
  });

  it('uses CRLF line ends and quotes only where RFC 4180 needs it', async () => {
    const out = await exportOk(['-f', 'csv']);
    expect(out.endsWith('\r\n')).toBe(true);
    const lines = out.split('\r\n');
    expect(lines).toHaveLength(papers.length + 2);
    expect(out.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const row = lines.find((l) => l.startsWith('2501.00004,'))!;
    expect(row).toContain(`,"'=HYPERLINK(""http://evil.example"",""click"")",`);
    expect(row).toContain(`,"'@at; -minus; Comma, Person",`);
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const rows = parseCsv(await exportOk(['-f', 'csv']), { columns: true }) as Record<string, string>[];
    const evil = rows.find((r) => r.id === '2501.00004')!;
    expect(evil.title).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(evil.organization).toBe(`'=cmd|' /C calc'!A0`);
    expect(evil.authors).toBe(`'@at; -minus; Comma, Person`);
    expect(evil.abstract).toBe(`'+1, "quoted", -2 newline, and more`);
    expect(rows.find((r) => r.id === '2501.00003')!.abstract!.startsWith("'- starts with dash")).toBe(true);
    for (const r of rows) {
      for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@\t\r]/);
    }
  });

  it('strips terminal controls and keeps non-ASCII text', async () => {
    const out = await exportOk(['-f', 'csv']);
    expect(out.replace(/\r\n/g, '\n')).not.toMatch(TERMINAL_CONTROLS);
    expect(out).toContain('José Müller');
    expect(out).toContain('张伟; 李娜; Zoë Ångström');
  });
});

describe('export --format bibtex', () => {
  interface Entry {
    key: string;
    type: string;
    /** Field values as written between the outer braces, upper-case names. */
    [field: string]: string;
  }

  interface BibItem {
    itemtype: string;
    comment?: string;
    key?: string;
    type?: string;
    fields?: { name: string; value: unknown; datatype: string }[];
  }

  /** Entries from bibtex-parse's syntax tree: raw values, nothing simplified away. */
  function readBib(out: string): Entry[] {
    const items = bibtexParse.parse(out) as BibItem[];
    // Nothing outside the entries but blank lines: no field leaked out of its entry.
    for (const x of items) if (x.itemtype === 'comment') expect(x.comment!.trim()).toBe('');
    return items
      .filter((x) => x.itemtype === 'entry')
      .map((x) => {
        const e: Entry = { key: x.key!, type: x.type! };
        for (const f of x.fields!) {
          expect(f.datatype).toBe('braced');
          e[f.name.toUpperCase()] = String(f.value);
        }
        return e;
      });
  }

  /** Splits an author field on ` and ` outside braces, as BibTeX does. */
  function splitAuthors(s: string): string[] {
    const out: string[] = [];
    let depth = 0;
    let cur = '';
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (c === '{') depth++;
      if (c === '}') depth--;
      if (depth === 0 && s.startsWith(' and ', i)) {
        out.push(cur);
        cur = '';
        i += 4;
        continue;
      }
      cur += c;
    }
    return [...out, cur];
  }

  function balancedRaw(s: string): boolean {
    let depth = 0;
    for (const c of s) {
      if (c === '{') depth++;
      else if (c === '}' && --depth < 0) return false;
    }
    return depth === 0;
  }

  it('reads back as one @misc per paper with unique keys', async () => {
    const out = await exportOk(['-f', 'bibtex']);
    expect(bibtexParse.entries(out)).toHaveLength(papers.length);
    const entries = readBib(out);
    expect(entries).toHaveLength(papers.length);
    expect(entries.map((e) => e.type)).toEqual(papers.map(() => 'misc'));
    expect(new Set(entries.map((e) => e.key)).size).toBe(papers.length);
    entries.forEach((e, i) => {
      const p = papers[i]!;
      expect(e.EPRINT).toBe(p.id);
      expect(e.ARCHIVEPREFIX).toBe('arXiv');
      expect(e.URL).toBe(p.url);
      expect(e.YEAR).toBe((p.publishedAt ?? p.day)!.slice(0, 4));
      expect(splitAuthors(e.AUTHOR!)).toHaveLength(p.authors.length);
      expect(e.TITLE!.startsWith('{') && e.TITLE!.endsWith('}')).toBe(true);
    });
  });

  it('keeps every entry balanced, even for titles with stray braces', async () => {
    const out = await exportOk(['-f', 'bibtex']);
    const chunks = out.split(/^(?=@misc\{)/m);
    expect(chunks).toHaveLength(papers.length);
    for (const c of chunks) expect(balancedRaw(c), c).toBe(true);
    const entries = readBib(out);
    for (const e of entries) {
      for (const [k, v] of Object.entries(e))
        if (k !== 'key' && k !== 'type') expect(balancedRaw(v), `${e.key} ${k}`).toBe(true);
    }
    const hostile = entries.find((e) => e.EPRINT === '2501.00005')!;
    expect(hostile.TITLE).toBe(
      '{Unbalanced \\textbraceleft{} brace and \\textbraceright{} close \\textbraceright{} with 100\\% \\& \\#1 \\_under\\textbackslash{}score \\textbackslash{}textbf\\textbraceleft{}x\\textbraceright{} \\textasciitilde{}tilde\\textasciicircum{}caret}',
    );
    expect(hostile.ABSTRACT).toBe('Ends with an open brace \\textbraceleft{}');
    expect(splitAuthors(hostile.AUTHOR!)).toEqual(['{Tom and Jerry}', 'Łukasz Kaiser']);
    expect(splitAuthors(entries.find((e) => e.EPRINT === '2501.00004')!.AUTHOR!)).toEqual([
      '@at',
      '-minus',
      '{Comma, Person}',
    ]);
  });

  it('keeps balanced LaTeX math as written and escapes the rest', async () => {
    const entries = readBib(await exportOk(['-f', 'bibtex']));
    const e = entries.find((x) => x.EPRINT === '2501.00006')!;
    expect(e.TITLE).toBe('{$\\nabla^2$-Flow: Learning $O(n \\log n)$ Operators for $\\mathcal{L}_2$ Costs of 5\\$}');
    expect(e.ABSTRACT).toBe(
      'We show $\\sum_{i=1}^n x_i^2 \\leq 1$ and a broken \\$\\textbackslash{}frac\\textbraceleft{}1\\textbraceright{}\\textbraceleft{}2\\$ formula.',
    );
  });

  it('makes keys from last name, year and first title word, suffixed on collision in input order', async () => {
    const entries = readBib(await exportOk(['-f', 'bibtex']));
    const keyOf = (id: string) => entries.find((e) => e.EPRINT === id)!.key;
    // 00001 (day 2025-01-03), then 00010 (same day, fewer upvotes), then 00007 (2025-01-02).
    expect(keyOf('2501.00001')).toBe('vaswani2025attention');
    expect(keyOf('2501.00010')).toBe('vaswani2025attentiona');
    expect(keyOf('2501.00007')).toBe('vaswani2025attentionb');
    expect(keyOf('2501.00006')).toBe('vaswani2025flow');
    expect(keyOf('2501.00009')).toBe('anon2024scaling');
    expect(keyOf('2501.00008')).toBe('anon2025transformers');
    expect(keyOf('2501.00002')).toBe('hacker2025red');
    for (const e of entries) expect(e.key).toMatch(/^[a-z0-9]+$/);
    // Stable: the same export gives the same keys.
    const again = readBib(await exportOk(['-f', 'bibtex']));
    expect(again.map((e) => e.key)).toEqual(entries.map((e) => e.key));
    // A different selection renumbers deterministically from its own first occurrence.
    const day1 = readBib(await exportOk(['-f', 'bibtex', '--date', '2025-01-02']));
    expect(day1.find((e) => e.EPRINT === '2501.00001')!.key).toBe('vaswani2025attention');
    expect(day1.find((e) => e.EPRINT === '2501.00007')!.key).toBe('vaswani2025attentiona');
  });

  it('strips terminal controls and keeps non-ASCII names', async () => {
    const out = await exportOk(['-f', 'bibtex']);
    expect(out).not.toMatch(TERMINAL_CONTROLS);
    const entries = readBib(out);
    expect(entries.find((e) => e.EPRINT === '2501.00002')!.AUTHOR).toBe('Eve Bold Hacker and José Müller');
    expect(entries.find((e) => e.EPRINT === '2501.00008')!.AUTHOR).toBe('张伟 and 李娜 and Zoë Ångström');
  });

  it('--no-abstract leaves the abstract field out', async () => {
    const entries = readBib(await exportOk(['-f', 'bibtex', '--no-abstract']));
    expect(entries).toHaveLength(papers.length);
    for (const e of entries) expect(e).not.toHaveProperty('ABSTRACT');
  });
});

describe('export: terminal safety', () => {
  it.each(['markdown', 'json', 'ndjson', 'csv', 'bibtex'])(
    '%s: no escape sequences or controls, piped or on a TTY, same bytes',
    async (format) => {
      const piped = await exportOk(['-f', format]);
      // CSV's own CRLF line ends aside, not one raw control character gets through.
      expect(piped.replace(/\r\n/g, '\n')).not.toMatch(TERMINAL_CONTROLS);
      expect(piped).not.toContain('\u001b');
      expect(piped).toContain('2501.00002');
      const tty = await exportOk(['-f', format], { tty: true });
      expect(tty).toBe(piped);
    },
  );
});

describe('export: empty results and bad input', () => {
  it('exits 0 with an empty but valid document in every format', async () => {
    const argv = ['--date', '2024-06-03'];
    expect(await exportOk(['-f', 'json', ...argv])).toBe('[]\n');
    expect(JSON.parse(await exportOk(['-f', 'json', ...argv]))).toEqual([]);
    expect(await exportOk(['-f', 'ndjson', ...argv])).toBe('');
    const csv = await exportOk(['-f', 'csv', ...argv]);
    expect(parseCsv(csv)).toHaveLength(1);
    expect(csv.split('\r\n')).toHaveLength(2);
    expect(await exportOk(['-f', 'bibtex', ...argv])).toBe('');
    expect(await exportOk(['-f', 'markdown', ...argv])).toBe('');
    expect(JSON.parse(await exportOk(['-f', 'json', '--query', 'nosuchwordanywhere']))).toEqual([]);
  });

  it('hints on an empty result only when stderr is a terminal', async () => {
    const r = await cli(['export', '--date', '2024-06-03'], { tty: true });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/no papers match/);
  });

  it.each([
    [['-f', 'yaml'], /format/],
    [['--sort', 'stars', '--query', 'attention'], /--sort does not apply to --query/],
    [['--raw'], /--raw applies to --query/],
    [['--query', '   '], /search query is empty/],
    [['--limit', '-1'], /limit/],
    [['--since', '2025-01-03', '--until', '2025-01-02'], /after/],
  ])('exits 2 for %j', async (argv, message) => {
    const r = await cli(['export', ...argv]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('turns a bad --raw query into a usage error with a hint', async () => {
    const r = await cli(['export', '--query', 'a OR (', '--raw', '-f', 'json']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: invalid search syntax/m);
    expect(r.stderr).toMatch(/^hint: /m);
  });
});
