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
// Type checking is `npm run typecheck`; esbuild only strips types.
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
    alias: { 'node:child_process': join(root, 'src', 'shims', 'child-process.cjs') },
    define: { __PAPERS_VERSION__: JSON.stringify(pkg.version) },
    plugins: [esbuildCommandsPlugin(root)],
  });
}
