// The golden runner: one case (argv, env, terminal or pipe) against a fixed archive, fixed
// clock and local servers, run in-process or through the built CLI, and the transcript both
// are compared on. Generic on purpose: a new command, format or source adds a line to
// test/golden/cases.ts, nothing here.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startArxivServer } from './arxiv.js';
import { PDF_DIR } from './pdf-server.js';
import { runBuilt } from './built-cli.js';
import { FIXTURES, ROOT, fixtureDays, startHfServer } from './fixtures.js';
import { runCli, tempHome } from './run-cli.js';

export type Mode = 'tty' | 'piped';
export const MODES: Mode[] = ['tty', 'piped'];

export interface GoldenCase {
  /** test/golden/NAME.MODE.txt */
  name: string;
  /** `$FIXTURES` stands for the repository's fixtures/ folder. */
  argv: string[];
  /** Beyond the runner's own environment (see caseEnv). */
  env?: Record<string, string>;
  /** Commands run in-process on the case's copy of the archive first (each must exit 0). */
  setup?: string[][];
}

/** The clock of every case, and the terminal: 80 columns, 40 rows. */
export const GOLDEN_NOW = '2025-06-26T09:00:00Z';
export const TERMINAL = { rows: 40, columns: 80, split: true };
const DAYS = ['2024-06-13', '2024-06-15', '2024-06-19', '2025-03-17', '2025-05-22', '2025-06-25', '2025-10-14'];
const ARXIV_API = readFileSync(join(ROOT, 'fixtures', 'arxiv', 'api-id-2411.17700.xml'), 'utf8');
/** A real paper's PDF (../shared/arxiv-samples/pdf, read at run time): 0908.0054v1. */
const PDF = readFileSync(join(PDF_DIR, '0908.0054v1.pdf'));

/** The archive every case starts from (a copy of it each), and the servers its commands reach. */
export interface GoldenWorld {
  base: string;
  hf: string;
  arxiv: string;
  close(): Promise<void>;
}

/** The fixture days imported under a fixed clock, a watch and a star: what every case sees. */
export async function startGoldenWorld(): Promise<GoldenWorld> {
  const base = tempHome();
  const files = DAYS.map((d) => join(FIXTURES, `${d}.json`));
  const r = await runCli(['import', ...files], { home: base, now: '2025-10-15T09:00:00Z' });
  expect(r.exitCode, r.stderr).toBe(0);
  const w = await runCli(['watch', 'add', 'models', '-k', 'model', '-k', 'models', '--any'], {
    home: base,
    now: GOLDEN_NOW,
  });
  expect(w.exitCode, w.stderr).toBe(0);
  // One star with tags: show and library export print them.
  const star = await runCli(['star', '2506.19033', '--tag', 'video', '--tag', '3d'], { home: base, now: GOLDEN_NOW });
  expect(star.exitCode, star.stderr).toBe(0);
  const hf = await startHfServer(fixtureDays());
  // arXiv's query API knows one paper, and arxiv.org/pdf one real PDF (fetch, read);
  // anything else is an empty feed.
  const arxiv = await startArxivServer((req) => {
    if (/^\/pdf\/0908\.0054(v1)?$/.test(req.path)) return { headers: { 'content-type': 'application/pdf' }, body: PDF };
    if (req.path.startsWith('/pdf/')) return { status: 404, body: 'not found' };
    return {
      body: (req.query.id_list ?? '').split(',').includes('2411.17700')
        ? ARXIV_API
        : ARXIV_API.replace(/<entry>[\s\S]*<\/entry>/, ''),
    };
  });
  return {
    base,
    hf: hf.url,
    arxiv: arxiv.url,
    close: async () => {
      await hf.close();
      await arxiv.close();
    },
  };
}

/** The environment of a case, the same for both runners. */
export function caseEnv(c: GoldenCase, world: GoldenWorld, home: string): Record<string, string | undefined> {
  return {
    PAPERS_HOME: home,
    HOME: home,
    PATH: process.env.PATH,
    // What formats dates and numbers, as the test process has them.
    TZ: process.env.TZ,
    LANG: process.env.LANG,
    LC_ALL: process.env.LC_ALL,
    HF_ENDPOINT: world.hf,
    ARXIV_ENDPOINT: world.arxiv,
    PAPERS_ARXIV_DELAY_MS: '0',
    // The pager has tests of its own (test/pager.test.ts, test/system/pty.test.ts).
    PAGER: 'cat',
    // The width of a pipe (a terminal says its own).
    COLUMNS: String(TERMINAL.columns),
    ...c.env,
  };
}

const expand = (argv: string[]) => argv.map((a) => a.split('$FIXTURES').join(join(ROOT, 'fixtures')));

