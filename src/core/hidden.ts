/**
 * "Not this": papers the reader hid (`papers hide`). They are negatives for the recommender
 * (recommend.ts), and `new`, `today`, `digest` and `recommend` leave them out unless asked
 * (`--hidden`). Kept in their own table (m012), keyed by canonical id, as stars are.
 */
import type { DB } from '../db/open.js';
import { PapersError } from '../errors.js';
import { parsePaperId } from '../ids.js';

export interface HideResult {
  /** Newly hidden (or shown again, for unhide), in the order given. */
  changed: string[];
  /** Hidden before (or, for unhide, not hidden). */
  unchanged: string[];
}

function ids(db: DB, inputs: readonly string[], alsoKnown?: (id: string) => boolean): string[] {
  const q = db.prepare('SELECT 1 FROM papers WHERE id = ?').pluck();
  const known = (id: string) => q.get(id) !== undefined || !!alsoKnown?.(id);
  return [...new Set(inputs.map((i) => parsePaperId(i, known)))];
}

/** Hides papers. Every id must be in the archive: when one is not, none is hidden. */
export function saveHidden(db: DB, inputs: readonly string[], opts: { now: Date }): HideResult {
  const list = ids(db, inputs);
  const has = db.prepare('SELECT 1 FROM papers WHERE id = ?').pluck();
  const missing = list.filter((id) => has.get(id) === undefined);
  if (missing.length) {
    throw new PapersError(`not in the archive: ${missing.join(', ')}`, {
      hint: 'only papers the archive holds can be hidden (papers show ID says whether it has one)',
    });
  }
  const insert = db.prepare('INSERT INTO hidden (paper_id, hidden_at) VALUES (?, ?) ON CONFLICT(paper_id) DO NOTHING');
  const at = opts.now.toISOString();
  return db
    .transaction((): HideResult => {
      const r: HideResult = { changed: [], unchanged: [] };
      for (const id of list) (insert.run(id, at).changes ? r.changed : r.unchanged).push(id);
      return r;
    })
    .immediate();
}

/** Shows hidden papers again. */
export function removeHidden(db: DB, inputs: readonly string[]): HideResult {
  const hiddenQ = db.prepare('SELECT 1 FROM hidden WHERE paper_id = ?').pluck();
  const list = ids(db, inputs, (id) => hiddenQ.get(id) !== undefined);
  const del = db.prepare('DELETE FROM hidden WHERE paper_id = ?');
  return db
    .transaction((): HideResult => {
      const r: HideResult = { changed: [], unchanged: [] };
      for (const id of list) (del.run(id).changes ? r.changed : r.unchanged).push(id);
      return r;
    })
    .immediate();
}

/** The hidden ids (an archive opened read-only before m012 has none). */
export function hiddenIds(db: DB): Set<string> {
  const has = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hidden'`).pluck().get();
  if (!has) return new Set();
  return new Set(db.prepare('SELECT paper_id FROM hidden').pluck().all() as string[]);
}
