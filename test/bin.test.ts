// The built CLI as users run it: `bin/papers.js` in a child process, HF_ENDPOINT at a
// local server, a temp PAPERS_HOME. `npm test` builds first, so dist/ is current.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { createRequire } from 'node:module';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, fixtureDays, makeEntries, requestLog, startHfServer, useHfServer } from './helpers/fixtures.js';
import { tempHome } from './helpers/run-cli.js';

const run = promisify(execFile);
const BIN = join(ROOT, 'bin', 'papers.js');
const server = useHfServer(fixtureDays());

async function papers(args: string[], env: Record<string, string>, bin = BIN) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: tempHome(), ...env },
      timeout: 30_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('bin/papers.js', () => {
  it('is built, and dist/ holds only what runs: the CLI bundle, undici bundled, their V8 code caches, the PDF reader', () => {
    expect(existsSync(join(ROOT, 'dist', 'papers.cjs')), 'dist/papers.cjs is missing: run `npm run build`').toBe(true);
    expect(readdirSync(join(ROOT, 'dist')).sort()).toEqual([
      'papers.cache',
      'papers.cjs',
      'pdf-worker.mjs',
      'undici.cache',
      'undici.cjs',
    ]);
  });

  it('starts from the code cache the build made, and V8 takes it', () => {
    const out = spawnSync(
      process.execPath,
      [
        '-e',
        `process.stdout.write(require(${JSON.stringify(join(ROOT, 'bin', 'load-bundle.js'))}).loadBundle().cache)`,
      ],
      { encoding: 'utf8' },
    );
    expect(out.stdout).toBe('used');
  });

  it('a sync loads undici from its bundle in dist/, and V8 takes that cache too', async () => {
    // The CLI's own path: src/http/client.ts sets its V8 flag, then imports undici through
    // the loader; the request goes to the local server and the day is saved.
    const home = tempHome();
    const loader = JSON.stringify(join(ROOT, 'bin', 'load-bundle.js'));
    const script = `const l = require(${loader});
l.loadBundle().exports.run(['sync', '--date', '2025-03-17'], { env: { PAPERS_HOME: ${JSON.stringify(home)}, HF_ENDPOINT: ${JSON.stringify(server.url)} }, stdout: process.stderr, stderr: process.stderr })
  .then((code) => process.stdout.write(JSON.stringify({ code, undici: l.loaded.get('undici')?.cache })));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(JSON.parse(stdout)).toEqual({ code: 0, undici: 'used' });
    expect(requestLog(server)).toContain('api 2025-03-17 limit=100 p=0');
  });

  it('follows a redirect to another origin through the bundled undici, without the token', async () => {
    // A mirror that moved: 127.0.0.1 answers 301 to the fixture server under "localhost", a
    // different origin, which must not see HF_TOKEN (undici's redirect drops authorization).
    const seen: { url: string; auth: string | undefined }[] = [];
    const target = new URL(server.url);
    const mirror = createServer((req, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      res.writeHead(301, { location: `http://localhost:${target.port}${req.url}` }).end();
    });
    await new Promise<void>((resolve) => mirror.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = mirror.address() as AddressInfo;
      const env = { PAPERS_HOME: tempHome(), HF_ENDPOINT: `http://127.0.0.1:${port}`, HF_TOKEN: 'hf_secret' };
      const sync = await papers(['sync', '--date', '2025-03-17'], env);
      expect(sync).toEqual({
        stdout: '',
        stderr: 'synced 1 day: 2 papers (2 papers new to the archive, 0 updated), 0 failed\n',
        code: 0,
      });
      expect(seen).toEqual([{ url: '/api/daily_papers?date=2025-03-17&limit=100&p=0', auth: 'Bearer hf_secret' }]);
      expect(server.requests.at(-1)?.headers.authorization).toBeUndefined();
    } finally {
      mirror.close();
    }
  });

  it('a copy keeps its cache (npm rewrites mtimes); a changed bundle never uses it, and runs the same', async () => {
    // A copy of bin/ and dist/ beside node_modules, as an install has them: new mtimes.
    const dir = mkdtempSync(join(ROOT, 'node_modules', '.cache-papers-bin-'));
    try {
      cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
      cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true });
      const later = new Date(statSync(join(dir, 'dist', 'papers.cjs')).mtimeMs + 60_000);
      utimesSync(join(dir, 'dist', 'papers.cjs'), later, later);
      const loader = join(dir, 'bin', 'load-bundle.js');
      const cacheState = () =>
        spawnSync(
          process.execPath,
          ['-e', `process.stdout.write(require(${JSON.stringify(loader)}).loadBundle().cache)`],
          {
            encoding: 'utf8',
          },
        ).stdout;
      expect(cacheState()).toBe('used');
      // The bundle rebuilt or edited after the cache was made: its bytes no longer match,
      // whether its length changed (which V8 would notice) or not (which V8 would not).
      const bundle = join(dir, 'dist', 'papers.cjs');
      const built = readFileSync(bundle, 'utf8');
      const at = built.indexOf('papers');
      writeFileSync(bundle, `${built.slice(0, at)}Papers${built.slice(at + 6)}`);
      expect(cacheState()).toBe('none');
      writeFileSync(bundle, `${built}// edited\n`);
      expect(cacheState()).toBe('none');
      // A cache V8 refuses (here: bytes that are not one), in a file made for this bundle.
      const cache = join(dir, 'dist', 'papers.cache');
      const { cacheFile } = createRequire(import.meta.url)(loader) as {
        cacheFile: (bytes: Buffer, data: Buffer) => Buffer;
      };
      writeFileSync(cache, cacheFile(readFileSync(bundle), Buffer.alloc(4096, 7)));
      expect(cacheState()).toBe('rejected');
      const env = { PAPERS_HOME: tempHome(), HF_ENDPOINT: server.url };
      const bin = join(dir, 'bin', 'papers.js');
      const sync = await papers(['sync', '--date', '2025-03-17'], env, bin);
      expect(sync.stderr).toBe('synced 1 day: 2 papers (2 papers new to the archive, 0 updated), 0 failed\n');
      const list = await papers(['list'], env, bin);
      expect(list.code).toBe(0);
      expect(list.stdout).toBe((await papers(['list'], env)).stdout);
      expect(list.stdout.split('\n').filter(Boolean)).toHaveLength(2);
      // Without the undici bundle, the loader imports undici from node_modules, as import() would.
      rmSync(join(dir, 'dist', 'undici.cjs'));
      rmSync(join(dir, 'dist', 'undici.cache'));
      const again = await papers(['sync', '--date', '2025-03-17', '--force'], env, bin);
      expect(again).toEqual({
        stdout: '',
        stderr: 'synced 1 day: 2 papers (0 papers new to the archive, 0 updated), 0 failed\n',
        code: 0,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('goes through HTTP_PROXY with the bundled undici (a CONNECT tunnel)', async () => {
    const tunnels: string[] = [];
    const proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, client, head) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      const target = new URL(server.url);
      const env = { PAPERS_HOME: tempHome(), HF_ENDPOINT: server.url, HTTP_PROXY: `http://127.0.0.1:${port}` };
      const sync = await papers(['sync', '--date', '2025-03-17'], env);
      expect(sync).toEqual({
        stdout: '',
        stderr: 'synced 1 day: 2 papers (2 papers new to the archive, 0 updated), 0 failed\n',
        code: 0,
      });
      expect(tunnels).toEqual([`${target.hostname}:${target.port}`]);
    } finally {
      proxy.close();
    }
  });

  it('a read command loads no builtin it does not use (node:crypto, node:os, node:module)', async () => {
    // Each is 0.5 to 2 ms of every start; they are loaded on first use (src/shims/builtins.ts).
    const home = tempHome();
    expect((await papers(['sync', '--date', '2025-03-17'], { PAPERS_HOME: home, HF_ENDPOINT: server.url })).code).toBe(
      0,
    );
    const probe = join(home, 'modules.cjs');
    writeFileSync(
      probe,
      "process.on('exit', () => require('node:fs').writeSync(2, JSON.stringify(process.moduleLoadList)));\n",
    );
    const { stderr } = await run(process.execPath, ['--require', probe, BIN, 'list'], {
      env: { PATH: process.env.PATH ?? '', HOME: home, PAPERS_HOME: home },
    });
    const loaded = JSON.parse(stderr) as string[];
    expect(loaded).toContain('NativeModule vm');
    for (const m of ['crypto', 'os', 'module']) expect(loaded).not.toContain(`NativeModule ${m}`);
  });

  it('loads packages on first use from inside the cached bundle (import() is handed in by the loader)', async () => {
    // Node 20 refuses a bare import() in vm-compiled code: the BibTeX parser (an ES module)
    // and undici are both loaded through src/shims/import.ts.
    const home = tempHome();
    const env = { PAPERS_HOME: home, HF_ENDPOINT: server.url };
    expect((await papers(['sync', '--date', '2025-03-17'], env)).code).toBe(0);
    const bib = join(home, 'lib.bib');
    writeFileSync(bib, '@misc{k, title = {M\\"uller}, eprint = {2401.04088v2}}\n');
    const r = await papers(['library', 'import', bib, '--json'], env);
    expect(r.stderr).not.toMatch(/ERR_VM|experimental|import\(\)/i);
    expect(r.stdout).toContain('2401.04088');
  });

  it('syncs a day from a local server, then lists it offline, piped', async () => {
    const home = tempHome();
    const env = { PAPERS_HOME: home, HF_ENDPOINT: server.url };
    const sync = await papers(['sync', '--date', '2025-03-17'], env);
    expect(sync).toEqual({
      stdout: '',
      stderr: 'synced 1 day: 2 papers (2 papers new to the archive, 0 updated), 0 failed\n',
      code: 0,
    });
    expect(requestLog(server)).toEqual(['api 2025-03-17 limit=100 p=0']);
    expect(existsSync(join(home, 'papers.db'))).toBe(true);

    const today = await papers(['today', '--date', '2025-03-17', '--offline'], env);
    expect(today).toEqual({
      stdout:
        '2503.11002\t2025-03-17\t57\tOpen-Mill 1.0: Training a Commercial-Grade Video Model for $150k\n' +
        '2503.10515\t2025-03-17\t12\tAgents That Ask: Clarifying Questions for Web Tasks\n',
      stderr: '',
      code: 0,
    });
  });

  it('--version, and exit 2 with one error line for a bad date', async () => {
    const v = await papers(['--version'], {});
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const bad = await papers(['sync', '--date', '2024-02-30'], { PAPERS_HOME: tempHome(), HF_ENDPOINT: server.url });
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe('error: invalid --date: "2024-02-30"');
    expect(bad.stderr).not.toMatch(/^\s+at /m);
  });

  it('a reader that goes away (`| head -1`) ends every output command quietly, exit 0', async () => {
    // 400 papers: far more than a pipe buffer holds, so papers is blocked writing when the
    // reader goes away (an export waiting for 'drain' used to end as an internal error).
    const big = await startHfServer(new Map([['2025-05-05', makeEntries('2025-05-05', 400)]]));
    try {
      const env = { PAPERS_HOME: tempHome(), HF_ENDPOINT: big.url };
      expect((await papers(['sync', '--date', '2025-05-05'], env)).code).toBe(0);
      for (const args of [
        ['export'],
        ['export', '--format', 'ndjson'],
        ['list', '--abstract'],
        ['search', 'generated'],
      ]) {
        const child = spawn(process.execPath, [BIN, ...args], {
          env: { PATH: process.env.PATH ?? '', HOME: tempHome(), ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
        child.stdout.once('data', () => child.stdout.destroy());
        const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
        expect({ args: args.join(' '), code, stderr }).toEqual({ args: args.join(' '), code: 0, stderr: '' });
      }
      // -o /dev/stdout through a real shell pipe (node's own stdio pipes are sockets, which
      // /dev/stdout cannot reopen): the same quiet end.
      const sh = spawnSync(
        'bash',
        [
          '-c',
          `set -o pipefail; "${process.execPath}" "${BIN}" export --format json -o /dev/stdout | head -c 10 >/dev/null`,
        ],
        {
          env: { PATH: process.env.PATH ?? '', HOME: tempHome(), ...env },
          encoding: 'utf8',
        },
      );
      expect({ status: sh.status, stderr: sh.stderr }).toEqual({ status: 0, stderr: '' });
    } finally {
      await big.close();
    }
  });
});
