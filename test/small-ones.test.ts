// Issue 23.10: `--db ""` is refused; a read command never writes a schema into an empty file;
// arXiv's rate-limit hint does not send the user to HF_TOKEN; `library import` never
// matches by a DOI arXiv gave the paper, nor by the start of a longer DOI.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importLibrary } from '../src/core/library.js';
import { openDb } from '../src/db/open.js';
import { saveDay } from '../src/db/store.js';
import { startArxivServer } from './helpers/arxiv.js';
import { makeRecord } from './helpers/paper.js';
import { runCli, tempHome } from './helpers/run-cli.js';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

describe('--db ""', () => {
  it('is a usage error, and the default archive is neither used nor made', async () => {
    const home = tempHome();
    for (const argv of [
      ['--db', '', 'list'],
      ['--db', ' ', 'import', 'x.json'],
      ['--db=', 'status'],
    ]) {
      const r = await runCli(argv, { home });
      expect({ argv, code: r.exitCode }).toEqual({ argv, code: 2 });
      expect(r.stderr.split('\n')[0]).toBe('error: --db is empty');
    }
    expect(readdirSync(home)).toEqual([]);
  });
});

describe('a read command on an empty file', () => {
  it('says there is no archive in it and writes nothing (no schema, no -wal)', async () => {
    const home = tempHome();
    const file = join(home, 'empty.db');
    writeFileSync(file, '');
    for (const argv of [['list'], ['search', 'x'], ['status'], ['stats']]) {
      const r = await runCli(['--db', file, ...argv], { home });
      expect({ argv, code: r.exitCode }).toEqual({ argv, code: 1 });
      expect(r.stderr.split('\n')[0]).toBe(`error: no archive at ${file}: the file is empty`);
    }
    expect(statSync(file).size).toBe(0);
    expect(existsSync(`${file}-wal`)).toBe(false);
    // A writer makes it an archive, as before.
    expect((await runCli(['--db', file, 'today', '--offline'], { home })).exitCode).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(0);
  });
});

describe("arXiv's rate limit", () => {
  it('HTTP 429 from arXiv: the hint does not tell the user to set HF_TOKEN', async () => {
    const srv = await startArxivServer(() => ({ status: 429, body: 'slow down' }));
    closers.push(srv.close);
    const r = await runCli(['add', '2106.09685'], {
      home: tempHome(),
      env: { ARXIV_ENDPOINT: srv.url, PAPERS_ARXIV_DELAY_MS: '0', HF_TOKEN: 'hf_abcdefghijklmnopqrstuvwxyz0123' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/answered HTTP 429 after retries/);
    expect(r.stderr).toMatch(/^hint: rate limited: try again later/m);
    expect(r.stderr).not.toMatch(/HF_TOKEN/);
  });
});

describe('library import and DOIs', () => {
  it("never matches by a DOI arXiv gave, nor by a DOI that only starts another paper's", async () => {
    const home = tempHome();
    const db = openDb(join(home, 'papers.db'));
    const paper = makeRecord('2106.09685', {
      title: 'LoRA: Low-Rank Adaptation of Large Language Models',
      raw: '<entry><id>http://arxiv.org/abs/2106.09685v2</id><link title="doi" href="https://doi.org/10.48550/arXiv.2106.09685"/><arxiv:doi>10.1000/jmlr.2022.12345</arxiv:doi></entry>',
    });
    saveDay(db, {
      source: 'arxiv:cs.CL',
      day: '2021-06-17',
      entries: [paper],
      skipped: 0,
      requests: 1,
      via: 'api',
      now: '2025-07-01T00:00:00.000Z',
    });
    const bib = join(home, 'refs.bib');
    writeFileSync(
      bib,
      [
        // arXiv's own DOI with an id that is not one (cut short): it names nothing of the archive.
        '@misc{typo, title = {Something else}, doi = {10.48550/arXiv.2106.096}}',
        // A journal DOI that is the start of the paper's journal DOI: another paper.
        '@article{prefix, title = {Another paper}, doi = {10.1000/jmlr.2022.1234}}',
        // The paper's journal DOI, whole: matched.
        '@article{whole, title = {Not the same title}, doi = {10.1000/JMLR.2022.12345}}',
      ].join('\n'),
    );
    const r = await importLibrary({ db, now: () => new Date('2025-07-02T00:00:00Z') }, bib);
    expect(r.matched).toEqual([{ key: 'whole', title: 'Not the same title', id: '2106.09685', by: 'doi' }]);
    expect(r.notArxiv.map((e) => e.key).sort()).toEqual(['prefix', 'typo']);
    db.close();
  });
});
