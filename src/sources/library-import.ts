/**
 * Reference-manager exports to the few facts `library import` matches on: BibTeX (Zotero,
 * JabRef, Google Scholar, arXiv's own) and CSL-JSON (Zotero's CSL JSON, Better BibTeX's
 * Better CSL JSON). Pure functions of a body; the matching against the archive is in
 * core/library.ts.
 *
 * BibTeX goes through @retorquere/bibtex-parser, the parser of Zotero's Better BibTeX: it
 * reads what real exports hold (@string macros such as `month = aug`, JabRef's @Comment
 * blocks, LaTeX accents and commands, `\url{}`, broken entries reported and skipped) and
 * turns LaTeX into text. CSL-JSON is plain JSON: its shape is checked here.
 */
import { InterruptedError, ParseError, checkAborted } from '../errors.js';
import { checkBibtexBounds } from './bibtex-bounds.js';
import { canonicalId } from '../ids.js';
import { cleanLine, quoteArg } from '../text.js';
import { packageEntryUrl } from '../shims/import.js';

export type LibraryFormat = 'bibtex' | 'csl-json';

/** One reference as the file describes it. */
export interface LibraryItem {
  /** The citation key (BibTeX) or item id (CSL), for the report. */
  key: string;
  title: string | null;
  /** Canonical arXiv id, when the entry names one. */
  arxivId: string | null;
  /** Where the id was found: a field name (`eprint`, `url`, `doi`, ...). */
  arxivFrom: string | null;
  /** Lower-case DOI, when any. */
  doi: string | null;
  /** The entry's keywords (BibTeX `keywords`, CSL `keyword`): Zotero's tags, and `library export`'s. */
  keywords?: string[];
}

export interface ParsedLibrary {
  format: LibraryFormat;
  items: LibraryItem[];
  /** Entries that could not be read, one line each. */
  errors: string[];
}

/**
 * Loaded in a worker thread, from node_modules, not bundled into dist/papers.cjs: its LaTeX
 * tables would add about 1 MB that every command would load at start-up. (Through its ES
 * module build: its CommonJS build cannot be required on Node 20.)
 */
const BIBTEX_PARSER: string = '@retorquere/bibtex-parser';

export interface ParseOptions {
  signal?: AbortSignal;
  /** How long the BibTeX parser may run (default: from the body's size, see bibtexDeadlineMs). */
  deadlineMs?: number;
}

/**
 * The parser reads about 100 KB a second on this project's machines: a minute, plus half a
 * minute per MiB, is several times what a real export needs and still ends.
 */
export function bibtexDeadlineMs(bytes: number): number {
  return 60_000 + Math.ceil((30_000 * bytes) / 1024 ** 2);
}

/** The heap the parser's worker may use: a 12 MB export needs about 300 MB. */
const WORKER_HEAP_MB = 1536;

