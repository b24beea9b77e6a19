/**
 * Text from a PDF, off the main thread: one worker thread per PDF runs pdf.js
 * (src/fulltext/pdf-worker.mjs), under a deadline and a memory ceiling; past either it is
 * terminated, whatever it was doing (a page tree that loops, a stream that inflates
 * without end). Its pages of positioned items are laid out here (layout.ts).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PapersError } from '../errors.js';
import { layoutDocument, type PageItems } from './layout.js';

export interface ExtractOptions {
  /** Milliseconds the whole extraction may take. */
  deadlineMs?: number;
  /** More pages than this is not a paper: refused. */
  maxPages?: number;
  /** A compressed stream inflating past this is a zip bomb: refused. */
  maxInflateBytes?: number;
  /** Growth of the process's memory past this stops the worker. */
  maxMemoryBytes?: number;
  /** The worker script (tests and benchmarks point at src/ or dist/). */
  workerPath?: string;
  /** Each page as it is read. */
  onPage?: (page: number, pages: number) => void;
  signal?: AbortSignal;
}

export interface Extracted {
  /** Text of each page, paragraphs one per line; page 1 first. */
  pages: string[];
  ms: number;
}

const EXTRACT_DEFAULTS = {
  deadlineMs: 60_000,
  maxPages: 2_000,
  maxInflateBytes: 256 * 2 ** 20,
  maxMemoryBytes: 1_536 * 2 ** 20,
};

type ExtractFailure =
  | 'not-pdf'
  | 'encrypted'
  | 'invalid'
  | 'page'
  | 'too-many-pages'
  | 'zip-bomb'
  | 'deadline'
  | 'memory'
  | 'no-text'
  | 'crash';

/**
 * Why a PDF gave no text: one line, and the page it failed on (or was at when the deadline
 * or the memory ceiling stopped it), which `--verbose` shows.
 */
export class ExtractError extends PapersError {
  constructor(
    message: string,
    readonly code: ExtractFailure,
    readonly page?: number,
  ) {
    super(message);
  }
}

/** dist/pdf-worker.mjs beside the bundle, or src/fulltext/pdf-worker.mjs beside this file. */
function defaultWorkerPath(): string {
  return join(__dirname, 'pdf-worker.mjs');
}

export function extractPdf(bytes: Uint8Array, opts: ExtractOptions = {}): Promise<Extracted> {
  const o = { ...EXTRACT_DEFAULTS, ...opts };
  const started = Date.now();
  // The worker gets its own copy: the caller may still keep or write the bytes.
  const copy = new Uint8Array(bytes);
  return new Promise<Extracted>((resolve, reject) => {
    const worker = new Worker(o.workerPath ?? defaultWorkerPath(), {
      workerData: { bytes: copy, maxPages: o.maxPages, maxInflateBytes: o.maxInflateBytes },
      transferList: [copy.buffer as ArrayBuffer],
      // pdf.js keeps what it parses on the heap: a ceiling there ends the worker, not the process.
      resourceLimits: { maxOldGenerationSizeMb: Math.max(64, Math.round(o.maxMemoryBytes / 2 ** 20)) },
      stdout: true,
      stderr: true,
    });
    const pages: PageItems[] = [];
    let total = 0;
    let settled = false;
    let current = 0;
    // The page being read: the one after the last one sent.
    const working = () => (total ? Math.min(current + 1, total) : undefined);
    const baseline = process.memoryUsage.rss();
    const finish = (err: Error | null, value?: Extracted) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(watch);
      o.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (err) reject(err);
      else resolve(value!);
    };
    const timer = setTimeout(() => {
      finish(new ExtractError(`extraction took longer than ${seconds(o.deadlineMs)}`, 'deadline', working()));
    }, o.deadlineMs);
    // Typed arrays (an inflated stream) live outside the worker's heap limit: watch the process.
    const watch = setInterval(() => {
      if (process.memoryUsage.rss() - baseline > o.maxMemoryBytes) {
        const mib = Math.round(o.maxMemoryBytes / 2 ** 20);
        finish(new ExtractError(`extraction needed more than ${mib} MiB of memory`, 'memory', working()));
      }
    }, 50);
    const onAbort = () => finish(o.signal!.reason instanceof Error ? o.signal!.reason : new Error('interrupted'));
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') total = m.pages;
      else if (m.type === 'page') {
        current = m.page;
        pages.push({ width: m.width, height: m.height, items: m.items });
        o.onPage?.(m.page, total);
      } else if (m.type === 'error') {
        const what = m.code === 'page' ? `a page of the PDF cannot be read: ${m.message}` : m.message;
        finish(new ExtractError(what, m.code, m.page));
      } else if (m.type === 'done') {
        const text = layoutDocument(pages);
        if (!text.some((t) => /[\p{L}\p{N}]/u.test(t))) {
          return finish(new ExtractError('the PDF has no text (scanned pages, or all images)', 'no-text'));
        }
        finish(null, { pages: text, ms: Date.now() - started });
      }
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const mib = Math.round(o.maxMemoryBytes / 2 ** 20);
        finish(new ExtractError(`extraction needed more than ${mib} MiB of memory`, 'memory', working()));
      } else finish(new ExtractError(`the PDF reader failed: ${err.message}`, 'crash', working()));
    });
    worker.on('exit', (code) => {
      if (!settled) finish(new ExtractError(`the PDF reader stopped (exit ${code})`, 'crash', working()));
    });
  });
}

const seconds = (ms: number) => `${ms < 10_000 ? +(ms / 1000).toFixed(1) : Math.round(ms / 1000)} s`;

type WorkerMessage =
  | { type: 'start'; pages: number }
  | { type: 'page'; page: number; width: number; height: number; items: PageItems['items'] }
  | { type: 'error'; code: ExtractFailure; message: string; page?: number }
  | { type: 'done' };
