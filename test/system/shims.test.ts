// Every start-up shim (src/shims/, bin/README.md) exercised through the built CLI, so that
// a shim that loses a function fails here and not in a user's terminal (issue 20: the
// child_process shim lost spawn in the bundle and the pager silently never started).
// Each list below is read from src/: a new use of a shim without a test here fails.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBuilt } from '../helpers/built-cli.js';
import { FIXTURES, ROOT, fixtureDays, startHfServer, type HfServer } from '../helpers/fixtures.js';
import { tempHome } from '../helpers/run-cli.js';
import { SCRIPT, requireProgram } from '../helpers/system-tools.js';

const src = (rel: string) => readFileSync(join(ROOT, 'src', rel), 'utf8');
const srcFiles = () =>
  readdirSync(join(ROOT, 'src'), { recursive: true })
    .map((f) => join(ROOT, 'src', String(f)))
    .filter((f) => /\.(ts|cjs)$/.test(f) && !f.endsWith('.d.ts'));

let server: HfServer;
let home = '';
beforeAll(async () => {
  server = await startHfServer(fixtureDays());
  home = tempHome();
});
afterAll(() => server?.close());

const env = (extra: Record<string, string | undefined> = {}) => ({
  PAPERS_HOME: home,
  HOME: home,
  PATH: process.env.PATH,
  HF_ENDPOINT: server.url,
  ...extra,
});

describe('child_process (src/shims/child-process.cjs)', () => {
  it('src/ imports only spawn from it: the pager, which test/system/pty.test.ts runs in a terminal', () => {
    const names = new Set<string>();
    for (const f of srcFiles()) {
      for (const m of readFileSync(f, 'utf8').matchAll(/import\s*\{([^}]*)\}\s*from\s*'node:child_process'/g)) {
        for (const n of m[1]!.split(',')) if (n.trim() && !n.trim().startsWith('type ')) names.add(n.trim());
      }
    }
    expect([...names], 'a new name needs a test through the built CLI that calls it').toEqual(['spawn']);
  });

  it('every function of node:child_process survives the bundle’s import of the shim', async () => {
    // The build's own alias, the build's own interop (esbuild's __toESM): what dist/ does.
    const dir = join(ROOT, 'node_modules', '.cache', `papers-shim-test-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const entry = join(dir, 'entry.ts');
      writeFileSync(
        entry,
        `import * as cp from 'node:child_process';
import { spawn } from 'node:child_process';
const real = process.getBuiltinModule('node:child_process');
const lost = Object.keys(real).filter((k) => typeof real[k] === 'function' && typeof (cp as any)[k] !== 'function');
process.stdout.write(JSON.stringify({ lost, spawn: typeof spawn }));`,
      );
      await build({
        entryPoints: [entry],
        outfile: join(dir, 'out.cjs'),
        bundle: true,
        format: 'cjs',
        platform: 'node',
        target: 'node20',
        logLevel: 'silent',
        alias: { 'node:child_process': join(ROOT, 'src', 'shims', 'child-process.cjs') },
      });
      const out = JSON.parse(execFileSync(process.execPath, [join(dir, 'out.cjs')], { encoding: 'utf8' }));
      expect(out).toEqual({ lost: [], spawn: 'function' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('import() (src/shims/import.ts): every package src/ loads late, loaded by the built CLI', () => {
  it('the packages src/ imports through it are the ones tested below', () => {
    const specifiers = new Set<string>();
    for (const f of srcFiles()) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/importPackage<[^;]*?>\(\s*(?:'([^']+)'|(\w+))\s*\)/g)) {
        const name = m[1] ?? new RegExp(`const ${m[2]}(?:: string)? = '([^']+)'`).exec(text)?.[1];
        specifiers.add(name ?? `unresolved ${m[2]}`);
      }
    }
    // The BibTeX parser is not among them: it runs in a worker thread that imports it itself
    // (issue 23.2), tested below through the built CLI as well.
    expect([...specifiers].sort()).toEqual(['cheerio', 'ora', 'undici']);
  });

  it('undici: a sync from the local server', async () => {
    const r = await runBuilt(['sync', '--date', '2025-03-17'], { env: env() });
    expect([r.exitCode, r.stderr]).toEqual([
      0,
      'synced 1 day: 2 papers (2 papers new to the archive, 0 updated), 0 failed\n',
    ]);
  });

  it('ora: the spinner of a sync in a terminal', async (ctx) => {
    requireProgram(ctx, SCRIPT);
    const r = await runBuilt(['sync', '--date', '2025-06-25', '--force'], {
      env: env({ PAPERS_HOME: tempHome() }),
      tty: { rows: 24, columns: 80 },
    });
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/[\u2800-\u28ff] syncing/);
    expect(r.stdout).toMatch(/synced 1 day/);
  });

  it('cheerio: a saved Daily Papers page imported (its data-props are entity-encoded)', async () => {
    const page = join(FIXTURES, 'papers-page.html');
    expect(readFileSync(page, 'utf8')).toContain('data-props="{&quot;');
    const r = await runBuilt(['import', page], { env: env({ PAPERS_HOME: tempHome() }) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/2024-08-01 \(from the page\), 2 papers \(2 new, 0 updated\)\nimported 1 of 1 file\n$/);
  });

  it('the BibTeX parser (in its worker thread, outside the shim): a library import', async () => {
    const h = tempHome();
    const bib = join(h, 'lib.bib');
    writeFileSync(bib, '@misc{k, title = {M\\"uller}, eprint = {2503.11002v2}}\n');
    const sync = await runBuilt(['sync', '--date', '2025-03-17'], { env: env({ PAPERS_HOME: h }) });
    expect(sync.exitCode, sync.stderr).toBe(0);
    const r = await runBuilt(['library', 'import', bib, '--json'], { env: env({ PAPERS_HOME: h }) });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('2503.11002');
  });
});

