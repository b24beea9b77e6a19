// The benchmark's corpus and caches: generated days lie where the source has lists (a sync
// refuses the others, so a corpus reaching back further never arrives whole), each day fits
// the requests sync allows it, and cached corpora and archives are keyed by the code that
// shapes them.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PER_DAY, planDays } from '../bench/generate.mjs';
import { archiveCodeKey, corpusKey, moduleClosure } from '../bench/lib/keys.mjs';
import { buildPools, loadSamples } from '../bench/lib/samples.mjs';
import { samplesDir } from '../kit/samples.mjs';
import { MAX_REQUESTS_PER_DAY } from '../src/core/sync.js';
import { PAGE_SIZE, hfDaily } from '../src/sources/hf-adapter.js';

const pools = buildPools(loadSamples());

describe('planDays', () => {
  for (const n of [2_000, 10_000, 100_000, 1_000_000]) {
    it(`${n} papers: weekdays the source has, summing to n, each within a day's requests`, () => {
      const plan = planDays({ n, seed: 1, pools }) as { day: string; count: number }[];
      expect(plan[0]!.day >= hfDaily.firstDay!).toBe(true);
      expect(plan.reduce((s, d) => s + d.count, 0)).toBe(n);
      for (const { day } of plan) expect([0, 6]).not.toContain(new Date(`${day}T00:00:00Z`).getUTCDay());
      expect(new Set(plan.map((d) => d.day)).size).toBe(plan.length);
      expect(Math.max(...plan.map((d) => d.count))).toBeLessThanOrEqual(MAX_PER_DAY);
    });
  }
  it('a full day and its relisted papers (0.5%, a few at most) page within the requests sync allows', () => {
    const entries = MAX_PER_DAY + 20;
    expect(Math.floor(entries / PAGE_SIZE) + 1).toBeLessThan(MAX_REQUESTS_PER_DAY);
  });
  it('more papers than the real range can hold is an error, not a corpus sync refuses in part', () => {
    expect(() => planDays({ n: 2_000_000, seed: 1, pools })).toThrow(/do not fit/);
  });
});

describe('cache keys', () => {
  const tmp = () => mkdtempSync(join(tmpdir(), 'bench-keys-'));

  it('follow relative imports, static and dynamic, to the end', () => {
    const d = tmp();
    mkdirSync(join(d, 'core'));
    writeFileSync(join(d, 'core', 'sync.js'), `import { a } from '../a.js';\nconst b = await import('./b.js');\n`);
    writeFileSync(join(d, 'a.js'), `export * from './c.js';\n`);
    writeFileSync(join(d, 'core', 'b.js'), `import x from 'better-sqlite3';\n`);
    writeFileSync(join(d, 'c.js'), '');
    writeFileSync(join(d, 'unrelated.js'), '');
    expect(moduleClosure([join(d, 'core', 'sync.js')]).map((f: string) => f.slice(d.length + 1))).toEqual([
      'a.js',
      'c.js',
      'core/b.js',
      'core/sync.js',
    ]);
  });

  it('an archive key changes with the code that saves, and not with code that only reads', () => {
    const d = tmp();
    for (const dir of ['core', 'sources', 'db', 'render']) mkdirSync(join(d, dir));
    writeFileSync(join(d, 'core', 'sync.js'), `import '../db/store.js';\n`);
    writeFileSync(join(d, 'sources', 'hf-adapter.js'), `import '../text.js';\n`);
    for (const f of ['db/open.js', 'db/store.js', 'db/migrations.js', 'text.js', 'render/markdown.js'])
      writeFileSync(join(d, f), `// ${f}\n`);
    const k0 = archiveCodeKey(d);
    writeFileSync(join(d, 'render', 'markdown.js'), '// another renderer\n');
    expect(archiveCodeKey(d)).toBe(k0);
    writeFileSync(join(d, 'text.js'), '// text normalised another way\n');
    const k1 = archiveCodeKey(d);
    expect(k1).not.toBe(k0);
    writeFileSync(join(d, 'db', 'store.js'), '// one transaction per two days\n');
    expect(archiveCodeKey(d)).not.toBe(k1);
  });

  it('a corpus key changes with any module of the generator', () => {
    // A copy of bench/ and of kit/ beside it (the generator finds the samples through kit/).
    const root = tmp();
    const d = join(root, 'bench');
    cpSync(join(__dirname, '..', 'bench', 'generate.mjs'), join(d, 'generate.mjs'));
    cpSync(join(__dirname, '..', 'bench', 'lib'), join(d, 'lib'), { recursive: true });
    cpSync(join(__dirname, '..', 'kit'), join(root, 'kit'), { recursive: true });
    const dailyDir = join(samplesDir(), 'hf-api', 'daily');
    const k0 = corpusKey({ benchDir: d, dailyDir });
    expect(corpusKey({ benchDir: d, dailyDir })).toBe(k0);
    const rng = join(d, 'lib', 'rng.mjs');
    writeFileSync(rng, readFileSync(rng, 'utf8').replace('0x9e3779b9', '0x9e3779b1'));
    expect(corpusKey({ benchDir: d, dailyDir })).not.toBe(k0);
  });
});
