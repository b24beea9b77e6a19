// Remote text is cleaned once, at ingest (issue 11 item 7): escape sequences removed whole,
// then controls, bidi and zero-width characters; URLs without whitespace, with a host and
// (for a repo) a path; titles and names capped. The raw entry keeps what came. A migration
// gives archives synced before the same clean text, with the FTS index in step.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, migrations } from '../src/db/migrations.js';
import { openDb } from '../src/db/open.js';
import { paperParams } from '../src/db/store.js';
import { parseEntry } from '../src/sources/hf-daily.js';
import type { PaperRecord } from '../src/sources/types.js';
import { MAX_AUTHORS, MAX_NAME, MAX_TITLE, cleanRemote, cleanUrl } from '../src/text.js';
import { tempHome } from './helpers/run-cli.js';

const ESC = '\u001b';
const DIRTY = {
  csi: `Evil${ESC}[2J Title`,
  osc: `Osc ${ESC}]0;pwned${ESC}\\Title ${ESC}]8;;https://x.example/\u0007link${ESC}]8;;\u0007`,
  dcs: `Dcs ${ESC}Pq#0;2;0;0;0~-${ESC}\\Title`,
  c1: `C1 \u009b31mred\u009d0;t\u009c Title`,
  controls: 'Nul\u0000 Bell\u0007 Del\u007f Tab\tand\r\nnewline',
  bidi: '\u202eevil\u202c \u2066iso\u2069 \u200fmark',
  zeroWidth: 'ze\u200bro\u200d wi\u2060dth\ufeff',
};

function entry(over: Record<string, unknown> = {}, paper: Record<string, unknown> = {}) {
  return {
    paper: {
      id: '2501.00001',
      title: DIRTY.csi,
      summary: `Abstract ${DIRTY.osc} ${DIRTY.controls}`,
      authors: [{ name: `Eve ${DIRTY.bidi}` }, { name: `Zoë ${DIRTY.zeroWidth}` }, { name: `${ESC}[8m` }],
      ai_summary: `Sum ${DIRTY.dcs}`,
      ai_keywords: [`kw ${DIRTY.c1}`, `${DIRTY.zeroWidth}`],
      ...paper,
    },
    organization: { fullname: `Org ${DIRTY.csi}` },
    submittedBy: { user: `sub${ESC}[31m\u202e` },
    ...over,
  };
}

describe('parseEntry cleans remote text', () => {
  it('escape sequences go whole, then controls, bidi and zero-width characters', () => {
    const e = entry();
    const rec = parseEntry(e)!;
    expect(rec.title).toBe('Evil Title');
    expect(rec.abstract).toBe('Abstract Osc Title link Nul Bell Del Tab and newline');
    expect(rec.authors).toEqual(['Eve evil iso mark', 'Zoë zero width']);
    expect(rec.aiSummary).toBe('Sum Dcs Title');
    expect(rec.aiKeywords).toEqual(['kw C1 red Title', 'zero width']);
    expect(rec.organization).toBe('Org Evil Title');
    expect(rec.submitter).toBe('sub');
    // The raw entry is the one that came, escapes and all.
    expect(JSON.parse(rec.raw)).toEqual(e);
  });

  it('each dirty form on its own', () => {
    expect(cleanRemote(DIRTY.csi)).toBe('Evil Title');
    expect(cleanRemote(DIRTY.dcs)).toBe('Dcs Title');
    expect(cleanRemote(DIRTY.c1)).toBe('C1 red Title');
    expect(cleanRemote(DIRTY.bidi)).toBe('evil iso mark');
    expect(cleanRemote(DIRTY.zeroWidth)).toBe('zero width');
    expect(cleanRemote('\u0000\u0001 \u0085')).toBe('');
  });

  it('a title that is nothing but escapes is no title: the entry is skipped', () => {
    expect(parseEntry(entry({}, { title: `${ESC}[2J${ESC}]0;x\u0007\u200b` }))).toBeNull();
  });

  it('titles, names and keywords are capped when saved; the raw keeps them whole', () => {
    const long = 'x'.repeat(300_000);
    const e = entry(
      {},
      {
        title: `A ${long}`,
        authors: [...Array.from({ length: MAX_AUTHORS + 50 }, (_, i) => ({ name: `N${i}` })), { name: long }],
        ai_keywords: [long],
      },
    );
    const rec = parseEntry(e)!;
    expect(rec.title).toHaveLength(MAX_TITLE);
    expect(rec.title.endsWith('…')).toBe(true);
    expect(rec.authors).toHaveLength(MAX_AUTHORS);
    expect(rec.aiKeywords[0]).toHaveLength(MAX_NAME);
    expect(rec.raw.length).toBeGreaterThan(600_000);
    const names = parseEntry(entry({}, { authors: [{ name: long }] }))!.authors;
    expect(names).toEqual(['x'.repeat(MAX_NAME - 1) + '…']);
  });

  it('a cap never splits a surrogate pair', () => {
    const title = '😀'.repeat(MAX_TITLE);
    const t = parseEntry(entry({}, { title }))!.title;
    expect(t.length).toBeLessThanOrEqual(MAX_TITLE);
    expect(t.endsWith('😀…')).toBe(true);
  });
});

