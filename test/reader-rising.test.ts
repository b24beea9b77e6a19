// `list --sort rising` shows the number it sorts by (issue 22.3): the growth and its window
// in the terminal's upvote column and meta line, two columns after the title when piped,
// and `growth`/`window` in JSON. Two imports of one day two hours apart make the history.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './helpers/run-cli.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'export', '2025-01-02.json');
const DAY = '2025-01-02';
const NOW = '2025-01-03T12:00:00Z';
let home = '';

beforeAll(async () => {
  home = tempHome();
  const first = await runCli(['import', '--date', DAY, FIXTURE], { home, now: '2025-01-03T08:00:00Z' });
  expect(first.exitCode, first.stderr).toBe(0);
  // Two hours later: 2501.00005 (10) gained 70, 2501.00001 (50) gained 30, the rest none.
  const entries = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { paper: { id: string; upvotes: number } }[];
  const gain: Record<string, number> = { '2501.00005': 70, '2501.00001': 30 };
  for (const e of entries) e.paper.upvotes += gain[e.paper.id] ?? 0;
  const later = join(home, 'later.json');
  writeFileSync(later, JSON.stringify(entries));
  const second = await runCli(['import', '--date', DAY, later], { home, now: '2025-01-03T10:00:00Z' });
  expect(second.exitCode, second.stderr).toBe(0);
});

describe('list --sort rising', () => {
  it('piped: the growth and the window as two columns after the title', async () => {
    const r = await runCli(['list', '--sort', 'rising', '--window', '1d'], { home, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(rows.map((c) => [c[0], c[2], c[4], c[5]])).toEqual([
      ['2501.00005', '80', '70', '1d'],
      ['2501.00001', '80', '30', '1d'],
    ]);
  });

  it('on a terminal: +growth in the upvote column, and the window and the count now on the meta line', async () => {
    const r = await runCli(['list', '--sort', 'rising', '--window', '1d'], {
      home,
      now: NOW,
      tty: true,
      columns: 80,
      env: { NO_COLOR: '1' },
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^\s+\+70 \S/);
    expect(lines[1]).toMatch(/^\s+\+70 upvotes in 1d \(▲80 now\) · /);
    expect(r.stdout).not.toMatch(/^\s+▲/m); // the current count is not in the sort column
    expect(r.stdout).toMatch(/^\s+\+30 \S/m);
  });

  it('JSON carries growth and window', async () => {
    const r = await runCli(['list', '--sort', 'rising', '--json'], { home, now: NOW });
    const j = JSON.parse(r.stdout) as { id: string; upvotes: number; growth: number; window: string }[];
    expect(j.map((p) => [p.id, p.upvotes, p.growth, p.window])).toEqual([
      ['2501.00005', 80, 70, '3d'],
      ['2501.00001', 80, 30, '3d'],
    ]);
  });
});
