// star, unstar and library as commands: as a TTY, piped and --json, over an archive of two
// days of fixture papers; ids in every form `show` takes; a paper not in the archive.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDb } from '../src/db/open.js';
import type { PaperRecord } from '../src/sources/types.js';
import { query, stripAnsi } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';
import { makeRecord, saveHfDay } from './helpers/paper.js';

const NOW = '2025-03-05T12:00:00Z';

function rec(id: string, title: string): PaperRecord {
  return makeRecord(id, { title, abstract: `${title}: an abstract.`, authors: ['Ada Lovelace'], upvotes: 5 });
}

/** Three papers on 2025-03-03, two on 2025-03-04. */
function archive(home: string): void {
  const db = openDb(join(home, 'papers.db'));
  const save = (day: string, recs: PaperRecord[]) => saveHfDay(db, day, recs);
  save('2025-03-03', [
    rec('2503.00001', 'Speculative decoding'),
    rec('2503.00002', 'Video diffusion'),
    rec('2503.00003', 'Robot arms'),
  ]);
  save('2025-03-04', [rec('2503.00004', 'Draft models'), rec('2503.00005', 'Grasping')]);
  db.close();
}

describe('star, unstar, library', () => {
  let home: string;
  const cli = (argv: string[], o: { tty?: boolean; now?: string } = {}) =>
    runCli(argv, { home, now: o.now ?? NOW, tty: o.tty });
  beforeEach(() => {
    home = tempHome();
    archive(home);
  });

  it('stars every id form show takes, once, and says so on stderr', async () => {
    const r = await cli([
      'star',
      '2503.00001',
      'https://arxiv.org/abs/2503.00002v2',
      'huggingface.co/papers/2503.00001',
    ]);
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
    expect(r.stderr).toBe('starred 2 papers\n');
    const again = await cli(['star', '2503.00002', '2503.00004', '--tag', 'rl', '--tag', 'video']);
    expect(again.stderr).toBe('starred 1 paper (1 already starred), tagged rl, video\n');
    const rows = query(join(home, 'papers.db'), 'SELECT paper_id FROM stars ORDER BY paper_id');
    expect(rows.map((x) => x.paper_id)).toEqual(['2503.00001', '2503.00002', '2503.00004']);
  });

  it('refuses a paper that is not in the archive, says how to get it, and stars none', async () => {
    const r = await cli(['star', '2503.00001', '2412.99999']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('error: not in the archive: 2412.99999');
    expect(r.stderr).toContain('papers add 2412.99999');
    expect(query(join(home, 'papers.db'), 'SELECT * FROM stars')).toEqual([]);
  });

  it('refuses a bad id or tag with exit 2', async () => {
    expect((await cli(['star', 'not-an-id'])).exitCode).toBe(2);
    expect((await cli(['star', '2503.00001', '--tag', '-x'])).exitCode).toBe(2);
  });

  it('unstars, or with --tag only removes the tag; an id not starred is a note, exit 0', async () => {
    await cli(['star', '2503.00001', '2503.00002', '--tag', 'rl']);
    const t = await cli(['unstar', '2503.00001', '--tag', 'rl']);
    expect(t).toMatchObject({ exitCode: 0, stderr: 'untagged 1 paper\n' });
    const u = await cli(['unstar', '2503.00002', '2503.00003']);
    expect(u).toMatchObject({ exitCode: 0, stderr: 'unstarred 1 paper\nnot starred: 2503.00003\n' });
    const lib = await cli(['library', '--json']);
    expect(JSON.parse(lib.stdout)).toMatchObject([{ id: '2503.00001', tags: [] }]);
  });

  it('lists the library piped: list columns, then starred at and tags, newest star first', async () => {
    await cli(['star', '2503.00001', '--tag', 'rl', '--tag', 'decoding'], { now: '2025-03-04T10:00:00Z' });
    await cli(['star', '2503.00005'], { now: '2025-03-05T10:00:00Z' });
    const r = await cli(['library']);
    expect(r.stdout).toBe(
      '2503.00005\t2025-03-04\t5\tGrasping\t2025-03-05T10:00:00.000Z\t\n' +
        '2503.00001\t2025-03-03\t5\tSpeculative decoding\t2025-03-04T10:00:00.000Z\tdecoding,rl\n',
    );
    const tagged = await cli(['library', '--tag', 'rl']);
    expect(tagged.stdout.split('\n')[0]).toMatch(/^2503\.00001\t/);
    expect(tagged.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('lists the library as JSON with starredAt and tags, and on a TTY with the star time', async () => {
    await cli(['star', '2503.00004', '--tag', 'rl'], { now: '2025-03-03T12:00:00Z' });
    const j = JSON.parse((await cli(['library', '--json'])).stdout);
    expect(j).toHaveLength(1);
    expect(j[0]).toMatchObject({
      id: '2503.00004',
      title: 'Draft models',
      starredAt: '2025-03-03T12:00:00.000Z',
      tags: ['rl'],
    });
    const t = stripAnsi((await cli(['library'], { tty: true })).stdout);
    expect(t).toContain('Draft models');
    expect(t).toMatch(/starred 2 days ago · tags: rl/);
  });

  it('on a TTY, an empty tag names the tags there are', async () => {
    await cli(['star', '2503.00004', '--tag', 'rl']);
    const r = await cli(['library', '--tag', 'video'], { tty: true });
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
    expect(stripAnsi(r.stderr)).toContain('no starred papers tagged video; tags: rl (1)');
  });

  it('imports a BibTeX export: stars what matched, tags it, and sums up what did not', async () => {
    const bib = join(home, 'refs.bib');
    writeFileSync(
      bib,
      `@article{a, title={Speculative decoding}, eprint={2503.00001}, archivePrefix={arXiv}}
@misc{b, title={Something else}, url={https://arxiv.org/abs/2412.00007v1}}
@book{c, title={A book about nothing}, publisher={Nobody}}
@article{d, title={{Video} Diffusion}}
`,
    );
    const r = await cli(['library', 'import', bib, '--tag', 'zotero']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('4 entries');
    expect(r.stderr).toContain('2 in the archive: 2 starred, tagged zotero');
    expect(r.stderr).toContain('1 arXiv paper not in the archive: papers add 2412.00007');
    expect(r.stderr).toContain('1 entry with no arXiv id, and no DOI or title in the archive: c');
    const j = JSON.parse((await cli(['library', 'import', bib, '--json'])).stdout);
    expect(j).toMatchObject({ format: 'bibtex', entries: 4, already: ['2503.00001', '2503.00002'] });
    expect(j.fetchable.map((e: { id: string }) => e.id)).toEqual(['2412.00007']);
    const lib = JSON.parse((await cli(['library', '--tag', 'zotero', '--json'])).stdout);
    expect(lib.map((e: { id: string }) => e.id).sort()).toEqual(['2503.00001', '2503.00002']);
  });

  it('refuses a file that is neither BibTeX nor CSL-JSON with exit 1', async () => {
    const f = join(home, 'notes.txt');
    writeFileSync(f, 'just some notes\n');
    const r = await cli(['library', 'import', f]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^error: /);
  });
});
