// Every golden case through the built CLI (bin/papers.js, dist/ and its V8 code cache) as a
// real process, against the same test/golden/*.txt the in-process run writes
// (test/output-golden.test.ts): piped, stdout and stderr byte for byte; as a terminal, in a
// pseudo-terminal, where stdout and stderr are one screen: the two in the order written.
// A case that differs here and not in-process is a difference in what ships.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES } from '../golden/cases.js';
import {
  GOLDEN_NOW,
  type GoldenWorld,
  MODES,
  goldenFile,
  readGolden,
  runThroughBin,
  startGoldenWorld,
} from '../helpers/golden.js';
import { ROOT } from '../helpers/fixtures.js';
import { SCRIPT, requireProgram } from '../helpers/system-tools.js';

let world: GoldenWorld;
beforeAll(async () => {
  world = await startGoldenWorld();
});
afterAll(() => world?.close());

it('runs the bundle from its code cache, fixed clock and all', () => {
  // The runs below are node --require fixed-clock.cjs bin/papers.js: the preload must not
  // cost the bundle its cache (V8 refuses one made under other flags).
  const probe = `process.stdout.write(require(${JSON.stringify(join(ROOT, 'bin', 'load-bundle.js'))}).loadBundle().cache)`;
  const out = execFileSync(
    process.execPath,
    ['--require', join(ROOT, 'test', 'helpers', 'fixed-clock.cjs'), '-e', probe],
    { encoding: 'utf8', env: { PATH: process.env.PATH, PAPERS_TEST_NOW: GOLDEN_NOW } },
  );
  expect(out).toBe('used');
});

const SPINNER = /<spinner: ([^>]*)>/g;

describe.each(MODES)('the built CLI, %s', (mode) => {
  for (const c of CASES)
    it(c.name, async (ctx) => {
      if (mode === 'tty') requireProgram(ctx, SCRIPT);
      const file = goldenFile(c, mode);
      expect(existsSync(file), `${file} is missing: npx vitest run -u test/output-golden.test.ts`).toBe(true);
      const want = readGolden(file);
      const got = await runThroughBin(c, mode, world);
      if (mode === 'piped') {
        expect(got).toEqual(want);
      } else {
        // A spinner frame is drawn on ora's timer, so where it falls among the lines printed
        // meanwhile depends on timing: the lines must be equal, and the spinner must have
        // shown its texts in the golden's order (a text replaced before its frame may be missed).
        const spinners = (s: string) => [...s.matchAll(SPINNER)].map((m) => m[1]!);
        const lines = (s: string) => s.replace(SPINNER, '');
        const terminal = { got: got.stdout + got.stderr, want: want.stdout + want.stderr };
        expect({ exitCode: got.exitCode, terminal: lines(terminal.got) }).toEqual({
          exitCode: want.exitCode,
          terminal: lines(terminal.want),
        });
        const shown = spinners(terminal.got);
        const expected = spinners(terminal.want);
        expect(shown.length > 0).toBe(expected.length > 0);
        expect(expected.filter((t) => shown.includes(t))).toEqual(shown);
      }
    });
});
