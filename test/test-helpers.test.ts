// The test helpers themselves: a fault (a stubbed answer) that no request meets is
// reported, as gh's httpmock.Verify reports stubs never called; a seed is replayable; the
// golden runner reads back what it writes and keeps a spinner's texts, not its frames.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startHfServer, testSeed } from './helpers/fixtures.js';
import { readGolden, spinnerTexts, transcript } from './helpers/golden.js';

describe('the local HF server', () => {
  it('reports faults no request met, and forgets them on reset', async () => {
    const server = await startHfServer(new Map());
    try {
      server.faults.push({ match: 'date=2025-01-01', kind: 'status', status: 503 });
      server.faults.push({ match: 'date=2025-01-02', kind: 'status', status: 503, optional: true });
      expect(server.unmet()).toEqual(['status for date=2025-01-01']);
      const res = await fetch(`${server.url}/api/daily_papers?date=2025-01-01`);
      expect(res.status).toBe(503);
      expect(server.unmet()).toEqual([]);
      server.reset();
      expect(server.faults).toEqual([]);
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('testSeed', () => {
  const saved = process.env.PAPERS_TEST_SEED;
  afterEach(() => {
    if (saved === undefined) delete process.env.PAPERS_TEST_SEED;
    else process.env.PAPERS_TEST_SEED = saved;
  });
  it('is the fallback unless PAPERS_TEST_SEED names another', () => {
    delete process.env.PAPERS_TEST_SEED;
    expect(testSeed(42)).toBe(42);
    process.env.PAPERS_TEST_SEED = '7';
    expect(testSeed(42)).toBe(7);
  });
});

describe('the golden runner', () => {
  it('reads a golden file back into its exit code, stdout and stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'papers-golden-'));
    const c = { name: 'x', argv: ['list', '-n', '1'] };
    const r = { exitCode: 2, stdout: 'a\n--- stderr\nb\n', stderr: 'error: c\n' };
    const file = join(dir, 'x.tty.txt');
    writeFileSync(file, transcript(c, r));
    expect(readGolden(file)).toEqual(r);
    expect(transcript(c, r).split('\n')[0]).toBe('$ papers list -n 1');
  });

  it('keeps a spinner as the texts it showed, however many frames it drew', () => {
    const frame = (glyph: string, text: string, clear = '') => `\x1b[?2026h\x1b[1G${clear}${glyph} ${text}\x1b[?2026l`;
    const fast = `\x1b[?25l${frame('⠋', 'syncing…')}${frame('⠙', 'syncing 1 day…', '\x1b[0K')}\x1b[1G\x1b[0Kdone\n\x1b[?25h`;
    const slow =
      `\x1b[?25l${frame('⠋', 'syncing…')}${frame('⠙', 'syncing…', '\x1b[0K')}${frame('⠹', 'syncing 1 day…', '\x1b[0K')}` +
      `${frame('⠸', 'syncing 1 day…', '\x1b[0K')}\x1b[1G\x1b[0Kdone\n\x1b[?25h`;
    expect(spinnerTexts(fast)).toBe('<spinner: syncing…><spinner: syncing 1 day…>done\n');
    expect(spinnerTexts(slow)).toBe(spinnerTexts(fast));
    expect(spinnerTexts('plain\n')).toBe('plain\n');
  });
});
