/**
 * `papers add ID...`: papers neither listing carried (a colleague's link), fetched by id
 * from the source's id lookup into the archive. Ids are checked before any request; an
 * id the source does not know is reported as not found (the command exits 1 for it).
 */
import { dayOf } from '../dates.js';
import type { HttpClient } from '../http/client.js';
import type { DB } from '../db/open.js';
import { savePapers } from '../db/store.js';
import { canonicalId, parsePaperId, versionedId } from '../ids.js';
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
  // A version typed (`2104.12255v1`) is asked for as such: that version's metadata, not the latest.
  const asked = new Map<string, string>();
  for (const i of inputs) {
    const id = parsePaperId(i);
    const v = versionedId(i)?.version;
    if (!asked.has(id) || v) asked.set(id, v ? `${id}v${v}` : id);
  }
  const got = await source.fetchByIds([...asked.values()], { http: deps.http, signal: deps.signal });
  const found = got.found;
  const missing = got.missing.map((m) => canonicalId(m) ?? m);
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
