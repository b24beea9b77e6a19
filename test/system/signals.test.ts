// Ctrl-C and SIGTERM reach a grep stuck inside one regular expression (issue 15.3): the built
// CLI as a real process, as a user's shell signals it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT_HELP } from '../../src/config.js';
import { ROOT, makeEntries } from '../helpers/fixtures.js';
import { requireBuild, spawnPapers, waitFor } from '../helpers/reliability.js';
import { syncOwn, tempHome } from '../helpers/run-cli.js';

describe('Ctrl-C stops a grep stuck in one regular expression', () => {
  /**
   * A grep process inside a match that never ends, sent `signal` once its first match is out.
   * The first paper printed matches at once; on the next title, 3^n ways to match its n
   * characters and then a Q that is not there: that match never ends on its own.
   */
  async function stuckGrep(signal: NodeJS.Signals) {
    requireBuild();
    const day = '2025-05-12';
    const entries = makeEntries(day, 3);
    entries[0]!.title = entries[0]!.paper.title = 'Sparse Attention Ends With Q';
    const home = tempHome();
    await syncOwn(home, day, entries);
    const p = spawnPapers(['grep', '^(.|.|.)*Q$', '--field', 'title'], { PAPERS_HOME: home });
    const killer = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
    // Once the first match is out, the process is inside the second title's match.
    await waitFor(() => p.stdout().includes('\n'), 'the first match');
    p.child.kill(signal);
    const r = await p.done;
    clearTimeout(killer);
    return r;
  }

  it('a catastrophically backtracking pattern is interrupted: one line, exit 130', async () => {
    const r = await stuckGrep('SIGINT');
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
    expect(r.stderr).toBe('interrupted by SIGINT\n');
    expect(r.stdout).toBe('2505.10000:title:1:Sparse Attention Ends With Q\n');
  }, 30_000);

  it('SIGTERM is honoured there too: the process ends, 143 as README and --help say (issues 15.3, 23.10)', async () => {
    const r = await stuckGrep('SIGTERM');
    expect({ code: r.code, signal: r.signal }).toEqual({ code: null, signal: 'SIGTERM' });
    // A shell sees 128 + 15: what README's table and --help promise.
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(/^\| 143 \| `grep` ended by SIGTERM/m);
    expect(EXIT_HELP).toMatch(/^ {2}143 {2}grep ended by SIGTERM/m);
  }, 30_000);
});
