// The fixtures are ours: small, hand-written, in the real shapes, and never byte copies
// of the real captured bodies (which stay outside the repo and are read at run time).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, SHARED_DAILY } from './helpers/fixtures.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('fixtures', () => {
  it('no file in the repo is a byte copy of a real sample', () => {
    const shared = join(SHARED_DAILY, '..', '..');
    const real = new Map(files(shared).map((p) => [sha(p), p]));
    expect(real.size).toBeGreaterThan(262);
    const ours = [...files(join(ROOT, 'fixtures')), ...files(join(ROOT, 'test'))];
    const copies = ours.filter((p) => real.has(sha(p))).map((p) => relative(ROOT, p));
    expect(copies).toEqual([]);
  });

  it('every era has a day, and every JSON fixture parses', () => {
    const names = files(FIXTURES)
      .map((p) => relative(FIXTURES, p))
      .sort();
    expect(names).toEqual(
      expect.arrayContaining([
        '2024-05-28.json',
        '2024-06-13.json',
        '2024-06-15.json',
        '2024-06-19.json',
        '2025-03-17.json',
        '2025-05-22.json',
        '2025-06-25.json',
        '2025-10-14.json',
        '2026-01-15.json',
        'papers-page.html',
      ]),
    );
    for (const n of names.filter((x) => /^\d{4}-\d{2}-\d{2}\.json$/.test(x))) {
      expect(Array.isArray(JSON.parse(readFileSync(join(FIXTURES, n), 'utf8'))), n).toBe(true);
    }
  });
});