describe('URLs', () => {
  const repo = (v: unknown) => parseEntry(entry({}, { githubRepo: v }))!.githubRepo;
  const page = (v: unknown) => parseEntry(entry({}, { projectPage: v }))!.projectPage;

  it('whitespace inside a URL is removed; a clone URL loses .git', () => {
    expect(repo('https://github.com/\nowner/repo.git')).toBe('https://github.com/owner/repo');
    expect(repo('  https://github.com/owner/\trepo  ')).toBe('https://github.com/owner/repo');
    expect(repo(`https://github.com/evil/x${ESC}[31m\u202e`)).toBe('https://github.com/evil/x');
    expect(page(' https://sites.google.com/view/adc-robot')).toBe('https://sites.google.com/view/adc-robot');
  });

  it('of two URLs, the first', () => {
    expect(repo('https://github.com/a/b\nhttps://github.com/a/b-data')).toBe('https://github.com/a/b');
  });

  it('a repo needs a host and a path; a project page may be a site root', () => {
    expect(repo('https://github.com/')).toBeNull();
    expect(repo('https://github.com')).toBeNull();
    expect(repo('https://github.com//')).toBeNull();
    expect(page('https://xbench.org/')).toBe('https://xbench.org/');
  });

  it('anything but http(s) with a host, or with credentials, is null', () => {
    for (const v of [
      'javascript:alert(1)',
      'ftp://x.org/a',
      'github.com/a/b',
      'https://',
      'https:///a/b',
      'https://user:pw@github.com/a/b',
      'https://github.com@evil.example/a',
      '',
      '   ',
      42,
      null,
    ]) {
      expect([v, repo(v), page(v)]).toEqual([v, null, null]);
    }
    expect(cleanUrl(`https://x.org/${'a'.repeat(3000)}`)).toBeNull();
  });
});

describe('migration m004_clean_remote_text', () => {
  const BEFORE = migrations.findIndex((m) => m.name === 'm004_clean_remote_text');

  function oldArchive(path: string, entries: PaperRecord[]): void {
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const m of migrations.slice(0, BEFORE)) {
      m.up(old);
      old.prepare('INSERT INTO migrations VALUES (?, ?)').run(m.name, '2025-01-01T00:00:00.000Z');
    }
    old.pragma(`user_version = ${BEFORE}`);
    // The rows as the schema of that time holds them (the current store writes later columns).
    const insert = old.prepare(`INSERT INTO papers (id, title, abstract, authors, authors_key, published_at, upvotes,
      comments, ai_summary, ai_keywords, github_repo, github_stars, project_page, organization, submitter, source,
      source_day, raw, first_seen, updated_at) VALUES (@id, @title, @abstract, @authors, @authors_key, @published_at,
      @upvotes, @comments, @ai_summary, @ai_keywords, @github_repo, @github_stars, @project_page, @organization,
      @submitter, @source, @source_day, @raw, @now, @now)`);
    entries.forEach((e, i) => {
      insert.run(paperParams(e, 'hf', '2025-01-06', '2025-01-06T12:00:00.000Z'));
      old
        .prepare('INSERT INTO listings (source, day, paper_id, rank) VALUES (?, ?, ?, ?)')
        .run('hf', '2025-01-06', e.id, i + 1);
    });
    old.close();
  }

  // What the old parser stored: text with its escapes, the first token of a URL.
  const dirty: PaperRecord = {
    id: '2501.00001',
    title: DIRTY.csi,
    abstract: `Abstract ${DIRTY.bidi}`,
    authors: [`Eve ${ESC}[31mRed`, `\u200b`],
    publishedAt: null,
    upvotes: 1,
    comments: null,
    aiSummary: `Sum ${DIRTY.dcs}`,
    aiKeywords: [`kw ${DIRTY.zeroWidth}`],
    githubRepo: 'https://github.com/',
    githubStars: null,
    projectPage: `https://p.example/x${ESC}[0m`,
    organization: `Org \u202e`,
    submitter: 'sub\u0007',
    raw: JSON.stringify({ paper: { id: '2501.00001', githubRepo: 'https://github.com/\nowner/repo.git' } }),
  };
  const clean: PaperRecord = {
    ...dirty,
    id: '2501.00002',
    title: 'A clean title',
    abstract: 'Clean.',
    authors: ['Ada'],
    aiSummary: null,
    aiKeywords: [],
    githubRepo: 'https://github.com/a/b',
    projectPage: null,
    organization: null,
    submitter: null,
    raw: '{}',
  };

  it('cleans the columns of an archive synced before, keeps FTS in step, leaves clean rows alone', () => {
    const path = join(tempHome(), 'old.db');
    oldArchive(path, [dirty, clean]);
    const db = openDb(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const row = (id: string) => db.prepare('SELECT * FROM papers WHERE id = ?').get(id) as Record<string, unknown>;
      expect(row('2501.00001')).toMatchObject({
        title: 'Evil Title',
        abstract: 'Abstract evil iso mark',
        authors: '["Eve Red"]',
        authors_key: 'eve red',
        ai_summary: 'Sum Dcs Title',
        ai_keywords: '["kw zero width"]',
        github_repo: 'https://github.com/owner/repo',
        project_page: 'https://p.example/x',
        organization: 'Org',
        submitter: 'sub',
        raw: dirty.raw,
        updated_at: '2025-01-06T12:00:00.000Z',
      });
      expect(row('2501.00002')).toMatchObject({
        title: 'A clean title',
        authors: '["Ada"]',
        github_repo: 'https://github.com/a/b',
      });
      db.exec(`INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)`);
      const match = (q: string) => db.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?').pluck().all(q);
      expect(match('"2J"')).toEqual([]); // the CSI's residue in the old index is gone
      expect(match('title:"evil title"')).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});
