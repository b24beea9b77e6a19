// Full text (issue 25): `papers fetch` against a local stand-in for arxiv.org serving the
// real PDFs of ../shared/arxiv-samples/pdf (read at run time), then `read`, `search
// --full-text`, `grep --full-text`, watches and status; hostile PDFs and bodies; the
// politeness of the requests. The text is checked against pdftotext (poppler-utils), an
// independent extractor the tests use as an oracle and the product never needs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore: a plain ESM helper without type declarations
import { contiguous, oracleAbstract, pdftotext, wordOverlap, words } from '../kit/text-quality.mjs';
import { openDb } from '../src/db/open.js';
import { extractPdf } from '../src/fulltext/extract.js';
import { isHeading, layoutDocument, type TextItem } from '../src/fulltext/layout.js';
import { stripAnsi } from './helpers/fixtures.js';
import { makeRecord, saveHfDay } from './helpers/paper.js';
import { HOSTILE_DIR, pdfWithStream, realPdfs, startPdfServer, zipBombPdf } from './helpers/pdf-server.js';
import { FAST_HTTP, runCli, tempHome } from './helpers/run-cli.js';
import { findProgram, isCi } from './helpers/system-tools.js';

const DELAY = 150;
const noOracle =
  !isCi() && !findProgram('pdftotext') ? 'pdftotext is not installed: apt-get install poppler-utils' : '';

