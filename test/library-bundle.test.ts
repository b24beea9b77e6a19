// The BibTeX parser is loaded at run time from node_modules, not bundled: the CLI ships as one
// CommonJS file (esbuild) and the parser's own CommonJS build cannot be required on Node 20.
// This bundles the reader as the build bundles the CLI and runs it under node.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/fixtures.js';

// Inside the repo so that the bundle finds node_modules as dist/papers.cjs does.
const OUT = join(ROOT, 'node_modules', '.cache', `papers-bundle-test-${process.pid}`);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('library import in the CommonJS bundle', () => {
  it('reads BibTeX on Node 20, with the parser left out of the bundle', async () => {
    mkdirSync(OUT, { recursive: true });
    const entry = join(OUT, 'entry.ts');
    writeFileSync(
      entry,
      `import { parseLibrary } from ${JSON.stringify(join(ROOT, 'src', 'sources', 'library-import.ts'))};
parseLibrary('@misc{k, title = {M\\\\"uller}, eprint = {2401.04088v2}}', 'x.bib').then((l) => console.log(JSON.stringify(l.items)));`,
    );
    const outfile = join(OUT, 'bundle.cjs');
    await build({
      entryPoints: [entry],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      outfile,
      logLevel: 'silent',
    });
    expect(statSync(outfile).size).toBeLessThan(100_000);
    const out = execFileSync(process.execPath, [outfile], { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([
      { key: 'k', title: 'Müller', arxivId: '2401.04088', arxivFrom: 'eprint', doi: null },
    ]);
  });
});
