// The built CLI as users run it: `bin/papers.js` in a child process, HF_ENDPOINT at a
// local server, a temp PAPERS_HOME. `npm test` builds first, so dist/ is current.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, fixtureDays, makeEntries, requestLog, startHfServer, useHfServer } from './helpers/fixtures.js';
import { tempHome } from './helpers/run-cli.js';

const run = promisify(execFile);
const BIN = join(ROOT, 'bin', 'papers.js');
const server = useHfServer(fixtureDays());

async function papers(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
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
  it('is built, and dist/ holds only what runs: the one bundle', () => {
    expect(existsSync(join(ROOT, 'dist', 'papers.cjs')), 'dist/papers.cjs is missing: run `npm run build`').toBe(true);
    expect(readdirSync(join(ROOT, 'dist'))).toEqual(['papers.cjs']);
  });

  it('syncs a day from a local server, then lists it offline, piped', async () => {
    const home = tempHome();
    const env = { PAPERS_HOME: home, HF_ENDPOINT: server.url };
    const sync = await papers(['sync', '--date', '2025-03-17'], env);
    expect(sync).toEqual({ stdout: '', stderr: 'synced 1 day: 2 papers (2 new, 0 updated), 0 failed\n', code: 0 });
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
