// The repository runs from any clone: no file names a path of one particular machine (the
// real samples are found by kit/samples.mjs: $PAPERS_SAMPLES, else ../shared beside the
// clone), and the tests and the benchmarks share kit/ without importing each other.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';

/** The files of the tree: git's list (tracked and new, not ignored), else a walk. */
function treeFiles(): string[] {
  if (existsSync(join(ROOT, '.git'))) {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    return out.split('\0').filter((f) => f && existsSync(join(ROOT, f)));
  }
  const skip = new Set(['node_modules', 'dist', '.git', '.cache']);
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      if (skip.has(f)) return [];
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : [relative(ROOT, p)];
    });
  return walk(ROOT);
}

// Written in pieces, so that this file does not name them itself.
const W = ['/wo', 'rk/'].join('');
// An absolute path starts a word: `bench/.cache/home/` or `~/work/` is not one.
const MACHINE_PATH = new RegExp(
  `(?<![\\w.~-])(?:${[W, '/ho' + 'me/', '/tm' + 'p/check', '/Us' + 'ers/', '/ro' + 'ot/'].join('|')})|[A-Z]:\\\\Us` +
    'ers\\\\',
);

/** Files allowed to hold such a path, and why. */
const ALLOWED: Record<string, string> = {
  'fixtures/library/zotero.bib':
    "a Zotero export as Zotero writes it: its `file` fields name the exporting user's PDFs, data the import must ignore",
};

describe('the tree', () => {
  const files = treeFiles();

  it('lists the repository', () => {
    expect(files).toContain('package.json');
    expect(files).toContain('kit/samples.mjs');
  });

  it('names no absolute path of a particular machine', () => {
    const found: string[] = [];
    for (const f of files) {
      if (f in ALLOWED) continue;
      const buf = readFileSync(join(ROOT, f));
      if (buf.includes(0)) continue; // binary
      buf
        .toString('utf8')
        .split('\n')
        .forEach((line, i) => {
          const m = MACHINE_PATH.exec(line);
          if (m) found.push(`${f}:${i + 1}: ${m[0]} in ${line.trim().slice(0, 100)}`);
        });
    }
    expect(found).toEqual([]);
  });

  it('the check itself catches such a path', () => {
    expect(MACHINE_PATH.test(`fallback: '${W}shared/hf-papers-samples'`)).toBe(true);
    expect(MACHINE_PATH.test(`cd ${'/tm' + 'p/check'} && npm test`)).toBe(true);
    expect(MACHINE_PATH.test(`cwd ${'/ho' + 'me/'}ada/papers`)).toBe(true);
    expect(MACHINE_PATH.test('https://example.org/api/daily_papers')).toBe(false);
    expect(MACHINE_PATH.test('bench/.cache/home/papers.db')).toBe(false);
    expect(MACHINE_PATH.test('~/.local/share/papers')).toBe(false);
    // Every allowance names a file that exists and still needs it.
    for (const f of Object.keys(ALLOWED)) expect(MACHINE_PATH.test(readFileSync(join(ROOT, f), 'utf8')), f).toBe(true);
  });
});

/** The repository files a source file imports by a relative path (static, dynamic, require). */
function localImports(file: string): string[] {
  const src = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(
    /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm,
  ))
    out.push(relative(ROOT, resolve(ROOT, dirname(file), m[1]!)));
  return out;
}

const top = (f: string) => f.split(sep)[0]!.split('/')[0]!;
const code = (f: string) => /\.(ts|mjs|cjs|js)$/.test(f);

describe('tests and benchmarks share kit/', () => {
  const files = treeFiles().filter(code);

  it('the benchmarks import nothing from test/', () => {
    const bad = files
      .filter((f) => top(f) === 'bench')
      .flatMap((f) =>
        localImports(f)
          .filter((t) => top(t) === 'test')
          .map((t) => `${f} -> ${t}`),
      );
    expect(bad).toEqual([]);
  });

  it('the tests import bench/ only in the tests of the benchmark itself', () => {
    const bad = files
      .filter((f) => top(f) === 'test' && !basename(f).startsWith('bench-'))
      .flatMap((f) =>
        localImports(f)
          .filter((t) => top(t) === 'bench')
          .map((t) => `${f} -> ${t}`),
      );
    expect(bad).toEqual([]);
  });

  it('kit/ imports neither', () => {
    const kit = files.filter((f) => top(f) === 'kit');
    expect(kit.length).toBeGreaterThan(0);
    const bad = kit.flatMap((f) =>
      localImports(f)
        .filter((t) => top(t) === 'test' || top(t) === 'bench')
        .map((t) => `${f} -> ${t}`),
    );
    expect(bad).toEqual([]);
  });
});
