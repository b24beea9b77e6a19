#!/usr/bin/env node
// Full text (issue 25): extraction speed and memory on the real arXiv PDFs
// (../shared/arxiv-samples/pdf, read at run time), the text's quality against pdftotext
// (poppler-utils: word overlap per paper, words left split by a hyphen, whether the
// abstract is one passage), bytes of text and of FTS index per paper, and search
// --full-text latency (p50/p95) over 1,000 and 10,000 papers generated from the samples'
// own paragraphs (seeded). Prints a table; with --json, the figures as JSON on stdout
// (bench/run.mjs takes them into its table and results.json).
//
//   node bench/fulltext.mjs [--quick] [--json] [--seed N] [--scales 1000,10000]
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { core, ROOT } from './lib/modules.mjs';
import { fmtBytes, fmtMs, median, now, percentile } from './lib/measure.mjs';
import { Rng } from './lib/rng.mjs';
import { samplesDir } from './lib/samples.mjs';
import { contiguous, hyphenSplits, oracleAbstract, pdftotext, wordOverlap } from '../kit/text-quality.mjs';

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    seed: { type: 'string', default: '25' },
    scales: { type: 'string' },
  },
});
const log = (m) => process.stderr.write(`[fulltext] ${m}\n`);
const PDF_DIR = join(samplesDir(), '..', 'arxiv-samples', 'pdf');
const { extractPdf } = await core('fulltext/extract.js');
const { openDb } = await core('db/open.js');
const { saveFullText, searchFullText } = await core('core/fulltext.js');
// The worker as shipped (dist/, built by `npm run build`), else the source one.
const built = join(ROOT, 'dist', 'pdf-worker.mjs');
const workerPath = existsSync(built) ? built : join(ROOT, 'src', 'fulltext', 'pdf-worker.mjs');

const files = readdirSync(PDF_DIR)
  .filter((f) => f.endsWith('.pdf'))
  .sort();
// --quick: the four smallest (still one- and two-column), so CI runs it in seconds.
const chosen = opt.quick
  ? [...files].sort((a, b) => statSync(join(PDF_DIR, a)).size - statSync(join(PDF_DIR, b)).size).slice(0, 4)
  : files;
const scales = (opt.scales ?? (opt.quick ? '1000' : '1000,10000')).split(',').map(Number);

// ---- extraction: speed, memory, quality ------------------------------------------------------
const papers = [];
let peak = 0;
const base = process.memoryUsage.rss();
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 10);
for (const f of chosen) {
  const bytes = readFileSync(join(PDF_DIR, f));
  const before = process.memoryUsage.rss();
  peak = before;
  const t0 = now();
  const r = await extractPdf(bytes, { workerPath, deadlineMs: 300_000 });
  const ms = now() - t0;
  const text = r.pages.join('\n');
  const oracle = pdftotext(join(PDF_DIR, f));
  const abstract = oracle ? oracleAbstract(oracle) : null;
  papers.push({
    file: f,
    id: f.replace(/v\d+\.pdf$/, ''),
    pages: r.pages,
    ms,
    pagesPerSec: r.pages.length / (ms / 1000),
    peakRssGrowth: Math.max(0, peak - before),
    chars: text.length,
    overlap: oracle ? wordOverlap(text, oracle) : null,
    splits: hyphenSplits(text),
    // The same count on pdftotext's text (which joins hyphenated words itself), lines as spaces.
    oracleSplits: oracle ? hyphenSplits(oracle.replace(/\s+/g, ' ')) : null,
    abstract: abstract ? contiguous(text, abstract) : null,
  });
  log(`${f}: ${r.pages.length} pages in ${fmtMs(ms)}`);
}
clearInterval(sampler);
const totalPages = papers.reduce((n, p) => n + p.pages.length, 0);
const totalMs = papers.reduce((n, p) => n + p.ms, 0);