/** A copy of the base archive for one case, with the case's setup run on it. */
export async function caseHome(c: GoldenCase, world: GoldenWorld): Promise<string> {
  const home = tempHome();
  cpSync(world.base, home, { recursive: true });
  for (const argv of c.setup ?? []) {
    const r = await runCli(expand(argv), { home, now: GOLDEN_NOW, env: caseEnv(c, world, home) });
    expect(r.exitCode, `setup ${argv.join(' ')}: ${r.stderr}`).toBe(0);
  }
  return home;
}

export interface GoldenResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export async function runInProcess(c: GoldenCase, mode: Mode, world: GoldenWorld): Promise<GoldenResult> {
  const home = await caseHome(c, world);
  const r = await runCli(expand(c.argv), {
    home,
    tty: mode === 'tty',
    now: GOLDEN_NOW,
    columns: TERMINAL.columns,
    env: caseEnv(c, world, home),
  });
  return normalised(r, home, world, mode);
}

/**
 * The same case through bin/papers.js and dist/ as a process: piped, or in a pseudo-terminal
 * (where stdout and stderr are one stream: the result's stdout holds both, in order).
 */
export async function runThroughBin(c: GoldenCase, mode: Mode, world: GoldenWorld): Promise<GoldenResult> {
  const home = await caseHome(c, world);
  const r = await runBuilt(expand(c.argv), {
    env: caseEnv(c, world, home),
    now: GOLDEN_NOW,
    tty: mode === 'tty' ? TERMINAL : undefined,
  });
  return normalised(r, home, world, mode);
}

/**
 * The real clock's day, where it leaks past the fixed one: the migration that creates the
 * archive stamps the hf source with SQLite's own 'now' (the archive's creation time, which
 * varies by run like its size).
 */
function realClock(s: string): string {
  const days = new Set([new Date(Date.now() - 60_000), new Date()].map((d) => d.toISOString().slice(0, 10)));
  for (const day of days) s = s.replace(new RegExp(`${day}(T[0-9:.]+Z)?`, 'g'), 'REAL-CLOCK');
  return s;
}

/** What varies by run (paths, ports, sizes, the real clock) replaced by names; nothing else may. */
function normalise(s: string, home: string, world: GoldenWorld): string {
  return realClock(s)
    .split(home)
    .join('$HOME')
    .split(join(ROOT, 'fixtures'))
    .join('$FIXTURES')
    .split(world.hf)
    .join('$HF_ENDPOINT')
    .split(world.arxiv)
    .join('$ARXIV_ENDPOINT')
    .replace(/\(\d+(\.\d+)? (B|KiB|MiB)\)/g, '(SIZE)')
    .replace(/schema version \d+ \(current\)/, 'schema version N (current)')
    .replace(/permissions: \S+ can write the archive/, 'permissions: USER can write the archive');
}

/**
 * A spinner (ora, on a terminal's stderr) as the texts it showed, in order: how many frames
 * it drew, and the cursor moves around them, depend on how long the work took. Each frame
 * is one synchronized-output block (CSI ?2026h ... CSI ?2026l).
 */
export function spinnerTexts(s: string): string {
  let last = '';
  return s
    .replace(/\x1b\[\?2026h([\s\S]*?)\x1b\[\?2026l/g, (_m, frame: string) => {
      const text = frame
        .replace(/\x1b\[[0-9]*[GK]/g, '')
        .replace(/^[\u2800-\u28ff] /, '')
        .trim();
      const out = text === last ? '' : `<spinner: ${text}>`;
      last = text;
      return out;
    })
    .replace(/\x1b\[[0-9]*[GK]|\x1b\[\?25[lh]/g, '');
}

function normalised(r: GoldenResult, home: string, world: GoldenWorld, mode: Mode): GoldenResult {
  const err = normalise(r.stderr, home, world);
  return {
    exitCode: r.exitCode,
    stdout: normalise(r.stdout, home, world),
    stderr: mode === 'tty' ? spinnerTexts(err) : err,
  };
}

/** The text of test/golden/NAME.MODE.txt. */
export function transcript(c: GoldenCase, r: GoldenResult): string {
  return `$ papers ${c.argv.join(' ')}\n--- exit ${r.exitCode}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

export const goldenFile = (c: GoldenCase, mode: Mode) => join(ROOT, 'test', 'golden', `${c.name}.${mode}.txt`);

/** A golden file read back: its exit code, stdout and stderr. */
export function readGolden(file: string): GoldenResult {
  const text = readFileSync(file, 'utf8');
  const m = /^\$ papers .*\n--- exit (\S+)\n--- stdout\n/.exec(text);
  const err = text.lastIndexOf('--- stderr\n');
  if (!m || err < m[0].length) throw new Error(`${file} is not a golden transcript`);
  return {
    exitCode: m[1] === 'null' ? null : Number(m[1]),
    stdout: text.slice(m[0].length, err),
    stderr: text.slice(err + '--- stderr\n'.length),
  };
}
