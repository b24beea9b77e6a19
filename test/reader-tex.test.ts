// Text as arXiv meant it (issue 22.11), on the real API bodies: adjacent math groups leave
// no stray `$` (2008.11540's `0$\leq$$b$$\leq$10`) in show, JSON, every export and the
// search index; `$\unicode{x2013}$` is –; asymmetric uncertainties read `+0.57/-0.48`;
// `papers add ID vN` asks for that version; BibTeX braces a collaboration; RSS carries
// atom:link rel="self" and a channel link that fits the source.
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { texToPlain } from '../src/tex.js';
import { startArxivServer, type Seen } from './helpers/arxiv.js';
import { apiAnswer, apiEntries, arxivCli, categoryFeed } from './helpers/category-feed.js';
import { tempHome } from './helpers/run-cli.js';

const NOW = '2024-11-28T15:00:00Z';
const FILES = [
  'api/api-2020-08-27_all-ml-nlp_20_edited.xml',
  'api/api-2026-02-01_submittedDate-range_50.xml',
  'api/api-2021-03-25_id_list=hep-ex_0307015.xml',
  'api/api-2026_id_2104.12255v1_s0_m100_6ae69987ffe1.xml',
];
let home = '';
let url = '';
const requests: Seen[] = [];

const cli = arxivCli(() => ({ home, url, now: NOW }));

beforeAll(async () => {
  home = tempHome();
  const byId = apiEntries(FILES);
  const feed = categoryFeed('astro-ph.EP');
  const srv = await startArxivServer((req) => {
    requests.push(req);
    if (req.path === '/rss/astro-ph.EP') return { body: feed };
    return { body: apiAnswer(byId, req.query.id_list) };
  });
  url = srv.url;
  for (const argv of [
    ['add', '2008.11540', '2301.00260', 'hep-ex/0307015', '2104.12255v1'],
    ['source', 'add', 'arxiv:astro-ph.EP'],
    ['sync', '--source', 'arxiv:astro-ph.EP', '-q'],
  ]) {
    const r = await cli(argv);
    expect(r.exitCode, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
  }
  return srv.close;
});

describe('TeX to text', () => {
  it.each([
    ['0$\\leq$$b$$\\leq$10 fm', '0≤b≤10 fm'],
    ['($E_{\\rm lab}$=$0.2$-$1.0$ GeV$/$nucleon)', '(E_(lab)=0.2-1.0 GeV/nucleon)'],
    ['the effective dimension $\\unicode{x2013}$ the trace', 'the effective dimension – the trace'],
    ['$\\unicode{8212}$', '—'],
    ['$-2.24^{+0.57}_{-0.48}$', '-2.24 +0.57/-0.48'],
    ['$1^{+1.39}_{-0.59}$', '1 +1.39/-0.59'],
    ['$D_{s}^{+}\\rightarrow \\pi^{+}\\pi^{-}$', 'Dₛ⁺→ π⁺π⁻'],
    ['costs $5 and $10', 'costs $5 and $10'],
    ['$$x^2$$ shown', 'x² shown'],
  ])('%s', (tex, text) => {
    expect(texToPlain(tex)).toBe(text);
  });
});

describe('the real bodies', () => {
  it('2008.11540: no stray $ in show, JSON, every export and the search index', async () => {
    const show = await cli(['show', '2008.11540']);
    expect(show.stdout).toContain('0≤b≤10 fm');
    expect(show.stdout).not.toContain('$');
    const json = JSON.parse((await cli(['show', '2008.11540', '--json'])).stdout);
    expect(json.abstract).toContain('0≤b≤10 fm');
    expect(json.abstract).not.toContain('$');
    for (const format of ['markdown', 'json', 'ndjson', 'csv', 'bibtex', 'rss', 'atom']) {
      const r = await cli(['export', '--format', format, '--query', 'impact parameter proton spectra']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout, format).toContain('2008.11540');
      expect(r.stdout.includes('≤b≤10') || r.stdout.includes('&#8804;b&#8804;10'), format).toBe(true);
      expect(r.stdout, format).not.toMatch(/\$\\?leq|b\$|≤\$/);
    }
    const hit = await cli(['search', 'b≤10', '--json']);
    expect((JSON.parse(hit.stdout) as { id: string }[]).map((p) => p.id)).toContain('2008.11540');
  });

  it('2301.00260: $\\unicode{x2013}$ is an en dash', async () => {
    const j = JSON.parse((await cli(['show', '2301.00260', '--json'])).stdout);
    expect(j.abstract).toContain('viewpoint – the construction');
    expect(j.abstract).not.toContain('unicode');
  });

  it('add ID vN asks the API for that version', async () => {
    const asked = requests.filter((r) => r.path === '/api/query').map((r) => r.query.id_list);
    expect(asked.join(',')).toContain('2104.12255v1');
    const j = JSON.parse((await cli(['show', '2104.12255', '--json'])).stdout);
    expect(j.version).toBe(1);
  });

  it('BibTeX braces a collaboration (hep-ex/0307015: H1 Collaboration)', async () => {
    const r = await cli(['export', '--format', 'bibtex', '--query', 'H1 Collaboration']);
    const entry = r.stdout.split('\n\n').find((e) => e.includes('hep-ex/0307015'))!;
    expect(entry).toMatch(/author = \{\{H1 Collaboration\}/);
  });
});

describe('feeds', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });

  it('RSS carries atom:link rel="self" (the file written, or --feed-url) and a channel link for arXiv', async () => {
    const file = join(home, 'ep.rss');
    const r = await cli(['export', '--source', 'arxiv:astro-ph.EP', '-o', file]);
    expect(r.exitCode, r.stderr).toBe(0);
    const { readFileSync } = await import('node:fs');
    const ch = parser.parse(readFileSync(file, 'utf8')).rss.channel;
    expect(ch['atom:link']).toMatchObject({ rel: 'self', href: `file://${file}` });
    expect(ch.link).toBe('https://arxiv.org/list/astro-ph.EP/new');
    expect(ch.title).toBe('papers: arXiv astro-ph.EP');
    const pub = await cli([
      'export',
      '--source',
      'arxiv:astro-ph.EP',
      '-f',
      'rss',
      '--feed-url',
      'https://example.org/ep.rss',
    ]);
    expect(parser.parse(pub.stdout).rss.channel['atom:link'].href).toBe('https://example.org/ep.rss');
    const atom = await cli([
      'export',
      '--source',
      'arxiv:astro-ph.EP',
      '-f',
      'atom',
      '--feed-url',
      'https://example.org/ep.atom',
    ]);
    const links = parser.parse(atom.stdout).feed.link as { rel: string; href: string }[];
    expect(links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rel: 'self', href: 'https://example.org/ep.atom' }),
        expect.objectContaining({ rel: 'alternate', href: 'https://arxiv.org/list/astro-ph.EP/new' }),
      ]),
    );
  });

  it('an HF export keeps the Daily Papers page as its channel link, and a self link even on stdout', async () => {
    const r = await cli(['export', '-f', 'rss', '--source', 'hf']);
    const ch = parser.parse(r.stdout).rss.channel;
    expect(ch.link).toBe('https://huggingface.co/papers');
    expect(ch['atom:link'].rel).toBe('self');
  });
});
