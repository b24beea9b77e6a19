// `papers library export` (issue 22.8): your stars go out as BibTeX or CSL-JSON that
// Zotero takes (eprint, archivePrefix, primaryClass, arXiv's DOI 10.48550/arXiv.ID), and
// `papers library import` of the file into a fresh archive holding the same days gives
// back the same ids and tags. Days: the hand-written HF fixtures and the real quant-ph
// announcement of 2024-11-28.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseLibrary } from '../src/sources/library-import.js';
import { startArxivServer } from './helpers/arxiv.js';
import { categoryFeed } from './helpers/category-feed.js';
import { FIXTURES } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const NOW = '2024-11-28T15:00:00Z';
const HF_DAYS = ['2024-06-13', '2024-06-15', '2024-06-19'];
let url = '';
let close: () => Promise<void>;

async function cli(home: string, argv: string[]) {
  const r = await runCli(argv, { home, now: NOW, env: { ARXIV_ENDPOINT: url, PAPERS_ARXIV_DELAY_MS: '0' } });
  return r;
}

/** An archive holding the same days: the HF fixtures and the quant-ph announcement. */
async function archive(): Promise<string> {
  const home = tempHome();
  for (const argv of [
    ['import', ...HF_DAYS.map((d) => join(FIXTURES, `${d}.json`))],
    ['source', 'add', 'arxiv:quant-ph'],
    ['sync', '--source', 'arxiv:quant-ph', '-q'],
  ]) {
    const r = await cli(home, argv);
    expect(r.exitCode, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
  }
  return home;
}

let source = '';
let hfIds: string[] = [];

beforeAll(async () => {
  const feed = categoryFeed('quant-ph');
  const srv = await startArxivServer((req) =>
    req.path === '/rss/quant-ph' ? { body: feed } : { status: 404, body: 'not here' },
  );
  url = srv.url;
  close = srv.close;
  source = await archive();
  hfIds = (JSON.parse((await cli(source, ['list', '--source', 'hf', '--json'])).stdout) as { id: string }[])
    .map((p) => p.id)
    .slice(0, 3);
  for (const argv of [
    ['star', hfIds[0]!, '--tag', 'rl', '--tag', 'reading group'],
    ['star', hfIds[1]!],
    ['star', hfIds[2]!, '--tag', 'rl'],
    ['star', '2411.18036', '--tag', 'quantum'],
    ['star', '2411.17802', '--tag', 'quantum', '--tag', 'sim'],
  ]) {
    const r = await cli(source, argv);
    expect(r.exitCode, r.stderr).toBe(0);
  }
  return () => close();
});

type Lib = { id: string; tags: string[] }[];
const library = async (home: string) =>
  (JSON.parse((await cli(home, ['library', '--json'])).stdout) as Lib)
    .map((e) => ({ id: e.id, tags: [...e.tags].sort() }))
    .sort((a, b) => a.id.localeCompare(b.id));

describe('library export', () => {
  it.each([
    ['library.bib', 'BibTeX'],
    ['library.json', 'CSL-JSON'],
  ])('%s imported into a fresh archive of the same days gives back the same ids and tags', async (name, shown) => {
    const file = join(source, name);
    const r = await cli(source, ['library', 'export', '-o', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe(`wrote 5 papers to ${file} as ${shown}\n`);
    const fresh = await archive();
    const imp = await cli(fresh, ['library', 'import', file]);
    expect(imp.exitCode, imp.stderr).toBe(0);
    expect(await library(fresh)).toEqual(await library(source));
  });

  it('--tag exports only that tag', async () => {
    const r = await cli(source, ['library', 'export', '--tag', 'quantum', '--format', 'csl-json']);
    const items = JSON.parse(r.stdout) as { number: string }[];
    expect(items.map((i) => i.number).sort()).toEqual(['arXiv:2411.17802', 'arXiv:2411.18036']);
  });

  it('BibTeX Zotero takes: eprint, archivePrefix, primaryClass, the arXiv DOI, keywords; a parser reads it', async () => {
    const r = await cli(source, ['library', 'export', '--tag', 'quantum']);
    expect(r.exitCode, r.stderr).toBe(0);
    const entry = r.stdout.split('\n\n').find((e) => e.includes('eprint = {2411.18036}'))!;
    expect(entry).toMatch(/^@misc\{/);
    expect(entry).toContain('archivePrefix = {arXiv}');
    expect(entry).toContain('primaryClass = {quant-ph}');
    expect(entry).toContain('doi = {10.1063/5.0195550}'); // its journal DOI
    const other = r.stdout.split('\n\n').find((e) => e.includes('eprint = {2411.17802}'))!;
    expect(other).toContain('doi = {10.48550/arXiv.2411.17802}'); // no journal DOI: arXiv's
    expect(other).toContain('keywords = {quantum, sim}');
    const parsed = await parseLibrary(r.stdout, 'export.bib', 'bibtex');
    expect(parsed.errors).toEqual([]);
    expect(parsed.items.map((i) => [i.arxivId, i.keywords])).toEqual(
      expect.arrayContaining([
        ['2411.18036', ['quantum']],
        ['2411.17802', ['quantum', 'sim']],
      ]),
    );
  });

  it('CSL-JSON: an article published by arXiv, the id as its number, authors split, tags as keyword', async () => {
    const r = await cli(source, ['library', 'export', '--format', 'csl-json', '--tag', 'sim']);
    const [item] = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(item).toMatchObject({
      type: 'article',
      publisher: 'arXiv',
      number: 'arXiv:2411.17802',
      DOI: '10.48550/arXiv.2411.17802',
      URL: 'https://arxiv.org/abs/2411.17802',
      genre: 'quant-ph',
      keyword: 'quantum, sim',
      issued: { 'date-parts': [[2024, 11, 28]] }, // the feed gives the announcement day
    });
    expect((item!.author as unknown[])[0]).toEqual({ family: 'Baumgartner', given: 'Rahel' });
  });

  it('refuses a --format the file name contradicts; says when there is nothing to export', async () => {
    const bad = await cli(source, ['library', 'export', '--format', 'bibtex', '-o', join(source, 'x.json')]);
    expect(bad.exitCode).toBe(2);
    const empty = await runCli(['library', 'export', '--tag', 'nothing'], {
      home: source,
      now: NOW,
      tty: true,
    });
    expect(empty.exitCode).toBe(0);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/no starred papers to export/);
    expect(readFileSync(join(source, 'library.bib'), 'utf8')).toMatch(/@misc/);
  });
});
