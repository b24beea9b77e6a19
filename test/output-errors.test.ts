// Output errors are errors, not crashes (issue 15.8): `papers list > /dev/full` prints one
// `error:` line and exits 1, without a stack; a reader that goes away (EPIPE) stays quiet.
// The built CLI in a child process whose stdout is /dev/full, as a shell redirect makes it.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli.js';
import { ROOT, fixturePath } from './helpers/fixtures.js';
import { requireBuild } from './helpers/reliability.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const BIN = join(ROOT, 'bin', 'papers.js');
const HAS_FULL = existsSync('/dev/full');
let home = '';

beforeAll(async () => {
  requireBuild();
  home = tempHome();
  const r = await runCli(['import', fixturePath('2024-06-13.json'), fixturePath('2025-03-17.json')], {
    home,
    now: '2025-06-26T09:00:00Z',
  });
  expect(r.exitCode, r.stderr).toBe(0);
});

function papersTo(stdoutFd: number | 'pipe', args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: home, PAPERS_HOME: home, TZ: 'UTC' },
    stdio: ['ignore', stdoutFd, 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

const FULL_ERROR =
  'error: cannot write to standard output: no space left on the device\nhint: free some space, or write elsewhere\n';

describe.runIf(HAS_FULL)('a full disk on stdout (> /dev/full)', () => {
  it.each([[['list']], [['list', '--json']], [['export', '--format', 'json']], [['status']], [['show', '2503.11002']]])(
    'papers %j: one error line, exit 1, no stack',
    async (args) => {
      const fd = openSync('/dev/full', 'w');
      try {
        expect(await papersTo(fd, args)).toEqual({ code: 1, stderr: FULL_ERROR });
      } finally {
        closeSync(fd);
      }
    },
  );

  it('export -o /dev/full names the file', async () => {
    const r = await papersTo('pipe', ['export', '-o', '/dev/full']);
    expect(r).toEqual({ code: 1, stderr: 'error: cannot write /dev/full: no space left on the device\n' });
  });
});

describe('a write that throws as it is made (in-process)', () => {
  it('is the same one error line, exit 1', async () => {
    let err = '';
    const stdout = {
      isTTY: false,
      write() {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
          code: 'ENOSPC',
          syscall: 'write',
          errno: -28,
        });
      },
    };
    const stderr = {
      isTTY: false,
      write: (s: string) => {
        err += s;
        return true;
      },
    };
    const code = await run(['list'], { env: { PAPERS_HOME: home, PATH: process.env.PATH }, stdout, stderr } as never);
    expect({ code, err }).toEqual({ code: 1, err: FULL_ERROR });
  });
});
