// `papers export -o FILE`: atomic replacement through a temporary file, nothing created
// on an unwritable path, nothing left behind on an error or an interrupt; and writes in
// bounded blocks so that a large export streams.
import { spawn, execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInput } from '../src/cmdutil/build.js';
import exportCommand from '../src/commands/export.js';
import { writeFileAtomic } from '../src/render/file.js';
import { createContext } from '../src/context.js';
import { InterruptedError, PapersError } from '../src/errors.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'export');
const NOW = '2025-01-04T12:00:00Z';
const TMP_NAME = /^\.out\.md\.tmp-\d+-[0-9a-f]{8}$/;

let home: string;
const created: string[] = [];

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'papers-export-'));
  created.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

async function cli(argv: string[], opts: { signal?: AbortSignal; tty?: boolean } = {}) {
  return runCli(argv, { home, now: NOW, ...opts });
}

beforeAll(async () => {
  home = tempHome();
  created.push(home);
  for (const day of ['2025-01-02', '2025-01-03']) {
    const r = await runCli(['import', '--date', day, join(FIXTURES, `${day}.json`)], { home, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
  }
});

describe('export -o FILE', () => {
  it('writes the same bytes as stdout and says so on stderr, naming the format', async () => {
    const dir = scratch();
    const file = join(dir, 'out.txt');
    for (const [format, name] of [
      ['markdown', 'Markdown'],
      ['json', 'JSON'],
      ['ndjson', 'NDJSON'],
      ['csv', 'CSV'],
      ['bibtex', 'BibTeX'],
    ]) {
      const piped = await cli(['export', '-f', format!]);
      const r = await cli(['export', '-f', format!, '-o', file]);
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`wrote 10 papers to ${file} as ${name}\n`);
      expect(readFileSync(file, 'utf8')).toBe(piped.stdout);
    }
    expect(readdirSync(dir)).toEqual(['out.txt']);
  });

  it('is silent with -q, and counts one paper in the singular', async () => {
    const file = join(scratch(), 'out.md');
    const quiet = await cli(['-q', 'export', '-o', file]);
    expect(quiet.exitCode).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(existsSync(file)).toBe(true);
    const one = await cli(['export', '--limit', '1', '-o', file]);
    expect(one.stderr).toBe(`wrote 1 paper to ${file} as Markdown\n`);
  });

  it('writes an empty export as a valid file', async () => {
    const file = join(scratch(), 'out.csv');
    const r = await cli(['export', '-f', 'csv', '--date', '2024-06-03', '-o', file]);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe(`wrote 0 papers to ${file} as CSV\n`);
    expect(readFileSync(file, 'utf8').split('\r\n')).toHaveLength(2);
  });

  it('replaces an existing file whole and keeps its permissions', async () => {
    const dir = scratch();
    const file = join(dir, 'out.md');
    writeFileSync(file, 'old line\n'.repeat(50_000));
    chmodSync(file, 0o640);
    const r = await cli(['export', '--date', '2025-01-03', '-o', file]);
    expect(r.exitCode).toBe(0);
    const expected = (await cli(['export', '--date', '2025-01-03'])).stdout;
    expect(readFileSync(file, 'utf8')).toBe(expected);
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['out.md']);
  });

  it('writes through a symlink and keeps the link', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'real.md'), 'old\n');
    symlinkSync('real.md', join(dir, 'link.md'));
    const r = await cli(['export', '-o', join(dir, 'link.md')]);
    expect(r.exitCode).toBe(0);
    expect(lstatSync(join(dir, 'link.md')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.md'))).toBe('real.md');
    expect(readFileSync(join(dir, 'real.md'), 'utf8')).toMatch(/^## 2025-01-03\n/);
    expect(readdirSync(dir).sort()).toEqual(['link.md', 'real.md']);
  });

  it('streams into a FIFO in place instead of replacing it', async () => {
    const dir = scratch();
    const fifo = join(dir, 'pipe');
    const copy = join(dir, 'copy.md');
    execFileSync('mkfifo', [fifo]);
    // The reader opens the FIFO first, so opening it for writing does not wait long.
    const reader = spawn('sh', ['-c', 'cat "$1" > "$2"', 'sh', fifo, copy], { stdio: 'ignore' });
    const done = new Promise<number | null>((res) => reader.on('exit', res));
    const r = await cli(['export', '-o', fifo]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toBe(`wrote 10 papers to ${fifo} as Markdown\n`);
    expect(await done).toBe(0);
    expect(readFileSync(copy, 'utf8')).toBe((await cli(['export'])).stdout);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['copy.md', 'pipe']);
  });

  it('treats -o - as stdout', async () => {
    const r = await cli(['export', '-f', 'json', '-o', '-']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(10);
    expect(r.stderr).toBe('');
  });

  it.each([
    ['a folder that does not exist', (dir: string) => join(dir, 'missing', 'out.md'), /its folder does not exist/],
    ['a path through a file', (dir: string) => join(dir, 'file.txt', 'out.md'), /not a folder/],
    ['a folder as the target', (dir: string) => join(dir, 'sub'), /it is a folder/],
  ])('exits 1 on %s, naming the path, and creates nothing', async (_what, path, reason) => {
    const dir = scratch();
    writeFileSync(join(dir, 'file.txt'), 'keep\n');
    mkdirSync(join(dir, 'sub'));
    const target = path(dir);
    const r = await cli(['export', '-o', target]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(
      new RegExp(`^error: cannot write ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `),
    );
    expect(r.stderr).toMatch(reason);
    expect(readdirSync(dir).sort()).toEqual(['file.txt', 'sub']);
    expect(readdirSync(join(dir, 'sub'))).toEqual([]);
    expect(readFileSync(join(dir, 'file.txt'), 'utf8')).toBe('keep\n');
  });

  it('refuses to write over the archive itself', async () => {
    const r = await cli(['export', '-o', join(home, 'papers.db')]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^error: refusing to write the export over the archive/);
    expect(readdirSync(home).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const list = await cli(['list', '--json']);
    expect(JSON.parse(list.stdout)).toHaveLength(10);
  });

  it('creates nothing when the query is bad', async () => {
    const dir = scratch();
    const r = await cli(['export', '--query', 'a OR (', '--raw', '-o', join(dir, 'out.md')]);
    expect(r.exitCode).toBe(2);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves the old file untouched when interrupted before it starts', async () => {
    const dir = scratch();
    const file = join(dir, 'out.md');
    writeFileSync(file, 'precious\n');
    const controller = new AbortController();
    controller.abort(new InterruptedError('interrupted by SIGINT'));
    const r = await cli(['export', '-o', file], { signal: controller.signal });
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toBe('interrupted by SIGINT\n');
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
    expect(readdirSync(dir)).toEqual(['out.md']);
  });

  it('removes the temporary file when interrupted half-way, and keeps the old file', async () => {
    const dir = scratch();
    const file = join(dir, 'out.md');
    writeFileSync(file, 'precious\n');
    // A signal that fires after a few papers, once the temporary file exists.
    let reads = 0;
    let seenTemp: string[] = [];
    const signal = {
      get aborted() {
        reads++;
        if (reads === 5) seenTemp = readdirSync(dir).filter((f) => f !== 'out.md');
        return reads >= 5;
      },
      reason: new InterruptedError('interrupted by SIGTERM'),
    } as unknown as AbortSignal;
    const r = await cli(['export', '-o', file], { signal });
    expect(r.exitCode).toBe(130);
    expect(r.stderr).toBe('interrupted by SIGTERM\n');
    expect(seenTemp).toHaveLength(1);
    expect(seenTemp[0]).toMatch(TMP_NAME);
    expect(seenTemp[0]).toContain(`-${process.pid}-`);
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
    expect(readdirSync(dir)).toEqual(['out.md']);
  });
});

describe('writeFileAtomic', () => {
  function* blocks(n: number, size: number, onEach?: (i: number) => void): Generator<string> {
    for (let i = 0; i < n; i++) {
      onEach?.(i);
      yield `${String(i).padStart(8, '0')}${'x'.repeat(size - 9)}\n`;
    }
  }

  it('streams into a temporary file beside the target, then renames it into place', async () => {
    const dir = scratch();
    const file = join(dir, 'out.md');
    writeFileSync(file, 'old\n');
    const seen: { names: string[]; tmpSize: number; target: string }[] = [];
    await writeFileAtomic(
      file,
      blocks(1000, 1024, (i) => {
        if (i !== 500) return;
        const names = readdirSync(dir).filter((f) => f !== 'out.md');
        seen.push({ names, tmpSize: statSync(join(dir, names[0]!)).size, target: readFileSync(file, 'utf8') });
      }),
      { pid: 4242 },
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]!.names).toHaveLength(1);
    expect(seen[0]!.names[0]).toMatch(/^\.out\.md\.tmp-4242-[0-9a-f]{8}$/);
    // Half-way, earlier blocks are already on disk and the target is still the old file.
    expect(seen[0]!.tmpSize).toBeGreaterThanOrEqual(64 * 1024);
    expect(seen[0]!.tmpSize).toBeLessThan(500 * 1024);
    expect(seen[0]!.target).toBe('old\n');
    const out = readFileSync(file, 'utf8');
    expect(out.length).toBe(1000 * 1024);
    expect(out.slice(-1024, -1016)).toBe('00000999');
    expect(readdirSync(dir)).toEqual(['out.md']);
  });

  it('passes a failure of the source through, removing the temporary file', async () => {
    const dir = scratch();
    const file = join(dir, 'out.md');
    writeFileSync(file, 'old\n');
    const boom = new Error('database went away');
    const failing = (function* () {
      yield* blocks(300, 1024);
      throw boom;
    })();
    await expect(writeFileAtomic(file, failing)).rejects.toBe(boom);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.md']);
  });

  it('names the path in a file system error and creates nothing', async () => {
    const dir = scratch();
    let pulled = 0;
    const err = await writeFileAtomic(
      join(dir, 'nope', 'x.bib'),
      blocks(3, 10, () => pulled++),
      { display: 'nope/x.bib' },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PapersError);
    expect((err as PapersError).exitCode).toBe(1);
    expect((err as PapersError).message).toBe('cannot write nope/x.bib: its folder does not exist');
    expect(pulled).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('export streams', () => {
  let big: string;
  const N = 2500;

  beforeAll(async () => {
    big = tempHome();
    created.push(big);
    const dir = scratch();
    const body = Array.from({ length: N }, (_, i) => {
      const id = `2502.${String(i + 1).padStart(5, '0')}`;
      return {
        paper: {
          id,
          authors: [{ _id: `a${i}`, name: `Author ${i} Müller`, hidden: false }],
          publishedAt: '2025-02-01T00:00:00.000Z',
          title: `Paper number ${i}: a study of things | with *specials*`,
          summary: `Abstract ${i}. `.repeat(20),
          upvotes: i % 97,
        },
        publishedAt: '2025-02-01T00:00:00.000Z',
        title: `Paper number ${i}: a study of things | with *specials*`,
        numComments: 0,
      };
    });
    writeFileSync(join(dir, 'big.json'), JSON.stringify(body));
    const r = await runCli(['import', '--date', '2025-01-03', join(dir, 'big.json')], { home: big, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it('writes stdout in bounded blocks, not one piece', async () => {
    const writes: number[] = [];
    let text = '';
    const stdout = {
      isTTY: false,
      write(s: string) {
        writes.push(s.length);
        text += s;
        return true;
      },
    };
    const stderr = { isTTY: false, write: () => true };
    const ctx = await createContext({ env: { PAPERS_HOME: big }, stdout, stderr, now: () => new Date(NOW) }, {});
    try {
      expect(await exportCommand.run!(ctx, await parseInput(exportCommand, ['--format', 'ndjson']))).toBe(0);
    } finally {
      await ctx.close();
    }
    expect(text.split('\n')).toHaveLength(N + 1);
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(writes.length).toBeGreaterThan(10);
    // A block is ~64 KiB plus at most the paper that crossed the line.
    expect(Math.max(...writes)).toBeLessThan(64 * 1024 + 4096);
  });

  it('writes a large file whole, every format', async () => {
    const dir = scratch();
    for (const [format, count] of [
      ['ndjson', (s: string) => s.split('\n').length - 1],
      ['csv', (s: string) => s.split('\r\n').length - 2],
      ['bibtex', (s: string) => (s.match(/^@misc\{/gm) ?? []).length],
      ['markdown', (s: string) => (s.match(/^- \[/gm) ?? []).length],
      ['json', (s: string) => (JSON.parse(s) as unknown[]).length],
    ] as const) {
      const file = join(dir, `big.${format}`);
      const r = await runCli(['export', '-f', format, '-o', file], { home: big, now: NOW });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stderr).toMatch(new RegExp(`^wrote ${N} papers to ${file} as \\w+\\n$`));
      expect(count(readFileSync(file, 'utf8'))).toBe(N);
    }
  });
});

// Issue 15.6: `-o` refuses every file of the archive (the sync lock too: an export written
// over it broke every later sync), through links; a writer killed with -9 leaves its
// temporary file, which the next write beside the same target removes.
describe('-o and the files of the archive', () => {
  it.each([
    ['papers.db-wal', "the archive's wal file"],
    ['papers.db-shm', "the archive's shm file"],
    ['papers.db-journal', "the archive's journal file"],
    ['papers.db.sync-lock', "the archive's sync lock"],
    ['papers.db.sync-lock-journal', "the archive's sync lock's journal file"],
  ])('refuses %s (there or not), directly and through a link; nothing written', async (name, words) => {
    const before = readdirSync(home).sort();
    const r = await cli(['export', '-o', join(home, name)]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(
      `error: refusing to write the export over ${words} ${join(home, name)}\nhint: choose another --output file\n`,
    );
    const dir = scratch();
    symlinkSync(join(home, name), join(dir, 'link.md'));
    const viaLink = await cli(['export', '-o', join(dir, 'link.md')]);
    expect(viaLink.exitCode).toBe(2);
    symlinkSync(home, join(dir, 'home'));
    const viaFolder = await cli(['export', '-o', join(dir, 'home', name)]);
    expect(viaFolder.exitCode).toBe(2);
    const digest = await cli(['digest', '-o', join(dir, 'home', name)]);
    expect(digest.exitCode).toBe(2);
    expect(readdirSync(home).sort()).toEqual(before);
  });
});

describe('-o after a writer was killed (kill -9)', () => {
  it("removes a dead writer's temporary file, keeps a live one's and unrelated files", async () => {
    const dir = scratch();
    const file = join(dir, 'out.md');
    const live = spawn('sleep', ['60'], { stdio: 'ignore' });
    const dead = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      const liveTmp = `.out.md.tmp-${live.pid}-0a1b2c3d`;
      const deadTmp = `.out.md.tmp-${dead.pid}-deadbeef`;
      for (const f of [liveTmp, deadTmp, '.other.md.tmp-1-00000000', '.out.md.tmp-x-00000000'])
        writeFileSync(join(dir, f), 'half\n');
      dead.kill('SIGKILL');
      await new Promise((r) => dead.once('exit', r));
      const r = await cli(['export', '-o', file]);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(
        ['.other.md.tmp-1-00000000', '.out.md.tmp-x-00000000', liveTmp, 'out.md'].sort(),
      );
    } finally {
      live.kill('SIGKILL');
    }
  });
});