describe('undici (src/shims/undici.cjs, bundled as dist/undici.cjs)', () => {
  it('has every name src/http/client.ts takes from undici, of the same kind as undici’s own', () => {
    const client = src('http/client.ts');
    const picked = /Pick<typeof import\('undici'\), ([^>]+)>/
      .exec(client)![1]!
      .match(/'(\w+)'/g)!
      .map((s) => s.slice(1, -1));
    const interceptors = [...client.matchAll(/\.interceptors\.(\w+)/g)].map((m) => m[1]!);
    expect(picked.sort()).toEqual(['EnvHttpProxyAgent', 'interceptors']);
    const loader = JSON.stringify(join(ROOT, 'bin', 'load-bundle.js'));
    const probe = `const u = require(${loader}).load('undici').exports;
const real = require('undici');
const kinds = (m) => ({
  ${picked.map((p) => `${JSON.stringify(p)}: typeof m.${p}`).join(', ')},
  ${interceptors.map((i) => `${JSON.stringify(`interceptors.${i}`)}: typeof m.interceptors.${i}`).join(', ')},
  agent: ['request', 'compose', 'close', 'dispatch'].map((f) => typeof new m.EnvHttpProxyAgent({ httpProxy: '', httpsProxy: '', noProxy: '' })[f]),
});
process.stdout.write(JSON.stringify([kinds(u), kinds(real)]));
process.exit(0);`;
    const [bundled, real] = JSON.parse(execFileSync(process.execPath, ['-e', probe], { cwd: ROOT, encoding: 'utf8' }));
    expect(bundled).toEqual(real);
    expect(bundled.agent).toEqual(['function', 'function', 'function', 'function']);
    expect(existsSync(join(ROOT, 'dist', 'undici.cjs'))).toBe(true);
  });
});

describe('lazy builtins (src/shims/builtins.ts)', () => {
  it('each one, called by the built CLI', async () => {
    const names = [...src('shims/builtins.ts').matchAll(/^export const (\w+) =/gm)].map((m) => m[1]);
    expect(names.sort(), 'a new lazy builtin needs a run through the built CLI here').toEqual(['crypto', 'os']);
    const h = tempHome();
    expect((await runBuilt(['sync', '--date', '2025-03-17'], { env: env({ PAPERS_HOME: h }) })).exitCode).toBe(0);
    // crypto: the temporary file's name of an atomic write (src/render/file.ts).
    const out = join(h, 'day.md');
    const exp = await runBuilt(['export', '--date', '2025-03-17', '-o', out], { env: env({ PAPERS_HOME: h }) });
    expect(exp.exitCode, exp.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Open-Mill 1.0');
    // os: the home directory when HOME is unset (src/config.ts), with the archive named by PAPERS_DB.
    const st = await runBuilt(['status'], {
      env: { PATH: process.env.PATH, PAPERS_DB: join(h, 'papers.db'), HF_ENDPOINT: server.url },
    });
    expect(st.exitCode, st.stderr).toBe(0);
    expect(st.stdout).toContain('2025-03-17');
  });
});
