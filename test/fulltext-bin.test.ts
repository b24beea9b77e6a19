// Full text through the built CLI as users run it: `bin/papers.js` in a child process (the
// worker bundle dist/pdf-worker.mjs included), a local stand-in for arxiv.org serving a
// real PDF and a hostile one, `read` on a real pseudo-terminal (util-linux `script`)
// through the pager. `npm test` builds first, so dist/ is current.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-ignore: a plain ESM helper without type declarations
import { pdftotext, wordOverlap } from '../kit/text-quality.mjs';
import { ROOT } from './helpers/fixtures.js';
import { HOSTILE_DIR, realPdfs, startPdfServer } from './helpers/pdf-server.js';
import { tempHome } from './helpers/run-cli.js';
import { findProgram, isCi } from './helpers/system-tools.js';

const run = promisify(execFile);
const BIN = join(ROOT, 'bin', 'papers.js');
const sample = realPdfs().find((p) => p.id === '2212.08410')!;
const home = tempHome();
let server: Awaited<ReturnType<typeof startPdfServer>>;
let env: Record<string, string>;

async function papers(args: string[], extra: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...env, ...extra },
      timeout: 60_000,
      maxBuffer: 16 * 2 ** 20,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

beforeAll(async () => {
  server = await startPdfServer({
    '/pdf/2212.08410': { file: sample.file },
    '/pdf/2402.10001': { file: join(HOSTILE_DIR, 'issue6010_1.pdf') },
  });
  env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    PAPERS_HOME: home,
    ARXIV_ENDPOINT: server.url,
    PAPERS_ARXIV_DELAY_MS: '100',
    NO_COLOR: '',
  };
});
afterAll(() => server?.close());

describe('papers fetch / read / search --full-text, built', () => {
  it('fetches through the bundle and its worker; one error for the hostile PDF, exit 1', async () => {
    const r = await papers(['fetch', '2212.08410', '2402.10001']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\[1\/2\] 2212\.08410: 7 pages, [\d.]+ KiB of text$/m);
    expect(r.stderr).toMatch(/^failed 2402\.10001: the PDF is encrypted with a password$/m);
    expect(r.stderr).toMatch(/^fetched 1 paper, 1 failed$/m);
    expect(existsSync(join(home, 'pdf', '2212.08410.pdf'))).toBe(true);
    expect(server.maxInFlight).toBe(1);
  });

  it.skipIf(!isCi() && !findProgram('pdftotext'))("read piped: plain text whose words are pdftotext's", async () => {
    const r = await papers(['read', '2212.08410']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/\u001b/);
    expect(wordOverlap(r.stdout, pdftotext(sample.file))).toBeGreaterThanOrEqual(0.9);
  });

  it('search --full-text and grep --full-text, piped', async () => {
    const s = await papers(['search', '--full-text', 'external calculator moves through the generated output']);
    expect(s.code).toBe(0);
    expect(s.stdout.split('\n')[0]!.split('\t').slice(0, 2)).toEqual(['2212.08410', '2']);
    const g = await papers(['grep', '--full-text', '-F', 'external calculator moves']);
    expect(g.stdout).toMatch(/^2212\.08410:2:\d+:.*external calculator moves/m);
  });

  it.skipIf(!findProgram('script'))(
    'read on a terminal: wrapped, headings marked (a real pseudo-terminal)',
    async () => {
      const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} read 2212.08410 --page 1`;
      const { stdout } = await run('script', ['-qec', cmd, '/dev/null'], {
        env: { ...env, PAGER: 'cat', COLUMNS: '100', TERM: 'xterm' },
        timeout: 60_000,
      });
      expect(stdout).toMatch(/\u001b\[1m\u001b\[4m1 Introduction/);
      expect(stdout).toMatch(/── page 1 /);
    },
  );
});
