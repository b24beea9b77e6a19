'use strict';
// Writes the V8 code caches bin/load-bundle.js hands to V8: dist/papers.cache for the CLI and
// dist/undici.cache for the part of undici it bundles (run by scripts/build.mjs after the
// bundles are built, in a plain node of its own without NODE_OPTIONS: V8 refuses a cache made
// under other flags).
//
// V8 caches the functions compiled when the cache is made. Compiling a bundle compiles only
// its top level, so this first runs the commands people run most, in this process, against a
// scratch archive imported from fixtures/, piped and as a terminal: their functions are
// compiled then and land in the cache. The import runs in a papers process of its own: what
// only import uses stays out of the cache, which every start deserializes whole. undici's
// cache comes from a one-day sync against a server in this process, after the CLI's cache is
// written. What the commands print is thrown away; a command that fails here only leaves its
// functions to compile at run time, so failures are not fatal, but they are counted and shown.
//
// Nothing here reads the environment papers would: not the user's archive (PAPERS_*, the
// import gets --db), not a proxy (the sync goes to 127.0.0.1 directly).
const { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');
const { Writable } = require('node:stream');
const { createServer } = require('node:http');
const { loadBundle, loaded, files: bundleFiles, cacheFile } = require('../bin/load-bundle.js');

const root = join(__dirname, '..');

function sink(tty) {
  const s = new Writable({ write: (_chunk, _enc, done) => done() });
  if (tty) Object.assign(s, { isTTY: true, columns: 100, rows: 40 });
  return s;
}

function writeCache(file, bytes, script) {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, cacheFile(bytes, script.createCachedData()));
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** The environment without what would point papers or undici elsewhere than this build's scratch. */
function isolated(env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (!/^(PAPERS_|HF_|ARXIV_|XDG_)|^(https?|all|no)_proxy$/i.test(k)) out[k] = v;
  }
  return out;
}

async function main() {
  const { exports: cli, script, bytes } = loadBundle({ useCache: false });
  const home = mkdtempSync(join(tmpdir(), 'papers-code-cache-'));
  const days = join(root, 'fixtures', 'hf-daily');
  const files = readdirSync(days)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .map((f) => join(days, f));
  // No request leaves this process: nothing listens on port 9 (discard), and today runs --offline.
  const shown = JSON.parse(readFileSync(files[files.length - 1], 'utf8'))[0].paper.id;
  const env = { PAPERS_HOME: home, HF_ENDPOINT: 'http://127.0.0.1:9', NO_COLOR: '1', PAGER: 'cat', TERM: 'dumb' };
  const runs = [
    ['list', '--limit', '20'],
    ['list', '--since', '2024-01-01', '--min-upvotes', '1', '--json'],
    ['search', 'language model'],
    ['search', 'diffusion', '--json'],
    ['today', '--offline'],
    ['show', shown],
    ['status'],
    ['new'],
    ['stats'],
    ['export', '--format', 'markdown', '--since', '2024-01-01'],
  ];
  let failed = 0;
  try {
    const db = join(home, 'papers.db');
    const imported = spawnSync(process.execPath, [join(root, 'bin', 'papers.js'), '--db', db, 'import', ...files], {
      env: { ...isolated(process.env), ...env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (imported.status !== 0) throw new Error(`the warm-up archive's import failed: ${imported.stderr}`);
    for (const tty of [false, true]) {
      for (const argv of runs) {
        const code = await cli.run(argv, {
          env,
          stdout: sink(tty),
          stderr: process.env.PAPERS_DEBUG ? process.stderr : sink(false),
        });
        if (code !== 0) {
          failed++;
          if (process.env.PAPERS_DEBUG)
            process.stderr.write(`code cache warm-up: papers ${argv.join(' ')} exited ${code}\n`);
        }
      }
    }
    // The CLI's cache is made before the network is touched: sync's code stays out of it.
    writeCache(bundleFiles('papers').cache, bytes, script);
    // undici's (dist/undici.cjs): what a sync of one day from a server in this process runs.
    // undici's proxy agent reads process.env itself.
    const kept = isolated(process.env);
    for (const k of Object.keys(process.env)) if (!(k in kept)) delete process.env[k];
    const day = files[files.length - 1];
    const server = createServer((req, res) => {
      const page = new URL(req.url, 'http://x').searchParams.get('p');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(page === '0' ? readFileSync(day) : '[]');
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${server.address().port}`;
      const argv = ['sync', '--date', day.slice(-15, -5), '--force'];
      const code = await cli.run(argv, {
        env: { ...env, HF_ENDPOINT: endpoint },
        stdout: sink(false),
        stderr: sink(false),
      });
      if (code !== 0) failed++;
    } finally {
      server.close();
    }
    const undici = loaded.get('undici');
    if (undici) writeCache(bundleFiles('undici').cache, undici.bytes, undici.script);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
  if (failed)
    process.stderr.write(`code cache: ${failed} warm-up command(s) failed; their code compiles at run time\n`);
}

main().catch((err) => {
  // The cache is an optimisation: without it papers compiles the bundle at each start.
  process.stderr.write(`code cache not written: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
});
