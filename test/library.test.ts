// Stars and tags: every id form, the error for a paper not in the archive, tags, and
// stars that outlive re-syncs and migrations.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { libraryTags, listLibrary, removeStars, saveStars, starredIds } from '../src/core/library.js';
import { SCHEMA_VERSION, migrations } from '../src/db/migrations.js';
import { openDb, type DB } from '../src/db/open.js';
import { saveDay } from '../src/db/store.js';
import { PapersError, UsageError } from '../src/errors.js';
import { parseApiBody } from '../src/sources/hf-daily.js';
import { readFileSync } from 'node:fs';
import { ROOT } from './helpers/fixtures.js';
import { tempHome } from './helpers/run-cli.js';
import { saveHfDay } from './helpers/paper.js';

const DAY = '2024-06-03';
const records = () => parseApiBody(readFileSync(join(ROOT, 'fixtures', 'library', `${DAY}.json`), 'utf8'), DAY).entries;
const NOW = new Date('2025-07-01T10:00:00.000Z');
const LATER = new Date('2025-07-02T10:00:00.000Z');

function save(db: DB, now = '2025-07-01T00:00:00.000Z') {
  return saveDay(db, { source: 'hf', day: DAY, entries: records(), skipped: 0, requests: 1, via: 'api', now });
}

function archive(): { db: DB; path: string; ids: string[] } {
  const path = join(tempHome(), 'papers.db');
  const db = openDb(path);
  save(db);
  const ids = db.prepare('SELECT id FROM papers ORDER BY id').pluck().all() as string[];
  return { db, path, ids };
}