describe('layout', () => {
  const item = (s: string, x: number, y: number, o: Partial<TextItem> = {}): TextItem => ({
    s,
    x,
    y,
    w: s.length * 5,
    size: 10,
    ...o,
  });
  /** A two-column page: lines of `n` words down each column, a stamp, a running head, a page number. */
  function page(n: number, head = 'Running Head of the Paper'): { width: number; height: number; items: TextItem[] } {
    const items: TextItem[] = [
      item('arXiv:2401.00001v2 [cs.CL] 3 Jan 2024', 20, 300, { rot: true }),
      item(head, 200, 760),
      item(String(n), 300, 30),
    ];
    for (let i = 0; i < 20; i++) items.push(item(`left line ${i} of page ${n} goes on`, 60, 700 - 12 * i));
    for (let i = 0; i < 20; i++) items.push(item(`right line ${i} of page ${n} goes on`, 330, 700 - 12 * i));
    return { width: 612, height: 792, items };
  }

  it('reads two columns left then right, drops the stamp, running heads and page numbers', () => {
    const [p1, p2] = layoutDocument([page(1), page(2), page(3)]);
    expect(p1).not.toMatch(/arXiv:2401/);
    expect(p1).not.toMatch(/Running Head/);
    expect(p2!.split('\n')).not.toContain('2');
    expect(p2).toMatch(/^left line 0 of page 2/);
    const text = p1!.replace(/\n/g, ' ');
    expect(text.indexOf('left line 19')).toBeLessThan(text.indexOf('right line 0'));
    expect(text.indexOf('left line 0')).toBeLessThan(text.indexOf('left line 1 '));
  });

  it('joins a word hyphenated at a line end, keeps compounds, normalises ligatures', () => {
    const items = [
      item('The method im-', 60, 700, { w: 200 }),
      item('proves the ﬁnal state-of-the-', 60, 688, { w: 200 }),
      item('art results of FLAN-', 60, 676, { w: 200 }),
      item('based models.', 60, 664, { w: 60 }),
    ];
    const [text] = layoutDocument([{ width: 612, height: 792, items }]);
    expect(text).toBe('The method improves the final state-of-the-art results of FLAN-based models.');
  });

  it('knows section headings', () => {
    expect(['1 Introduction', '3.2 Results', 'Abstract', 'A Appendix', 'IV. METHODS'].map(isHeading)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(isHeading('We show that 3 models improve.')).toBe(false);
  });
});

describe('extraction in a worker', () => {
  const sample = realPdfs().find((p) => p.id === '2212.08410')!;

  it('gives up at the deadline, with one error', async () => {
    const bytes = readFileSync(sample.file);
    await expect(extractPdf(bytes, { deadlineMs: 1 })).rejects.toMatchObject({ code: 'deadline' });
  });

  it('refuses a stream that inflates past the ceiling (a zip bomb) before pdf.js inflates it', async () => {
    const bomb = await zipBombPdf(40);
    await expect(extractPdf(bomb, { maxInflateBytes: 16 * 2 ** 20 })).rejects.toMatchObject({
      code: 'zip-bomb',
      message: expect.stringMatching(/inflates past 16 MiB/),
    });
  });

  it('a PDF with no text is an error, not an empty paper', async () => {
    const blank = pdfWithStream(Buffer.from('0 0 m 10 10 l S'), '');
    await expect(extractPdf(blank)).rejects.toMatchObject({ code: 'no-text' });
  });
});

describe.skipIf(!!noOracle)('papers fetch, read, search --full-text, grep --full-text (real PDFs)', () => {
  // Two-column (ACL, ACM, REVTeX, AAAI), one-column (BMVC with running heads, DeepSeek).
  const chosen = ['2212.08410', '2304.02623', '0908.0054', '2301.01531', '2501.12948'];
  const samples = realPdfs().filter((p) => chosen.includes(p.id));
  const home = tempHome();
  let server: Awaited<ReturnType<typeof startPdfServer>>;
  let env: Record<string, string>;
  const cli = (argv: string[], o: { tty?: boolean } = {}) => runCli(argv, { home, env, http: FAST_HTTP, ...o });

  beforeAll(async () => {
    const routes = Object.fromEntries(samples.map((s) => [`/pdf/${s.id}v${s.version}`, { file: s.file }]));
    server = await startPdfServer(routes);
    env = { ARXIV_ENDPOINT: server.url, PAPERS_ARXIV_DELAY_MS: String(DELAY) };
    // The archive knows these papers and their versions (so fetch asks for /pdf/IDvN).
    const db = openDb(join(home, 'papers.db'));
    saveHfDay(
      db,
      '2025-01-10',
      samples.map((s) => makeRecord(s.id, { title: `Title of ${s.id}`, authors: ['A. Author', 'B. Author'] })),
    );
    db.prepare('UPDATE papers SET version = ? WHERE id = ?').run(2, '0908.0054');
    for (const s of samples) db.prepare('UPDATE papers SET version = ? WHERE id = ?').run(s.version, s.id);
    db.close();
  });
  afterAll(() => server?.close());

  it('fetches each PDF once, politely: one request at a time, the delay apart, papers User-Agent', async () => {
    const r = await cli(['fetch', '--since', '2025-01-01']);
    expect(r.stderr).toMatch(/fetched 5 papers/);
    expect(r.exitCode).toBe(0);
    expect(server.requests.map((q) => q.path).sort()).toEqual(samples.map((s) => `/pdf/${s.id}v${s.version}`).sort());
    expect(server.maxInFlight).toBe(1);
    for (let i = 1; i < server.requests.length; i++) {
      expect(server.requests[i]!.start - server.requests[i - 1]!.end).toBeGreaterThanOrEqual(DELAY);
    }
    for (const q of server.requests) {
      expect(q.userAgent).toMatch(/^papers\/\S+ \(\+https:/);
      expect(q.authorization).toBeUndefined();
    }
    // Resumable: a second run skips them all, without a request.
    const again = await cli(['fetch', ...chosen]);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toMatch(/fetched 0 papers, 5 already fetched/);
    expect(server.requests).toHaveLength(5);
  });

  it('read gives the words pdftotext finds (>= 90%) and each abstract as one passage', async () => {
    for (const s of samples) {
      const r = await cli(['read', s.id]);
      expect(r.exitCode).toBe(0);
      const oracle = pdftotext(s.file) as string;
      const overlap = wordOverlap(r.stdout, oracle);
      expect(overlap, `${s.id}: word overlap with pdftotext`).toBeGreaterThanOrEqual(0.9);
      const abstract = oracleAbstract(oracle);
      if (abstract) expect(contiguous(r.stdout, abstract), `${s.id}: abstract contiguous`).toBe(true);
      expect(r.stdout).not.toMatch(new RegExp(`arXiv:${s.id.replace('.', '\\.')}v\\d+ *\\[`));
    }
  });

  it('search --full-text finds a paper from a sentence of its body, with its page', async () => {
    // A sentence from the middle of page 3 as pdftotext prints it (an independent source).
    const s = samples.find((x) => x.id === '2212.08410')!;
    const page3 = (pdftotext(s.file) as string).split('\f')[2]!;
    const sentence = page3
      .replace(/-\n/g, '')
      .replace(/\s+/g, ' ')
      .split(/(?<=\.) (?=[A-Z])/)
      .filter((x) => words(x).length >= 10)[2]!;
    const piped = await cli(['search', '--full-text', sentence]);
    expect(piped.exitCode).toBe(0);
    const [first] = piped.stdout.trim().split('\n');
    expect(first!.split('\t').slice(0, 2)).toEqual(['2212.08410', '3']);
    const json = JSON.parse((await cli(['search', '--full-text', sentence, '--json'])).stdout);
    expect(json[0]).toMatchObject({ id: '2212.08410', page: 3, title: 'Title of 2212.08410' });
    const tty = await cli(['search', '--full-text', 'knowledge distillation', '-n', '1'], { tty: true });
    expect(stripAnsi(tty.stdout)).toMatch(/1\. Title of 2212\.08410 {2}2212\.08410\n {3}page \d+\n {3}│ /);
    // List filters narrow: a category no paper has selects none.
    const none = await cli(['search', '--full-text', sentence, '--cat', 'math.AG']);
    expect(none.stdout).toBe('');
  });

  it('grep --full-text prints id:page:line:text, and -l, -c, --json', async () => {
    const r = await cli(['grep', '--full-text', '-w', 'GSM8K']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l).toMatch(/^\d{4}\.\d{4,5}:\d+:\d+:.*GSM8K/);
    // The line number is the paragraph's line as `read --page` prints it piped.
    const [id, page, line] = lines[0]!.split(':');
    const pageText = (await cli(['read', id!, '--page', page!])).stdout.split('\n');
    expect(pageText[Number(line) - 1]).toMatch(/GSM8K/);
    expect((await cli(['grep', '--full-text', '-l', 'GSM8K'])).stdout).toMatch(/^2212\.08410$/m);
    expect((await cli(['grep', '--full-text', '-c', 'GSM8K'])).stdout).toMatch(/^2212\.08410:\d+$/m);
    const json = JSON.parse((await cli(['grep', '--full-text', 'GSM8K', '--json'])).stdout);
    expect(json[0].matches[0]).toMatchObject({ page: expect.any(Number), line: expect.any(Number) });
  });

  it('read: paged text with title, authors and headings marked on a terminal; --page; a paper not fetched', async () => {
    const tty = await cli(['read', '2212.08410', '--page', '2'], { tty: true });
    const plain = stripAnsi(tty.stdout);
    expect(plain).toMatch(/^Title of 2212\.08410\nA\. Author, B\. Author\n/);
    expect(plain).toMatch(/── page 2 /);
    expect(plain).toMatch(/\n3 Method\n/);
    const forced = await runCli(['read', '2212.08410', '--page', '2', '--color'], { home, env, tty: true });
    expect(forced.stdout).toMatch(/\u001b\[1m\u001b\[4m3 Method/);
    expect((await cli(['read', '2212.08410', '--page', '9'])).exitCode).toBe(2);
    // Long on a terminal: through the pager (here one that writes to a file).
    const file = join(tempHome(), 'paged.txt');
    const paged = await runCli(['read', '2212.08410'], {
      home,
      env: { ...env, LINES: '10', PAGER: `cat > '${file}'` },
      tty: true,
    });
    expect(paged.stdout).toBe('');
    expect(stripAnsi(readFileSync(file, 'utf8'))).toMatch(/^Title of 2212\.08410\n[\s\S]*\n1 Introduction\n/);
    const missing = await cli(['read', '2401.00001']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/hint: papers fetch 2401\.00001/);
  });

  it('watch add --full-text matches the body; status counts full text', async () => {
    const add = await cli(['watch', 'add', 'gsm', '--query', 'GSM8K', '--full-text']);
    expect(add.exitCode).toBe(0);
    expect(add.stderr).toMatch(/--query GSM8K --full-text \(\d+ match/);
    const show = await cli(['watch', 'show', 'gsm']);
    expect(show.stdout).toMatch(/2212\.08410/);
    // Not in any title or abstract: without --full-text the watch finds nothing.
    await cli(['watch', 'add', 'gsm-meta', '--query', 'GSM8K']);
    expect((await cli(['watch', 'show', 'gsm-meta'])).stdout).toBe('');
    expect((await cli(['watch', 'add', 'bad', '--full-text'])).exitCode).toBe(2);
    const status = JSON.parse((await cli(['status', '--json'])).stdout);
    expect(status.fullText).toMatchObject({ papers: 5, pdfs: 5, failed: 0 });
    expect(status.fullText.textBytes).toBeGreaterThan(50_000);
    expect((await cli(['status'])).stdout).toMatch(
      /full text\t5 papers, \d+ pages, [\d.]+ KiB of text \(\+[\d.]+ KiB of index\); 5 PDFs kept/,
    );
  });
});

describe('hostile PDFs and bodies', () => {
  it('each ends in one error for its paper, the others are kept; --verbose names the page', async () => {
    const hostile = readdirSorted(HOSTILE_DIR);
    const good = realPdfs().find((p) => p.id === '2304.02623')!;
    const real = readFileSync(good.file);
    const routes: Record<string, Parameters<typeof startPdfServer>[0][string]> = {
      [`/pdf/${good.id}`]: { file: good.file },
      '/pdf/2401.10001': { body: await zipBombPdf(300) },
      '/pdf/2401.10002': { endless: true },
      '/pdf/2401.10003': { body: Buffer.from('<!DOCTYPE html><html><title>Error</title></html>'), type: 'text/html' },
      '/pdf/2401.10004': { body: real.subarray(0, real.length >> 1) },
    };
    hostile.forEach((f, i) => {
      routes[`/pdf/2402.${String(10001 + i)}`] = { file: join(HOSTILE_DIR, f) };
    });
    const server = await startPdfServer(routes);
    try {
      const ids = Object.keys(routes).map((p) => p.slice(5));
      const home = tempHome();
      const env = { ARXIV_ENDPOINT: server.url, PAPERS_ARXIV_DELAY_MS: '0' };
      const r = await runCli(['fetch', ...ids, '--max-size', '4M', '--timeout', '20', '--verbose'], {
        home,
        env,
        http: FAST_HTTP,
      });
      expect(r.exitCode).toBe(1);
      const failed = r.stderr.split('\n').filter((l) => l.startsWith('failed '));
      // One error per hostile paper; the good one fetched.
      expect(failed.map((l) => l.split(':')[0]!.slice(7)).sort()).toEqual(ids.filter((id) => id !== good.id).sort());
      expect(r.stderr).toMatch(new RegExp(`\\] ${good.id}: 4 pages`));
      const line = (id: string) => failed.find((l) => l.startsWith(`failed ${id}:`))!;
      expect(line('2401.10001')).toMatch(/zip bomb/);
      expect(line('2401.10002')).toMatch(/over the 4 MiB limit/);
      expect(line('2401.10003')).toMatch(/an HTML page, not a PDF/);
      expect(line('2401.10004')).toMatch(/cut short/);
      const byName = (name: string) => line(`2402.${String(10001 + hostile.indexOf(name))}`);
      expect(byName('issue6010_1.pdf')).toMatch(/encrypted/);
      expect(byName('poppler-67295-0.pdf')).toMatch(/declares 9999999999 pages/);
      expect(byName('Pages-tree-refs.pdf')).toMatch(/page .*(circular|loop).*\(page 2\)$/i);
      expect(byName('bug1250079.pdf')).toMatch(/cut short/);
      // Nothing else lost: the good paper reads; the failures are recorded for status.
      expect((await runCli(['read', good.id], { home, env })).exitCode).toBe(0);
      const status = JSON.parse((await runCli(['status', '--json'], { home, env })).stdout);
      expect(status.fullText).toMatchObject({ papers: 1, failed: ids.length - 1 });
      // Without --verbose, no page.
      const quiet = await runCli(['fetch', `2402.${String(10001 + hostile.indexOf('Pages-tree-refs.pdf'))}`], {
        home,
        env,
        http: FAST_HTTP,
      });
      expect(quiet.stderr).not.toMatch(/\(page 2\)/);
      expect(quiet.exitCode).toBe(1);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('a 503 with Retry-After is waited out (as long as the server asks, never less than the delay), then the PDF', async () => {
    const good = realPdfs().find((p) => p.id === '2304.02623')!;
    const server = await startPdfServer({
      [`/pdf/${good.id}`]: {
        sequence: [{ status: 503, headers: { 'retry-after': '1' }, body: 'busy' }, { file: good.file }],
      },
    });
    try {
      const env = { ARXIV_ENDPOINT: server.url, PAPERS_ARXIV_DELAY_MS: '50' };
      const r = await runCli(['fetch', good.id], { home: tempHome(), env, http: FAST_HTTP });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(server.requests).toHaveLength(2);
      expect(server.requests[1]!.start - server.requests[0]!.end).toBeGreaterThanOrEqual(1000);
    } finally {
      await server.close();
    }
  });

  it('refuses to start without papers to fetch, and a bad id before any request', async () => {
    const r = await runCli(['fetch'], { home: tempHome() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/name the papers to fetch/);
    expect((await runCli(['fetch', '2401.99999x'], { home: tempHome() })).exitCode).toBe(2);
    expect((await runCli(['fetch', '2401.00001', '--max-size', 'lots'], { home: tempHome() })).exitCode).toBe(2);
  });
});

function readdirSorted(dir: string): string[] {
  return readdirSync(dir).sort();
}
