// `show` shows everything the archive holds (issue 22.5), on real arXiv bodies: categories
// (primary first), DOI, journal reference, arXiv comments, licence, versions with their
// dates, every listing with its source, day and type, the reader's star and tags, gone
// listings; a Hugging Face link only where HF can have the paper (never hep-ex/0307015).
import { beforeAll, describe, expect, it } from 'vitest';
import { startArxivServer } from './helpers/arxiv.js';
import { apiAnswer, apiEntries, arxivCli, categoryFeed } from './helpers/category-feed.js';
import { tempHome } from './helpers/run-cli.js';

const NOW = '2024-11-28T15:00:00Z';
let home = '';
let url = '';

const cli = arxivCli(() => ({ home, url, now: NOW }));

beforeAll(async () => {
  home = tempHome();
  const entries = apiEntries();
  const feed = categoryFeed('quant-ph');
  const srv = await startArxivServer((req) => {
    if (req.path === '/rss/quant-ph') return { body: feed };
    if (req.path === '/api/query') {
      return { body: apiAnswer(entries, req.query.id_list) };
    }
    return { status: 404, body: 'not here' };
  });
  url = srv.url;
  for (const argv of [
    ['source', 'add', 'arxiv:quant-ph'],
    ['sync', '--source', 'arxiv:quant-ph', '-q'],
    ['add', 'hep-ex/0307015', '2301.03359', '2301.00243'],
    ['star', '2411.18036', '--tag', 'quantum', '--tag', 'bases'],
  ]) {
    const r = await cli(argv);
    expect(r.exitCode, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
  }
  return srv.close;
});

const fields = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((l) => l.split('\t') as [string, string]);

describe('show', () => {
  it('an announced arXiv paper: categories, DOI, journal ref, licence, its listing, the star and tags', async () => {
    const r = await cli(['show', '2411.18036']);
    expect(r.exitCode, r.stderr).toBe(0);
    const f = new Map(fields(r.stdout));
    expect(f.get('id')).toBe('2411.18036v1');
    expect(f.get('categories')).toBe('quant-ph');
    expect(f.get('DOI')).toBe('10.1063/5.0195550');
    expect(f.get('journal ref')).toBe('J. Math. Phys. 65, 112201 (2024)');
    expect(f.get('license')).toMatch(/^http:\/\/(creativecommons\.org|arxiv\.org)\//);
    expect(f.get('listed')).toBe('2024-11-28 arxiv:quant-ph new');
    expect(f.get('starred')).toBe('2024-11-28');
    expect(f.get('tags')).toBe('bases, quantum');
    expect(f.has('upvotes')).toBe(false); // HF never listed it
    expect(f.get('Hugging Face')).toBe('https://huggingface.co/papers/2411.18036');
  });

  it('categories primary first, as arXiv orders them', async () => {
    const r = await cli(['show', '2411.17802']);
    expect(new Map(fields(r.stdout)).get('categories')).toBe('quant-ph, cond-mat.quant-gas, cond-mat.str-el, hep-th');
  });

  it('an old-style id: DOI and journal ref, and no Hugging Face link', async () => {
    const r = await cli(['show', 'hep-ex/0307015']);
    expect(r.exitCode, r.stderr).toBe(0);
    const f = new Map(fields(r.stdout));
    expect(f.get('DOI')).toBe('10.1140/epjc/s2003-01326-x');
    expect(f.get('journal ref')).toBe('Eur.Phys.J.C31:17-29,2003');
    expect(f.get('categories')).toMatch(/^hep-ex/);
    expect(f.has('Hugging Face')).toBe(false);
    expect(r.stdout).not.toMatch(/huggingface/);
    const j = JSON.parse((await cli(['show', 'hep-ex/0307015', '--json'])).stdout);
    expect(j.hfUrl).toBeNull();
  });

  it("versions with their dates (the API's published and updated), and arXiv's comments", async () => {
    const r = await cli(['show', '2301.00243']);
    const f = new Map(fields(r.stdout));
    expect(f.get('id')).toBe('2301.00243v3');
    expect(f.get('versions')).toBe('v1 2022-12-31, v3 2023-03-18');
    expect(f.get('updated')).toBe('2023-03-18T20:37:43.000Z');
    expect(f.get('arXiv comments')).toBe('7pages, 2 figures (minor corrections to text, affiliations and layout)');
    const j = JSON.parse((await cli(['show', '2301.00243', '--json'])).stdout);
    expect(j.versions).toEqual([
      { version: 1, date: '2022-12-31T16:22:24.000Z' },
      { version: 3, date: '2023-03-18T20:37:43.000Z' },
    ]);
    expect(j.updated).toBe('2023-03-18T20:37:43.000Z');
  });

  it('affiliations arXiv sent, in JSON and on the page', async () => {
    const j = JSON.parse((await cli(['show', '2301.03359', '--json'])).stdout);
    expect(j.affiliations.length).toBeGreaterThan(0);
    for (const a of j.affiliations) {
      expect(typeof a.name).toBe('string');
      expect(a.affiliations.length).toBeGreaterThan(0);
    }
    const tty = await cli(['show', '2301.03359'], { tty: true, columns: 80, env: { NO_COLOR: '1' } });
    expect(tty.stdout).toMatch(/\nAffiliations\n/);
    expect(tty.stdout).toContain(`${j.affiliations[0].name} (${j.affiliations[0].affiliations[0]}`);
  });

  it('on a terminal: one line per listing, gone listings marked', async () => {
    const { openDb } = await import('../src/db/open.js');
    const db = openDb(`${home}/papers.db`);
    db.prepare(
      `INSERT INTO listings (source, day, paper_id, rank, gone_at) VALUES ('hf', '2024-11-27', '2411.18036', 3, ?)`,
    ).run(NOW);
    db.close();
    const r = await cli(['show', '2411.18036'], { tty: true, columns: 80, env: { NO_COLOR: '1' } });
    const lines = r.stdout.split('\n');
    const i = lines.findIndex((l) => l.startsWith('listed'));
    expect(lines[i]).toMatch(/^listed\s+2024-11-27 hf \(no longer listed upstream\)$/);
    expect(lines[i + 1]).toMatch(/^\s+2024-11-28 arxiv:quant-ph new$/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  });
});