describe('stars', () => {
  it('accepts every id form show takes, and lists the library newest star first', () => {
    const { db, ids } = archive();
    const [a, b, c] = ids as [string, string, string];
    const r = saveStars(db, [`https://arxiv.org/abs/${a}v2`, `huggingface.co/papers/${b}`, `arXiv:${a}`], {
      now: NOW,
      tags: ['RL'],
    });
    expect(r).toEqual({ starred: [a, b], already: [], tags: ['RL'] });
    expect(saveStars(db, [`https://arxiv.org/pdf/${c}.pdf`, b], { now: LATER, tags: ['rl', 'agents'] })).toEqual({
      starred: [c],
      already: [b],
      tags: ['rl', 'agents'],
    });
    const lib = listLibrary(db);
    expect(lib.map((e) => [e.id, e.starredAt, e.tags])).toEqual([
      [c, LATER.toISOString(), ['agents', 'rl']],
      [a, NOW.toISOString(), ['RL']],
      [b, NOW.toISOString(), ['agents', 'RL']],
    ]);
    // The paper shape of every read command, with the star fields after it.
    expect(lib[0]!.title).toBe(db.prepare('SELECT title FROM papers WHERE id = ?').pluck().get(c));
    expect(lib[0]!.days).toEqual([DAY]);
    expect(listLibrary(db, { tag: 'AGENTS' }).map((e) => e.id)).toEqual([c, b]);
    expect(listLibrary(db, { tag: 'none' })).toEqual([]);
    expect(libraryTags(db)).toEqual([
      { tag: 'agents', count: 2 },
      { tag: 'RL', count: 3 },
    ]);
    expect([...starredIds(db, 'agents')].sort()).toEqual([b, c].sort());
    expect(starredIds(db).size).toBe(3);
    db.close();
  });

  it('refuses a paper that is not in the archive, says how to get it, and stars none of the batch', () => {
    const { db, ids } = archive();
    let err: unknown;
    try {
      saveStars(db, [ids[0]!, '2406.12345v3'], { now: NOW });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PapersError);
    expect((err as PapersError).exitCode).toBe(1);
    expect((err as PapersError).message).toBe('not in the archive: 2406.12345');
    expect((err as PapersError).hint).toContain('papers add 2406.12345');
    expect(listLibrary(db)).toEqual([]);
    // Not an id at all: a usage error, as for show.
    expect(() => saveStars(db, ['attention is all you need'], { now: NOW })).toThrow(UsageError);
    expect(() => saveStars(db, [ids[0]!], { now: NOW, tags: ['  '] })).toThrow(/invalid tag/);
    expect(() => saveStars(db, [ids[0]!], { now: NOW, tags: ['a,b'] })).toThrow(UsageError);
    db.close();
  });

  it('unstars, or removes only a tag', () => {
    const { db, ids } = archive();
    const [a, b] = ids as [string, string];
    saveStars(db, [a, b], { now: NOW, tags: ['rl', 'agents'] });
    expect(removeStars(db, [b], { tags: ['RL'] })).toEqual({ removed: [b], notStarred: [] });
    expect(listLibrary(db).find((e) => e.id === b)!.tags).toEqual(['agents']);
    expect(removeStars(db, [a, b, ids[2]!])).toEqual({ removed: [a, b], notStarred: [ids[2]] });
    expect(listLibrary(db)).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM star_tags').pluck().get()).toBe(0);
    // A star whose paper left the archive can still be removed.
    expect(removeStars(db, ['2406.12345'])).toEqual({ removed: [], notStarred: ['2406.12345'] });
    db.close();
  });

  it('survive a re-sync that changes the papers, and a re-open', () => {
    const { db, path, ids } = archive();
    saveStars(db, ids.slice(0, 2), { now: NOW, tags: ['keep'] });
    const entries = records().map((r) => ({ ...r, upvotes: r.upvotes + 100, title: r.title + ' (v2)' }));
    saveHfDay(db, DAY, entries, LATER.toISOString());
    // ...and a sync where the day lists none of them any more.
    saveHfDay(db, DAY, entries.slice(2), LATER.toISOString());
    db.close();
    const again = openDb(path);
    const lib = listLibrary(again);
    expect(lib.map((e) => [e.id, e.tags, e.starredAt])).toEqual(
      ids.slice(0, 2).map((id) => [id, ['keep'], NOW.toISOString()]),
    );
    expect(lib[0]!.title).toMatch(/\(v2\)$/);
    again.close();
  });

  it('an archive of the schema before stars migrates with its data and can star', () => {
    const path = join(tempHome(), 'old.db');
    const old = new Database(path);
    old.exec('CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const before = migrations.findIndex((m) => m.name === 'm008_library_stars');
    expect(before).toBeGreaterThan(0);
    for (const m of migrations.slice(0, before)) {
      m.up(old);
      old.prepare('INSERT INTO migrations VALUES (?, ?)').run(m.name, '2025-01-01T00:00:00.000Z');
    }
    old.pragma(`user_version = ${before}`);
    save(old);
    old.close();
    const db = openDb(path);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const id = db.prepare('SELECT min(id) FROM papers').pluck().get() as string;
    saveStars(db, [id], { now: NOW });
    expect(listLibrary(db).map((e) => e.id)).toEqual([id]);
    db.close();
  });
});

describe('the stars migration', () => {
  it('replayed on an archive that has its tables (a version set back by hand) keeps the stars', () => {
    const path = join(tempHome(), 'papers.db');
    const db = openDb(path);
    save(db);
    const id = db.prepare('SELECT min(id) FROM papers').pluck().get() as string;
    saveStars(db, [id], { now: NOW, tags: ['kept'] });
    const at = migrations.findIndex((m) => m.name === 'm008_library_stars');
    db.pragma(`user_version = ${at}`);
    // Set back by hand: m008 and every migration after it run again.
    for (const m of migrations.slice(at)) db.prepare('DELETE FROM migrations WHERE name = ?').run(m.name);
    db.close();
    const again = openDb(path);
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(listLibrary(again).map((e) => [e.id, e.tags])).toEqual([[id, ['kept']]]);
    again.close();
  });
});