/** Which format a body is in: JSON starts with `[` or `{`, BibTeX with `@` or `%` comments. */
export function sniffLibraryFormat(body: string): LibraryFormat {
  return /^\s*[[{]/.test(body) ? 'csl-json' : 'bibtex';
}

export async function parseLibrary(
  body: string,
  where: string,
  format = sniffLibraryFormat(body),
  opts: ParseOptions = {},
): Promise<ParsedLibrary> {
  const text = body.replace(/^\uFEFF/, '');
  return format === 'csl-json' ? parseCslJson(text, where) : parseBibtex(text, where, opts);
}

// ---- identifiers --------------------------------------------------------------------------

/** arXiv ids as references write them: new style with an optional version, or old style. */
const ID = String.raw`(\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z-]*(?:\.[a-z]{2})?\/\d{7}(?:v\d+)?)`;
const ARXIV_URL = new RegExp(String.raw`(?:arxiv\.org/(?:abs|pdf|html)|huggingface\.co/papers)/` + ID, 'i');
/** `arXiv:2106.09685`, `arXiv: 2106.09685`, `arXiv preprint arXiv:2106.09685`, `arXiv 2106.09685`. */
const ARXIV_LABEL = new RegExp(String.raw`\barxiv(?:\s*:\s*|\s+)` + ID, 'i');
/** arXiv's DataCite DOIs carry the id: 10.48550/arXiv.2106.09685. */
const ARXIV_DOI = new RegExp(String.raw`^10\.48550/arxiv\.` + ID + '$', 'i');
const DOI = /\b(10\.\d{4,9}\/\S+)/;

const idIn = (re: RegExp, s: string | undefined): string | null => {
  const m = s ? re.exec(s) : null;
  return (m && canonicalId(m[1]!)) ?? null;
};

/** A bare DOI from a field that may hold a resolver URL (`https://doi.org/...`). */
export function cleanDoi(s: string | undefined): string | null {
  const m = s ? DOI.exec(s.trim()) : null;
  return m ? m[1]!.replace(/[.,;]+$/, '').toLowerCase() : null;
}

interface Fields {
  /** An explicit arXiv id field: BibTeX eprint (unless another archive is named), Mendeley's arxivid. */
  eprint: [string, string | undefined][];
  /** Fields that may hold an arXiv URL. */
  urls: [string, string | undefined][];
  /** Fields that may say `arXiv:ID`. */
  labels: [string, string | undefined][];
  doi: string | undefined;
}

/** The arXiv id by the order of trust: an id field, a URL, an `arXiv:` label, the DOI. */
function findArxivId(f: Fields): { id: string; from: string } | null {
  for (const [name, v] of f.eprint) {
    const id = v ? canonicalId(v.trim()) : undefined;
    if (id) return { id, from: name };
  }
  for (const [name, v] of f.urls) {
    const id = idIn(ARXIV_URL, v);
    if (id) return { id, from: name };
  }
  for (const [name, v] of f.labels) {
    const id = idIn(ARXIV_LABEL, v);
    if (id) return { id, from: name };
  }
  const doi = cleanDoi(f.doi);
  const id = doi ? idIn(ARXIV_DOI, doi) : null;
  return id ? { id, from: 'doi' } : null;
}

/** Keywords as a list: one string with commas or semicolons, or a list of them (as the BibTeX parser gives). */
function keywordList(v: unknown): string[] {
  const parts = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return parts
    .flatMap((x) => (typeof x === 'string' ? x.split(/[,;]/) : []))
    .map((k) => cleanLine(k).normalize('NFC'))
    .filter(Boolean);
}

function item(key: string, title: string | undefined, f: Fields, keywords: unknown): LibraryItem {
  const found = findArxivId(f);
  const kw = keywordList(keywords);
  // The parser writes LaTeX accents as combining marks (u + ̈): composed, as the archive stores text.
  const t = title ? cleanLine(title).normalize('NFC') : '';
  return {
    key,
    title: t || null,
    arxivId: found?.id ?? null,
    arxivFrom: found?.from ?? null,
    doi: cleanDoi(f.doi),
    ...(kw.length ? { keywords: kw } : {}),
  };
}

// ---- BibTeX ---------------------------------------------------------------------------------

async function parseBibtex(body: string, where: string, opts: ParseOptions): Promise<ParsedLibrary> {
  checkBibtexBounds(body, where);
  const lib = await runBibtexParser(body, where, opts);
  const errors = lib.errors.map((e) => cleanLine(`${e.error}${e.input ? `: ${e.input.slice(0, 80)}` : ''}`));
  if (!lib.entries.length && !/@\s*[a-z]+\s*[{(]/i.test(body)) {
    throw new ParseError(`${where} is not a BibTeX or CSL-JSON file: no @entry{...} in it`, {
      hint: 'export the library from Zotero, JabRef or Google Scholar as BibTeX (.bib), or from Zotero as CSL JSON',
    });
  }
  // An entry the parser could not read comes back without fields, and is in `errors`.
  const items = lib.entries
    .filter((e) => e.count > 0)
    .map((e) => {
      const s = e.fields as Record<string, string | undefined>;
      const keywords = (e.fields as Record<string, unknown>).keywords;
      const archive = (s.archiveprefix ?? s.eprinttype ?? '').trim().toLowerCase();
      return item(
        e.key,
        s.title,
        {
          eprint: [
            ['eprint', archive === '' || archive === 'arxiv' ? s.eprint : undefined],
            ['arxivid', s.arxivid],
            ['arxiv', s.arxiv],
          ],
          urls: [
            ['url', s.url],
            ['howpublished', s.howpublished],
            ['note', s.note],
            ['eprint', s.eprint],
          ],
          labels: [
            ['journal', s.journal ?? s.journaltitle],
            ['note', s.note],
            ['number', s.number],
            ['howpublished', s.howpublished],
            ['booktitle', s.booktitle],
          ],
          doi: s.doi,
        },
        keywords,
      );
    });
  return { format: 'bibtex', items, errors };
}

/** The fields matching reads; the rest stay in the worker. */
const FIELDS = [
  'title',
  'eprint',
  'archiveprefix',
  'eprinttype',
  'arxivid',
  'arxiv',
  'url',
  'howpublished',
  'note',
  'journal',
  'journaltitle',
  'number',
  'booktitle',
  'doi',
  // Zotero's tags and library export's: read back as tags (a list comes back comma-joined).
  'keywords',
];

interface WorkerLibrary {
  entries: { key: string; count: number; fields: Record<string, string | undefined> }[];
  errors: { error: string; input?: string }[];
}

/**
 * The worker's code (CommonJS, run with `eval`): imports the parser by URL, parses, and
 * sends back the fields matching reads, as text. A worker's code is not compiled by
 * bin/load-bundle.js's vm.Script, so its own import() works (written apart from its
 * parenthesis, which scripts/build.mjs looks for in the bundle's vm-compiled code).
 */
const WORKER = `
const { parentPort, workerData: w } = require('node:worker_threads');
import /* in the worker */ (w.url).then((bib) => {
  const lib = bib.parse(w.body, { sentenceCase: false, english: false, caseProtection: false, unsupported: 'ignore' });
  const text = (v) => (v === undefined || v === null ? undefined : Array.isArray(v) ? v.join(', ') : String(v));
  parentPort.postMessage({
    entries: lib.entries.map((e) => ({
      key: String(e.key),
      count: Object.keys(e.fields).length,
      fields: Object.fromEntries(w.fields.map((f) => [f, text(e.fields[f])])),
    })),
    errors: lib.errors.map((e) => ({ error: String(e.error), input: text(e.input) })),
  });
}, (err) => parentPort.postMessage({ failed: String((err && err.stack) || err) }));
`;

/**
 * Runs the BibTeX parser in a worker thread, which is terminated at the deadline, on Ctrl-C
 * or SIGTERM (an InterruptedError), or when its heap passes WORKER_HEAP_MB: the parser's
 * time grows with what a file makes it expand, and no event loop turn comes while it runs.
 */
async function runBibtexParser(body: string, where: string, opts: ParseOptions): Promise<WorkerLibrary> {
  checkAborted(opts.signal);
  const { Worker } = process.getBuiltinModule('node:worker_threads') as typeof import('node:worker_threads');
  const deadlineMs = opts.deadlineMs ?? bibtexDeadlineMs(Buffer.byteLength(body));
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: { url: packageEntryUrl(BIBTEX_PARSER), body, fields: FIELDS },
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    stdout: true,
    stderr: true,
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await new Promise<WorkerLibrary>((resolve, reject) => {
      worker.on('message', (m: WorkerLibrary | { failed: string }) =>
        'failed' in m ? reject(new ParseError(`cannot parse ${where}: ${m.failed.split('\n')[0]}`)) : resolve(m),
      );
      worker.on('error', (err: Error & { code?: string }) =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ParseError(`${where}: parsing it needed more than ${WORKER_HEAP_MB} MB; not imported`, {
                hint: 'split the export into smaller files',
              })
            : new ParseError(`cannot parse ${where}: ${err.message}`, { cause: err }),
        ),
      );
      worker.on('exit', (code) => reject(new ParseError(`cannot parse ${where}: the parser stopped (exit ${code})`)));
      timer = setTimeout(
        () =>
          reject(
            new ParseError(`${where}: parsing it took longer than ${Math.round(deadlineMs / 1000)} s; not imported`, {
              hint: 'split the export into smaller files',
            }),
          ),
        deadlineMs,
      );
      onAbort = () =>
        reject(opts.signal?.reason instanceof InterruptedError ? opts.signal.reason : new InterruptedError());
      opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
  } finally {
    clearTimeout(timer);
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}

// ---- CSL-JSON -------------------------------------------------------------------------------

const str = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

function parseCslJson(body: string, where: string): ParsedLibrary {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (err) {
    throw new ParseError(`${where} is not valid JSON: ${(err as Error).message}`, {
      hint: 'CSL-JSON is an array of items, as Zotero exports it (File > Export Library > CSL JSON)',
      cause: err,
    });
  }
  // A bare array (Zotero, Better BibTeX), or {items: [...]} as some tools wrap it.
  const wrapped = (data as { items?: unknown } | null)?.items;
  const list = Array.isArray(data) ? data : Array.isArray(wrapped) ? wrapped : null;
  if (!list) {
    throw new ParseError(`${where} is JSON but not CSL-JSON: expected an array of items`, {
      hint: 'export from Zotero as CSL JSON, or from Better BibTeX as Better CSL JSON',
    });
  }
  const items: LibraryItem[] = [];
  const errors: string[] = [];
  list.forEach((raw, i) => {
    const o = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : null;
    const key = str(o?.['citation-key']) ?? str(o?.id);
    if (!o || key === undefined || typeof o.type !== 'string') {
      const shown = quoteArg(JSON.stringify(raw) ?? String(raw), 60);
      errors.push(`item ${i + 1}: not a CSL item (an object with "id" and "type"): ${shown}`);
      return;
    }
    const title = str(o.title);
    if (o.title !== undefined && title === undefined) {
      errors.push(`item ${i + 1} (${quoteArg(key)}): "title" is not text`);
      return;
    }
    items.push(
      item(
        key,
        title,
        {
          eprint: [['arxiv', str(o.arxiv) ?? str(o.arXiv)]],
          urls: [
            ['URL', str(o.URL)],
            ['note', str(o.note)],
          ],
          labels: [
            ['number', str(o.number)],
            ['note', str(o.note)],
            ['container-title', str(o['container-title'])],
            ['archive_location', str(o.archive_location)],
          ],
          doi: str(o.DOI),
        },
        o.keyword,
      ),
    );
  });
  return { format: 'csl-json', items, errors };
}
