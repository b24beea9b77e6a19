// arXiv lists read as arXiv lists (issue 22.4), on the real quant-ph announcement of
// 2024-11-28 (made from the real whole-day feed): a paper HF never listed has no upvotes
// (null in JSON, an empty TSV cell, nothing on the terminal), its listing type and
// categories are on its line, cross-lists come under their own heading after the new
// ones, and a paper HF lists too shows HF's upvotes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startArxivServer } from './helpers/arxiv.js';
import { arxivCli, categoryFeed } from './helpers/category-feed.js';
import { tempHome } from './helpers/run-cli.js';

const NOW = '2024-11-28T15:00:00Z';
const FEED = categoryFeed('quant-ph');
// A quant-ph paper of that day that HF listed too (its upvotes come from HF).
const ON_HF = /<link>https:\/\/arxiv.org\/abs\/([^<]+)<\/link>/.exec(FEED)![1]!;
let home = '';
let url = '';

const cli = arxivCli(() => ({ home, url, now: NOW }));

interface J {
  id: string;
  upvotes: number | null;
  categories: string[];
  listings: { source: string; type: string | null }[];
}

beforeAll(async () => {
  home = tempHome();
  const srv = await startArxivServer((req) =>
    req.path === '/rss/quant-ph' ? { body: FEED } : { status: 404, body: 'not here' },
  );
  url = srv.url;
  expect((await cli(['source', 'add', 'arxiv:quant-ph'])).exitCode).toBe(0);
  const sync = await cli(['sync', '--source', 'arxiv:quant-ph', '-q']);
  expect(sync.exitCode, sync.stderr).toBe(0);
  const hfDay = [
    {
      paper: {
        id: ON_HF,
        authors: [{ name: 'A. Author' }],
        publishedAt: '2024-11-26T18:00:00.000Z',
        title: 'On HF too',
        summary: 'An abstract.',
        upvotes: 12,
      },
      publishedAt: '2024-11-27T03:00:00.000Z',
      title: 'On HF too',
      numComments: 1,
    },
  ];
  const file = join(home, 'hf.json');
  writeFileSync(file, JSON.stringify(hfDay));
  const imp = await cli(['import', '--date', '2024-11-28', file]);
  expect(imp.exitCode, imp.stderr).toBe(0);
  return srv.close;
});

describe('today --source arxiv on the real quant-ph announcement', () => {
  it('JSON: null upvotes for papers HF never listed, HF upvotes for the one it did; new before cross', async () => {
    const r = await cli(['today', '--source', 'arxiv', '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const papers = JSON.parse(r.stdout) as J[];
    expect(papers.length).toBe(50); // 34 quant-ph papers; 15 new in other categories and 1 late cross-list are cross-lists
    const hf = papers.filter((p) => p.upvotes !== null);
    expect(hf.map((p) => [p.id, p.upvotes])).toEqual([[ON_HF, 12]]);
    const types = papers.map((p) => p.listings.find((l) => l.source === 'arxiv:quant-ph')!.type);
    const firstCross = types.indexOf('cross');
    expect(firstCross).toBe(34);
    expect(types.slice(firstCross).every((t) => t === 'cross')).toBe(true);
    expect(types.slice(0, firstCross).every((t) => t === 'new')).toBe(true);
    expect(papers.slice(0, 34).every((p) => p.categories[0] === 'quant-ph')).toBe(true);
  });

  it('piped: an empty upvote cell, then the listing type and the categories after the title', async () => {
    const r = await cli(['today', '--source', 'arxiv', '--offline']);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows).toHaveLength(50);
    for (const row of rows) expect(row).toHaveLength(6);
    const arxivOnly = rows.filter((c) => c[0] !== ON_HF);
    expect(arxivOnly.every((c) => c[2] === '')).toBe(true);
    expect(rows.find((c) => c[0] === ON_HF)![2]).toBe('12');
    expect(rows[0]![4]).toBe('new');
    expect(rows[0]![5]!.split(' ')[0]).toBe('quant-ph');
    expect(rows.at(-1)![4]).toBe('cross');
  });

  it('on a terminal: no ▲ for arXiv-only papers, the type and categories on the line, a heading per section', async () => {
    const r = await cli(['today', '--source', 'arxiv', '--offline'], {
      tty: true,
      columns: 80,
      env: { NO_COLOR: '1' },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    if (process.env.SHOW) console.log(r.stdout);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('arxiv:quant-ph · 2024-11-28 (Thursday) · 50 papers');
    expect(lines.filter((l) => /▲/.test(l))).toHaveLength(1);
    expect(r.stdout).toMatch(/^\s*\d+\.\s+▲12 /m);
    expect(lines).toContain('New (34)');
    expect(lines).toContain('Cross-lists (16)');
    expect(lines.indexOf('Cross-lists (16)')).toBeGreaterThan(lines.indexOf('New (34)'));
    expect(r.stdout).not.toMatch(/▲0/);
    // The first paper's meta line starts with its type and its categories, primary first.
    const meta = lines.find((l) => /^\s+new · quant-ph/.test(l));
    expect(meta).toBeDefined();
    const cross = lines.slice(lines.indexOf('Cross-lists (16)')).find((l) => /^\s+cross · /.test(l));
    expect(cross).toMatch(/cross · \S+ .*quant-ph/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  });
});