// ---- storage: bytes of text and index per paper ----------------------------------------------
const dir = mkdtempSync(join(os.tmpdir(), 'papers-bench-fulltext-'));
function ftsBytes(db) {
  return db.prepare(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'fulltext_fts%'`).pluck().get();
}
function textBytes(db) {
  return db
    .prepare('SELECT coalesce(sum(length(CAST(text AS BLOB)) + length(CAST(tail AS BLOB))), 0) FROM fulltext_pages')
    .pluck()
    .get();
}
const save = (db, id, pages) =>
  saveFullText(db, {
    id,
    version: 1,
    pages,
    pdfBytes: 0,
    pdfSha256: '',
    pdfFile: null,
    ms: 0,
    fetchedAt: '2026-01-01T00:00:00.000Z',
  });
const realDb = openDb(join(dir, 'real.db'));
for (const p of papers) save(realDb, p.id, p.pages);
const storage = {
  papers: papers.length,
  textPerPaper: textBytes(realDb) / papers.length,
  indexPerPaper: ftsBytes(realDb) / papers.length,
};
realDb.close();

// ---- search latency over generated archives ----------------------------------------------------
// Paragraphs of every sample, the vocabulary and phrasing of real papers; a generated paper
// takes a sample's page count (at most 16) and fills each page with paragraphs drawn at random.
const pool = papers.flatMap((p) => p.pages.flatMap((t) => t.split('\n'))).filter((s) => s.length > 40);
const search = [];
for (const n of scales) {
  const rng = new Rng(Number(opt.seed), `fulltext-${n}`);
  const path = join(dir, `gen-${n}.db`);
  const db = openDb(path);
  const t0 = now();
  const insert = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const like = papers[i % papers.length];
      const pages = [];
      for (let k = 0; k < Math.min(16, like.pages.length); k++) {
        const target = like.pages[k].length;
        let page = '';
        while (page.length < target) page += `${rng.pick(pool)}\n`;
        pages.push(page.trimEnd());
      }
      save(db, `gen.${String(i).padStart(6, '0')}`, pages);
    }
  });
  for (let i = 0; i < n; i += 500) insert(i, Math.min(n, i + 500));
  const buildMs = now() - t0;
  // Queries: a rare phrase (three words from a paragraph), a common word, a sentence.
  const qr = new Rng(Number(opt.seed), `fulltext-queries-${n}`);
  const queries = [];
  for (let i = 0; queries.length < 30; ) {
    const words = qr
      .pick(pool)
      .split(/\s+/)
      .filter((w) => /^[\p{L}]{3,}$/u.test(w));
    if (words.length < 8) continue;
    i++;
    const at = qr.int(0, words.length - 8);
    queries.push(
      i % 3 === 0 ? words.slice(at, at + 3).join(' ') : i % 3 === 1 ? words[at] : words.slice(at, at + 8).join(' '),
    );
  }
  const times = [];
  const reps = opt.quick ? 2 : 5;
  for (let r = 0; r < reps; r++) {
    for (const q of queries) {
      const s = now();
      for (const _ of searchFullText(db, { query: q, limit: 20 })) {
        // each hit is read whole (paper, passage), as the command prints it
      }
      times.push(now() - s);
    }
  }
  search.push({
    papers: n,
    pages: db.prepare('SELECT count(*) FROM fulltext_pages').pluck().get(),
    bytes: statSync(path).size,
    buildMs,
    queries: queries.length,
    reps,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
  });
  log(`${n} papers: search p50 ${fmtMs(percentile(times, 50))}, p95 ${fmtMs(percentile(times, 95))}`);
  db.close();
}
rmSync(dir, { recursive: true, force: true });

const result = {
  quick: opt.quick,
  extraction: {
    papers: papers.length,
    pages: totalPages,
    ms: totalMs,
    pagesPerSec: totalPages / (totalMs / 1000),
    medianPagesPerSec: median(papers.map((p) => p.pagesPerSec)),
    peakRssGrowth: Math.max(...papers.map((p) => p.peakRssGrowth)),
    baseRss: base,
  },
  quality: papers.map((p) => ({
    file: p.file,
    pages: p.pages.length,
    ms: Math.round(p.ms),
    overlap: p.overlap,
    splits: p.splits,
    oracleSplits: p.oracleSplits,
    abstract: p.abstract,
  })),
  storage,
  search,
};
if (opt.json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  const pct = (v) => (v === null ? 'n/a' : `${(100 * v).toFixed(1)}%`);
  const x = result.extraction;
  const quality = (q) =>
    [
      `  ${q.file.padEnd(18)} ${String(q.pages).padStart(3)} pages ${pct(q.overlap).padStart(6)}`,
      `${String(q.splits).padStart(3)} [${q.oracleSplits}]`,
      q.abstract === null ? 'no abstract found by pdftotext' : q.abstract ? 'contiguous' : 'NOT contiguous',
    ].join(' ');
  const out = [
    `extraction: ${x.pages} pages of ${x.papers} papers in ${fmtMs(x.ms)}: ${x.pagesPerSec.toFixed(1)} pages/s;` +
      ` peak RSS growth ${fmtBytes(x.peakRssGrowth)}`,
    'quality against pdftotext: word overlap, words left split by a hyphen [in pdftotext], abstract one passage',
    ...result.quality.map(quality),
    `storage per paper: ${fmtBytes(storage.textPerPaper)} of text, ${fmtBytes(storage.indexPerPaper)} of FTS index`,
    ...search.map(
      (s) =>
        `search --full-text over ${s.papers} papers (${s.pages} pages, ${fmtBytes(s.bytes)}): ` +
        `p50 ${fmtMs(s.p50)}, p95 ${fmtMs(s.p95)} (${s.queries} queries x ${s.reps})`,
    ),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
