// Builds the CLI: one CommonJS bundle, dist/papers.cjs, loaded by bin/papers.js.
//
// Why a bundle: on Node 20, one CommonJS file starts 20-40 ms sooner than an ES module
// graph, and start-up is most of what a read command costs. Modules inside it are
// initialised lazily (esbuild wraps each one), so a command loads only what it imports.
//
// - The version is injected with `define` (no package.json read at run time).
// - `papers:commands` is the command registry made from src/commands/ (scripts/commands.mjs).
// - Native and large runtime dependencies stay external and load from node_modules when
//   first used: better-sqlite3 (native), undici, cheerio, ora.
// - commander requires node:child_process at load time for executable subcommands, which
//   papers does not use; a shim loads the real module only if something calls it (~5 ms).
// - dist/papers.cache: V8's code cache for the bundle, made by running the common commands
//   once (scripts/code-cache.cjs) and handed to V8 by bin/load-bundle.js. Compiling the
//   bundle was 8 of the 18 ms a read command spent loading it; Node 20 has no compile cache
//   of its own. A split bundle (esbuild's ESM chunks made CommonJS) was measured too: 85
//   files for `list`, 1 ms saved, so not kept.
// Type checking is `npm run typecheck`; esbuild only strips types.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { esbuildCommandsPlugin } from './commands.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * Every module of src/ compiled on its own to an ES module in `outdir` (no bundle): what
 * the benchmarks import to time the core in-process (bench/lib/modules.mjs). Not shipped.
 */
export async function buildModules(outdir) {
  const { readdirSync } = await import('node:fs');
  const entries = readdirSync(join(root, 'src'), { recursive: true })
    .filter((f) => String(f).endsWith('.ts') && !String(f).endsWith('.d.ts'))
    .map((f) => join(root, 'src', String(f)));
  await build({
    entryPoints: entries,
    outdir,
    outbase: join(root, 'src'),
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    define: { __PAPERS_VERSION__: JSON.stringify(pkg.version) },
  });
  // The floors are CommonJS processes: what they share with the CLI (how a title reads), as one file.
  await build({
    entryPoints: [join(root, 'src', 'text.ts')],
    outfile: join(outdir, 'text.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
}

if (process.argv[1] !== fileURLToPath(import.meta.url)) {
  // Imported for buildModules: build nothing else.
} else {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  await build({
    entryPoints: [join(root, 'src', 'cli.ts')],
    outfile: join(root, 'dist', 'papers.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    external: ['better-sqlite3', 'undici', 'cheerio', 'ora'],
    // Whitespace and syntax only, names kept (stack traces and error names stay readable):
    // a third smaller, which every start reads, copies and hands to V8 (about 1 ms).
    minifyWhitespace: true,
    minifySyntax: true,
    alias: { 'node:child_process': join(root, 'src', 'shims', 'child-process.cjs') },
    define: { __PAPERS_VERSION__: JSON.stringify(pkg.version) },
    plugins: [esbuildCommandsPlugin(root)],
  });
  // The part of undici papers uses (src/shims/undici.cjs), bundled on its own: bin/load-bundle.js
  // answers the CLI's import('undici') with it. One cached file instead of about 100 files and
  // the fetch, WebSocket and mock code papers never calls: undici's load went from 57 to about
  // 10 ms (a one-day sync from 172 to 115 ms).
  await build({
    entryPoints: [join(root, 'src', 'shims', 'undici.cjs')],
    outfile: join(root, 'dist', 'undici.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    minifyWhitespace: true,
    minifySyntax: true,
  });
  // The PDF reader that src/fulltext/extract.ts runs in a worker thread: pdf.js (unpdf's build:
  // no canvas, no native code) bundled with it, an ES module of its own, loaded only by
  // `papers fetch`. A separate file because a worker thread starts from a file.
  await build({
    entryPoints: [join(root, 'src', 'fulltext', 'pdf-worker.mjs')],
    outfile: join(root, 'dist', 'pdf-worker.mjs'),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    minifyWhitespace: true,
    minifySyntax: true,
  });
  // bin/load-bundle.js compiles both bundles with vm.Script and passes them its own import()
  // (src/shims/import.ts): Node 20 refuses a bare import() in code compiled that way, so any
  // other one would fail only when reached (an undici upgrade could bring one).
  for (const name of ['papers', 'undici']) {
    const bundle = readFileSync(join(root, 'dist', `${name}.cjs`), 'utf8');
    const rest = bundle.replace(/__papers_import\(specifier\)\s*:\s*import\(specifier\)/g, '');
    const stray = [...rest.matchAll(/\bimport\(/g)].map((m) => rest.slice(Math.max(0, m.index - 60), m.index + 60));
    if (stray.length) {
      throw new Error(`dynamic import() outside src/shims/import.ts in dist/${name}.cjs:\n${stray.join('\n')}`);
    }
  }
  // The V8 code caches (scripts/code-cache.cjs), made in a fresh node without NODE_OPTIONS:
  // V8 refuses a cache made under other flags, and `papers` runs as plain `node`. They only
  // speed start-up, so a failure warns and leaves none (test/bin.test.ts checks they are there).
  const { NODE_OPTIONS: _, ...env } = process.env;
  // Bounded: a warm-up that hangs must not hang `npm ci`.
  spawnSync(process.execPath, [join(root, 'scripts', 'code-cache.cjs')], { stdio: 'inherit', env, timeout: 300_000 });
  const loader = JSON.stringify(join(root, 'bin', 'load-bundle.js'));
  // The V8 flags must be those the bundle runs under: src/http/client.ts sets --liftoff-only
  // before it loads undici, and V8 keys its caches by flags.
  const checks = {
    papers: `process.stdout.write(require(${loader}).load('papers').cache)`,
    undici: `require('node:v8').setFlagsFromString('--liftoff-only');process.stdout.write(require(${loader}).load('undici').cache)`,
  };
  for (const [name, code] of Object.entries(checks)) {
    const check = spawnSync(process.execPath, ['-e', code], { env, encoding: 'utf8' });
    // A cache V8 takes is kept even when another part of the warm-up failed.
    if (check.stdout !== 'used') {
      rmSync(join(root, 'dist', `${name}.cache`), { force: true });
      process.stderr.write(
        `warning: no V8 code cache for dist/${name}.cjs (${check.stdout || 'not made'}): it compiles at each start\n`,
      );
    }
  }
}
