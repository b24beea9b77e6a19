/**
 * `papers add ID...`: papers neither listing carried (a colleague's link), fetched by id
 * from the source's id lookup into the archive. Ids are checked before any request; an
 * id the source does not know is reported as not found (the command exits 1 for it).
 */
import { dayOf } from '../dates.js';
import type { HttpClient } from '../http/client.js';
import type { DB } from '../db/open.js';
import { savePapers } from '../db/store.js';
import { parsePaperId } from '../ids.js';
import type { AnnouncementSource } from '../sources/types.js';

export interface AddResult {
  /** Canonical ids, in the order asked, each once. */
  requested: string[];
  inserted: string[];
  updated: string[];
  /** Already in the archive as the source describes them. */
  unchanged: string[];
  notFound: string[];
}

export interface AddDeps {
  db: DB;
  http: HttpClient;
  now: () => Date;
  signal?: AbortSignal;
}

export async function addPapers(
  deps: AddDeps,
  source: AnnouncementSource,
  inputs: readonly string[],
): Promise<AddResult> {
  // Every id is checked first: one typo fails the command before any request is made.
  const requested = [...new Set(inputs.map((i) => parsePaperId(i)))];
  const { found, missing } = await source.fetchByIds(requested, { http: deps.http, signal: deps.signal });
  const now = deps.now();
  const { inserted, updated } = savePapers(deps.db, found, source.name, dayOf(now), now.toISOString());
  const touched = new Set([...inserted, ...updated]);
  return {
    requested,
    inserted,
    updated,
    unchanged: found.map((r) => r.id).filter((id) => !touched.has(id)),
    notFound: missing,
  };
}
