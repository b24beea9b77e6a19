/**
 * `papers add ID...`: papers neither listing carried (a colleague's link), fetched by id
 * from the source's id lookup into the archive, as a runner task (kind `add`). Ids are
 * checked before any request; each batch is fetched and saved in its own transaction, so
 * a batch that fails loses nothing the others fetched. Each paper is listed as `added` on
 * the day it was added, so the list commands reach it (`--type added`).
 */
import { dayOf } from '../dates.js';
import { PapersError, errorMessage, isAbortError } from '../errors.js';
import { redactText } from '../http/client.js';
import { savePapers } from '../db/store.js';
import { canonicalId, parsePaperId, versionedId } from '../ids.js';
import type { AnnouncementSource } from '../sources/types.js';
import type { SourceTask } from './runner.js';

export interface AddResult {
  /** Canonical ids, in the order asked, each once. */
  requested: string[];
  inserted: string[];
  updated: string[];
  /** Already in the archive as the source describes them. */
  unchanged: string[];
  notFound: string[];
  /** Batches that could not be fetched: their ids and why. Every other batch was saved. */
  failed: { ids: string[]; error: string; hint?: string }[];
}

/**
 * Checks every id first: one typo fails the command before any request is made. A version
 * typed (`2104.12255v1`) is asked for as such: that version's metadata, not the latest.
 */
export function addIds(inputs: readonly string[]): string[] {
  const asked = new Map<string, string>();
  for (const i of inputs) {
    const id = parsePaperId(i);
    const v = versionedId(i)?.version;
    if (!asked.has(id) || v) asked.set(id, v ? `${id}v${v}` : id);
  }
  return [...asked.values()];
}

export function addTask(source: AnnouncementSource, ids: readonly string[]): SourceTask<AddResult> {
  return {
    source: source.name,
    kind: 'add',
    async run(ctx) {
      const requested = ids.map((i) => canonicalId(i) ?? i);
      const r: AddResult = { requested, inserted: [], updated: [], unchanged: [], notFound: [], failed: [] };
      for (let i = 0; i < ids.length && !ctx.signal.aborted; i += source.idBatch) {
        const batch = ids.slice(i, i + source.idBatch);
        let got;
        try {
          got = await source.fetchByIds(batch, { http: ctx.http, signal: ctx.signal });
        } catch (err) {
          if (ctx.signal.aborted || isAbortError(err)) throw err;
          const hint = err instanceof PapersError ? err.hint : undefined;
          r.failed.push({ ids: batch, error: redactText(errorMessage(err)), ...(hint ? { hint } : {}) });
          continue;
        }
        const now = ctx.now();
        const listing = { source: source.name, type: 'added' as const };
        const saved = savePapers(ctx.db, got.found, source.name, dayOf(now), now.toISOString(), listing);
        const touched = new Set([...saved.inserted, ...saved.updated]);
        r.inserted.push(...saved.inserted);
        r.updated.push(...saved.updated);
        r.unchanged.push(...got.found.map((p) => p.id).filter((id) => !touched.has(id)));
        r.notFound.push(...got.missing.map((m) => canonicalId(m) ?? m));
        ctx.tally(totalsOf(r));
      }
      const failedIds = r.failed.flatMap((f) => f.ids).length;
      return {
        result: r,
        totals: totalsOf(r),
        status: r.failed.length ? 'failed' : 'ok',
        error: r.failed.length ? `${failedIds} ids not fetched: ${r.failed[0]!.error}` : undefined,
      };
    },
  };
}

const totalsOf = (r: AddResult) => ({
  days: 0,
  failed: r.failed.length,
  papers: r.inserted.length + r.updated.length + r.unchanged.length,
  newPapers: r.inserted.length,
  updated: r.updated.length,
});
