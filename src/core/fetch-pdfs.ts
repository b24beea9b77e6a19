/**
 * `papers fetch`: each paper's PDF from arXiv, its text extracted and saved, one paper at a
 * time. The requests go through the arXiv politeness of the run (`deps.arxiv.gate`: one
 * request at a time per host, 3 s apart); while the gate waits before the next download,
 * the previous PDF is read in its worker thread, so the wait is not spent twice.
 *
 * Resumable: a paper whose text is stored is skipped (unless `force`). Each failure (a
 * download, a body that is not a PDF, a PDF that gives no text within the deadline) is
 * reported and recorded for that paper; the others go on. Only an interrupt stops the run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DB } from '../db/open.js';
import { InterruptedError, PapersError, errorMessage } from '../errors.js';
import { extractPdf, ExtractError, type ExtractOptions, type Extracted } from '../fulltext/extract.js';
import type { ArxivDeps } from '../sources/arxiv/adapter.js';
import { fetchPdf } from '../sources/arxiv/pdf.js';
import { parsePaperId, versionedId } from '../ids.js';
import { forgetPdf, keptPdfs, saveFailure, saveFullText, withFullText } from './fulltext.js';
import { starredIds } from './library.js';
import { hasFilter, selectAll } from './new.js';
import { listPapers, type PaperFilter } from './query.js';
import { requireWatch, watchSelection } from './watch.js';

export interface FetchTarget {
  id: string;
  /** The version to ask for (typed by the user, or the archive's latest); null: arXiv's latest. */
  version: number | null;
}

export interface FetchPdfsOptions {
  targets: readonly FetchTarget[];
  /** Keep each PDF in `pdfDir` (false: the text alone is kept). */
  keep: boolean;
  /** Largest PDF downloaded (bytes). */
  maxBytes: number;
  /** Largest total of kept PDFs: the oldest are removed past it (their text stays). */
  maxCacheBytes: number;
  /** Fetch again papers whose text is stored. */
  force?: boolean;
  extract?: Pick<ExtractOptions, 'deadlineMs' | 'maxPages' | 'maxInflateBytes' | 'maxMemoryBytes' | 'workerPath'>;
}

export interface FetchPdfsDeps {
  db: DB;
  arxiv: ArxivDeps;
  now: () => Date;
  /** Where kept PDFs go: `pdf/` in the archive's directory. */
  pdfDir: string;
  /** The path stored for a kept file, relative to the archive's directory. */
  relativeDir: string;
  onEvent?: (e: FetchEvent) => void;
  /** The extractor (tests may pass another). */
  extract?: (bytes: Uint8Array, opts: ExtractOptions) => Promise<Extracted>;
}

export type FetchEvent =
  | { kind: 'skipped'; id: string; index: number; total: number }
  | { kind: 'downloading'; id: string; index: number; total: number }
  | { kind: 'reading'; id: string; page: number; pages: number }
  | {
      kind: 'fetched';
      id: string;
      index: number;
      total: number;
      pages: number;
      chars: number;
      bytes: number;
      ms: number;
    }
  | { kind: 'failed'; id: string; index: number; total: number; error: string; page?: number };

export interface FetchOutcome {
  id: string;
  status: 'fetched' | 'skipped' | 'failed';
  pages?: number;
  chars?: number;
  bytes?: number;
  error?: string;
  /** The page extraction failed on, when it failed on one. */
  page?: number;
}

export interface FetchSummary {
  outcomes: FetchOutcome[];
  fetched: number;
  skipped: number;
  failed: number;
}

/** A file name for an id: old-style ids have a slash (`hep-th/9901001`). */
function pdfFileName(id: string, version: number | null): string {
  return `${id.replace(/\//g, '_')}${version ? `v${version}` : ''}.pdf`;
}

