// arXiv text is cleaned at ingest as HF's is (issue 23.6): titles, abstracts and authors
// that come with NUL, terminal escape sequences or bidi controls are stored clean, so
// `--json | jq -r` prints them clean; m011 cleans rows stored before.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../src/db/migrations.js';
import { openDb } from '../src/db/open.js';
import { parseFeed } from '../src/sources/arxiv/feed.js';
import { readArxivSample, startArxivServer } from './helpers/arxiv.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const FEED_4 = readArxivSample('rss/cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_4items.xml');
const SRC = 'arxiv:cs.LG+cs.AI+cs.CL+stat.ML';
// Every kind of control the terminal could act on: NUL, an OSC title, a CSI clear, bidi.
const DIRTY = '\u0000\u001b]0;pwned\u0007\u001b[2J\u202eEvil\u202c';
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/;

/** FEED_4 with control characters in its first item's title, abstract and authors. */
function dirtyFeed(): string {
  return FEED_4.replace(/(<item>[\s\S]*?<title>)/, `$1${DIRTY} `)
    .replace(/(<description>arXiv:\S+ Announce Type: \w+\s+Abstract:)/, `$1 ${DIRTY}`)
    .replace(/(<dc:creator>)/, `$1${DIRTY}`);
}

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

describe('arXiv text at ingest', () => {
  it('the parser stores no control, escape or bidi character', () => {
    const feed = parseFeed(dirtyFeed(), 'feed');
    const first = feed.entries[0]!;
    expect(first.title).toMatch(/^Evil The /);
    for (const e of feed.entries) {
      expect(CONTROLS.test(e.title)).toBe(false);
      expect(CONTROLS.test(e.abstract)).toBe(false);
      for (const a of e.authors) expect(CONTROLS.test(a)).toBe(false);
    }
    // The raw element keeps what came.
    expect(first.raw).toContain('\u001b[2J');
  });

  it('synced, then printed with --json: nothing for `jq -r` to pass to the terminal', async () => {
    const srv = await startArxivServer(() => ({
      headers: { 'content-type': 'application/rss+xml' },
      body: dirtyFeed(),
    }));
    closers.push(srv.close);
    const home = tempHome();
    const cli = (argv: string[]) =>
      runCli(argv, { home, now: '2026-09-24T13:00:00Z', env: { ARXIV_ENDPOINT: srv.url, PAPERS_ARXIV_DELAY_MS: '0' } });
    await cli(['source', 'add', SRC]);
    await cli(['source', 'rm', 'hf']);
    expect((await cli(['sync'])).exitCode).toBe(0);
    const list = await cli(['list', '--source', 'arxiv', '--json']);
    const papers = JSON.parse(list.stdout) as { title: string; abstract: string; authors: string[] }[];
    expect(papers.map((p) => p.title)).toContainEqual(expect.stringMatching(/^Evil /));
    for (const p of papers) {
      expect(CONTROLS.test(p.title + p.abstract + p.authors.join(''))).toBe(false);
    }
  });
});

describe('m011_clean_arxiv_text', () => {
  it('cleans arXiv rows stored before, and is idempotent', () => {
    const path = join(tempHome(), 'papers.db');
    const db = openDb(path);
    db.prepare(
      `INSERT INTO papers (id, title, abstract, authors, authors_key, source, source_day, raw, arxiv_raw,
         journal_ref, first_seen, updated_at)
       VALUES ('2609.26811', ?, ?, ?, '', 'arxiv:cs.LG', '2026-09-24', '{}', '<item/>', ?, 'x', 'x')`,
    ).run(`${DIRTY} Title`, `Abs ${DIRTY}`, JSON.stringify([`${DIRTY}Ann`, 'Bob']), `J. ${DIRTY}`);
    // Set back to before m011 (later migrations replay too: each is idempotent).
    const m011 = migrations.findIndex((m) => m.name === 'm011_clean_arxiv_text');
    expect(m011).toBeGreaterThan(0);
    db.pragma(`user_version = ${m011}`);
    db.close();
    for (let i = 0; i < 2; i++) {
      const again = openDb(path);
      const row = again.prepare('SELECT title, abstract, authors, journal_ref FROM papers').get();
      expect(row).toEqual({
        title: 'Evil Title',
        abstract: 'Abs Evil',
        authors: JSON.stringify(['EvilAnn', 'Bob']),
        journal_ref: 'J. Evil',
      });
      expect(again.prepare(`SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'EvilAnn'`).pluck().get()).toBe(1);
      again.pragma(`user_version = ${m011}`);
      again.close();
    }
  });
});
