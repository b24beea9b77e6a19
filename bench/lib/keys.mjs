// Cache keys. A cached corpus or archive is reused only when everything that shapes it is the
// same: the generator's code and the real samples it recombines (corpus), and the schema and
// the code that fetches, parses and saves (archive). A hash of the files themselves, not a
// version someone has to remember to bump.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// Static imports and re-exports (from + a quoted relative path), dynamic import( and require( of one.
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/**
 * The files `entries` load, following relative imports to the end (packages are not
 * followed: their versions are pinned by the lockfile). Sorted, absolute.
 */
export function moduleClosure(entries) {
  const seen = new Set();
  const todo = entries.map((e) => resolve(e));
  while (todo.length) {
    const f = todo.pop();
    if (seen.has(f)) continue;
    if (!existsSync(f)) throw new Error(`cache key: ${f} does not exist (is dist/ built?)`);
    seen.add(f);
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(RELATIVE_IMPORT)) {
      const target = resolve(dirname(f), m[1]);
      todo.push(existsSync(target) ? target : `${target}.js`);
    }
  }
  return [...seen].sort();
}

/** A short hash of files' names (relative to `root`) and bytes. */
export function hashFiles(files, root) {
  const h = createHash('sha1');
  for (const f of files) {
    h.update(`${relative(root, f)}\0`);
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 10);
}

/** The samples as the generator sees them: every day file's name and size. */
export function samplesFingerprint(dailyDir) {
  const h = createHash('sha1');
  for (const f of readdirSync(dailyDir).sort()) h.update(`${f}:${statSync(join(dailyDir, f)).size}\n`);
  return h.digest('hex').slice(0, 10);
}

/**
 * The corpus key: the generator's module closure and the samples. `benchDir` holds
 * generate.mjs; `dailyDir` the real API day bodies.
 */
export function corpusKey({ benchDir, dailyDir }) {
  const files = moduleClosure([join(benchDir, 'generate.mjs')]);
  const h = createHash('sha1').update(hashFiles(files, benchDir)).update(samplesFingerprint(dailyDir));
  return h.digest('hex').slice(0, 10);
}

/**
 * The code that shapes an archive built by `papers sync`: the built sync use case, the
 * source adapter and the database layer, with everything they import. The bundle the CLI
 * runs (dist/papers.cjs) is built from the same files; hashing these instead of the bundle
 * keeps a change to, say, a renderer from rebuilding a 1M archive.
 */
export function archiveCodeKey(distDir) {
  const entries = ['core/sync.js', 'sources/hf-adapter.js', 'db/open.js', 'db/store.js', 'db/migrations.js'].map((p) =>
    join(distDir, p),
  );
  return hashFiles(moduleClosure(entries), distDir);
}
