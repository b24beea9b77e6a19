// The unit tier stays in-process (test/tiers.ts): a test there that starts the built CLI,
// or reaches for dist/, belongs to the system tier, where a stale build is refused and the
// slow tests do not hold up the edit loop.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';
import { SYSTEM_TESTS } from './tiers.js';

/** A glob of test/tiers.ts (`**` and `*` only) as a regular expression over a repository path. */
function globRegExp(glob: string): RegExp {
  const re = glob
    .split(/(\*\*\/|\*)/)
    .map((part) => (part === '**/' ? '(?:.*/)?' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${re}$`);
}

export function isSystemTest(path: string): boolean {
  return SYSTEM_TESTS.some((g) => globRegExp(g).test(path));
}

function testFiles(): string[] {
  return readdirSync(join(ROOT, 'test'), { recursive: true })
    .map((f) => `test/${String(f)}`)
    .filter((f) => f.endsWith('.test.ts'))
    .sort();
}

/** What a test does to start papers as a process, or to load the build. */
const SPAWNS_PAPERS = /bin\/papers\.js|'bin', 'papers\.js'|\bspawnPapers\b|\brunPapers\b|\bBIN\b|load-bundle|dist\//;

describe('the test tiers', () => {
  it('sorts the files as test/tiers.ts says', () => {
    expect(isSystemTest('test/system/pty.test.ts')).toBe(true);
    expect(isSystemTest('test/reliability-crash.test.ts')).toBe(true);
    expect(isSystemTest('test/pager.test.ts')).toBe(false);
    expect(relative(ROOT, join(ROOT, 'test'))).toBe('test');
  });

  it('no unit test starts the built CLI or loads dist/', () => {
    const offenders = testFiles().filter(
      (f) => !isSystemTest(f) && f !== 'test/tiers.test.ts' && SPAWNS_PAPERS.test(readFileSync(join(ROOT, f), 'utf8')),
    );
    expect(offenders, 'these belong to the system tier: move them under test/system/').toEqual([]);
  });
});