export async function fetchPdfs(deps: FetchPdfsDeps, opts: FetchPdfsOptions): Promise<FetchSummary> {
  const { db } = deps;
  const total = opts.targets.length;
  const done = opts.force
    ? new Set<string>()
    : withFullText(
        db,
        opts.targets.map((t) => t.id),
      );
  const outcomes: FetchOutcome[] = [];
  const extract = deps.extract ?? extractPdf;
  const signal = deps.arxiv.signal;
  const fail = (t: FetchTarget, index: number, err: unknown) => {
    if (err instanceof InterruptedError || signal?.aborted)
      throw err instanceof InterruptedError ? err : new InterruptedError();
    const error = errorMessage(err);
    const page = err instanceof ExtractError ? err.page : undefined;
    saveFailure(db, t.id, error, page, deps.now().toISOString());
    outcomes.push({ id: t.id, status: 'failed', error, page });
    deps.onEvent?.({ kind: 'failed', id: t.id, index, total, error, page });
  };
  // Reading a PDF and saving its text, while the next download waits for the gate.
  const readAndSave = async (t: FetchTarget, index: number, bytes: Buffer) => {
    try {
      const text = await extract(bytes, {
        ...opts.extract,
        signal,
        onPage: (page, pages) => deps.onEvent?.({ kind: 'reading', id: t.id, page, pages }),
      });
      const sha = createHash('sha256').update(bytes).digest('hex');
      const file = opts.keep ? keepPdf(deps, opts, t, bytes) : null;
      saveFullText(db, {
        id: t.id,
        version: t.version,
        pages: text.pages,
        pdfBytes: bytes.length,
        pdfSha256: sha,
        pdfFile: file,
        ms: text.ms,
        fetchedAt: deps.now().toISOString(),
      });
      if (file) enforceCacheCap(deps, opts.maxCacheBytes, t.id);
      const chars = text.pages.reduce((n, p) => n + p.length, 0);
      outcomes.push({ id: t.id, status: 'fetched', pages: text.pages.length, chars, bytes: bytes.length });
      deps.onEvent?.({
        kind: 'fetched',
        id: t.id,
        index,
        total,
        pages: text.pages.length,
        chars,
        bytes: bytes.length,
        ms: text.ms,
      });
    } catch (err) {
      fail(t, index, err);
    }
  };
  let pending: Promise<void> = Promise.resolve();
  try {
    for (let i = 0; i < total; i++) {
      const t = opts.targets[i]!;
      if (done.has(t.id)) {
        outcomes.push({ id: t.id, status: 'skipped' });
        deps.onEvent?.({ kind: 'skipped', id: t.id, index: i + 1, total });
        continue;
      }
      let bytes: Buffer;
      try {
        deps.onEvent?.({ kind: 'downloading', id: t.id, index: i + 1, total });
        bytes = (await fetchPdf(t.id, t.version, deps.arxiv, { maxBytes: opts.maxBytes })).bytes;
      } catch (err) {
        await pending;
        fail(t, i + 1, err);
        continue;
      }
      // One PDF read at a time: the previous one finishes before this one starts.
      await pending;
      pending = readAndSave(t, i + 1, bytes);
    }
  } finally {
    await pending.catch(() => {});
  }
  await pending;
  const count = (s: FetchOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  // Outcomes in the order asked for (a failed download can be reported before the read before it).
  const order = new Map(opts.targets.map((t, i) => [t.id, i]));
  outcomes.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { outcomes, fetched: count('fetched'), skipped: count('skipped'), failed: count('failed') };
}

/** Writes the PDF beside the archive (whole or not at all); its path relative to the archive's directory. */
function keepPdf(deps: FetchPdfsDeps, opts: FetchPdfsOptions, t: FetchTarget, bytes: Buffer): string | null {
  // A PDF larger than the whole cache is not kept (its text is).
  if (bytes.length > opts.maxCacheBytes) return null;
  const name = pdfFileName(t.id, t.version);
  try {
    mkdirSync(deps.pdfDir, { recursive: true });
    const tmp = join(deps.pdfDir, `.${name}.${process.pid}.tmp`);
    writeFileSync(tmp, bytes);
    renameSync(tmp, join(deps.pdfDir, name));
  } catch (err) {
    throw new PapersError(`cannot keep the PDF in ${deps.pdfDir}: ${errorMessage(err)}`, {
      hint: 'free some space, or fetch with --no-keep',
      cause: err,
    });
  }
  return `${deps.relativeDir}/${name}`;
}

/** Removes the oldest kept PDFs (not `current`) until the kept total fits the cap. */
function enforceCacheCap(deps: FetchPdfsDeps, cap: number, current: string): void {
  const kept = keptPdfs(deps.db);
  let total = kept.reduce((n, k) => n + k.bytes, 0);
  for (const k of kept) {
    if (total <= cap) break;
    if (k.id === current) continue;
    rmSync(join(deps.pdfDir, k.file.split('/').pop()!), { force: true });
    forgetPdf(deps.db, k.id);
    total -= k.bytes;
  }
}

export interface FetchSelection {
  /** Ids as typed (any form papers takes; a version typed is the version fetched). */
  ids?: readonly string[];
  starred?: boolean;
  tag?: string;
  watch?: string;
  /** List filters (days, -k, --cat...): the papers they select. */
  filter?: PaperFilter;
  limit?: number;
}

/**
 * The papers a fetch is about, in the order named, each once: ids typed, then stars (or a
 * tag's), a watch's matches, a list filter's papers. The version is the one typed, else
 * the archive's latest (so the text is of the version the archive describes).
 */
export function fetchTargets(db: DB, sel: FetchSelection): FetchTarget[] {
  const out = new Map<string, number | null>();
  const version = db.prepare('SELECT version FROM papers WHERE id = ?').pluck();
  const add = (id: string, v: number | null = null) => {
    if (!out.has(id)) out.set(id, v ?? (version.get(id) as number | null | undefined) ?? null);
  };
  for (const raw of sel.ids ?? []) {
    const id = parsePaperId(raw);
    add(id, versionedId(raw)?.version ?? null);
  }
  if (sel.starred || sel.tag !== undefined) for (const id of starredIds(db, sel.tag)) add(id);
  if (sel.watch !== undefined) for (const p of selectAll(db, watchSelection(requireWatch(db, sel.watch)))) add(p.id);
  if (sel.filter && hasFilter(sel.filter))
    for (const p of listPapers(db, { ...sel.filter, limit: undefined })) add(p.id);
  const targets = [...out].map(([id, v]) => ({ id, version: v }));
  return sel.limit === undefined ? targets : targets.slice(0, sel.limit);
}
