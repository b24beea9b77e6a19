// `-o FILE` takes its format from the file's extension (issue 22.2): `export -o refs.bib`
// writes BibTeX, a --format that contradicts the extension is refused, the message says
// which format was written; digest -o too. Each file is checked by what it must parse as.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseFormat } from '../src/render/formats.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'export');
const NOW = '2025-01-04T12:00:00Z';
let home = '';
let dir = '';

beforeAll(async () => {
  home = tempHome();
  dir = mkdtempSync(join(tmpdir(), 'papers-ext-'));
  for (const day of ['2025-01-02', '2025-01-03']) {
    const r = await runCli(['import', '--date', day, join(FIXTURES, `${day}.json`)], { home, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
  }
});
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const looksLike: Record<string, (s: string) => void> = {
  markdown: (s) => expect(s).toMatch(/^## 2025-01-03\n/),
  json: (s) => expect(Array.isArray(JSON.parse(s))).toBe(true),
  ndjson: (s) =>
    s
      .trimEnd()
      .split('\n')
      .forEach((l) => expect(typeof JSON.parse(l).id).toBe('string')),
  csv: (s) => expect(s.split('\r\n')[0]).toMatch(/^id,/),
  bibtex: (s) => expect(s).toMatch(/^@misc\{/m),
  rss: (s) => expect(s).toMatch(/<rss version="2.0"/),
  atom: (s) => expect(s).toMatch(/<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/),
};

describe('export -o FILE', () => {
  it.each([
    ['refs.bib', 'bibtex', 'BibTeX'],
    ['refs.BIB', 'bibtex', 'BibTeX'],
    ['x.bibtex', 'bibtex', 'BibTeX'],
    ['notes.md', 'markdown', 'Markdown'],
    ['notes.markdown', 'markdown', 'Markdown'],
    ['papers.json', 'json', 'JSON'],
    ['papers.ndjson', 'ndjson', 'NDJSON'],
    ['papers.jsonl', 'ndjson', 'NDJSON'],
    ['papers.csv', 'csv', 'CSV'],
    ['feed.rss', 'rss', 'RSS'],
    ['feed.atom', 'atom', 'Atom'],
  ])('%s is written as %s, and says so', async (name, format, shown) => {
    const file = join(dir, name);
    const r = await runCli(['export', '-o', file], { home, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe(`wrote 10 papers to ${file} as ${shown}\n`);
    const body = readFileSync(file, 'utf8');
    looksLike[format]!(body);
    // The same bytes as the format named outright (a feed's self link names the file it is in).
    const self = /<atom:link href="[^"]*"| *<link rel="self"[^>]*>\n/g;
    const stdout = (await runCli(['export', '-f', format], { home, now: NOW })).stdout;
    expect(body.replace(self, '')).toBe(stdout.replace(self, ''));
  });

  it('refuses a --format that contradicts the extension, and writes nothing', async () => {
    const file = join(dir, 'contradiction.bib');
    const r = await runCli(['export', '-f', 'csv', '-o', file], { home, now: NOW });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(
      /^error: --format csv contradicts the file name .*contradiction\.bib \(\.bib is bibtex\)\n/,
    );
    expect(r.stderr).toMatch(/hint: drop --format, or give --format bibtex/);
    expect(readdirSync(dir)).not.toContain('contradiction.bib');
  });

  it('asks which of RSS and Atom a .xml file is, and takes either when named', async () => {
    const file = join(dir, 'feed.xml');
    const r = await runCli(['export', '-o', file], { home, now: NOW });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/\.xml fits RSS and Atom: say which/);
    const atom = await runCli(['export', '-f', 'atom', '-o', file], { home, now: NOW });
    expect(atom.exitCode, atom.stderr).toBe(0);
    looksLike.atom!(readFileSync(file, 'utf8'));
  });

  it('refuses an extension of a format export does not write', async () => {
    const r = await runCli(['export', '-o', join(dir, 'page.html')], { home, now: NOW });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/error: this command does not write HTML/);
  });

  it('keeps the default (Markdown) for a file name that names no format', async () => {
    const file = join(dir, 'notes.txt');
    const r = await runCli(['export', '-o', file], { home, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/as Markdown\n$/);
  });
});

describe('digest -o FILE', () => {
  it.each([
    ['d.html', /^<!doctype html>/i],
    ['d.json', /^\{/],
    ['d.md', /^# /],
  ])('%s is written in its format', async (name, head) => {
    const file = join(dir, name);
    const r = await runCli(['digest', '--since', '2025-01-01', '-o', file], { home, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(head);
  });

  it('refuses --format markdown for a .html file', async () => {
    const r = await runCli(['digest', '-f', 'markdown', '-o', join(dir, 'x.html')], { home, now: NOW });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--format markdown contradicts/);
  });

  it('names the format in its note on a terminal', async () => {
    const file = join(dir, 'e.html');
    const r = await runCli(['digest', '--since', '2025-01-01', '-o', file], { home, now: NOW, tty: true });
    expect(r.stderr).toMatch(/as HTML/);
  });
});

describe('chooseFormat', () => {
  const F = ['bibtex', 'csl-json'] as const;
  it('takes .json as CSL-JSON where JSON is not a format of the command', () => {
    expect(chooseFormat(F, undefined, 'lib.json', 'bibtex')).toEqual({ format: 'csl-json', inferred: true });
    expect(chooseFormat(F, undefined, undefined, 'bibtex')).toEqual({ format: 'bibtex', inferred: false });
    expect(chooseFormat(F, 'csl-json', 'lib.json', 'bibtex')).toEqual({ format: 'csl-json', inferred: false });
  });
});
