// Every golden case through the built CLI (bin/papers.js, dist/ and its V8 code cache) as a
// real process, against the same test/golden/*.txt the in-process run writes
// (test/output-golden.test.ts): piped, stdout and stderr byte for byte; as a terminal, in a
// pseudo-terminal, where stdout and stderr are one screen: the two in the order written.
// A case that differs here and not in-process is a difference in what ships.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES } from '../golden/cases.js';
import { type GoldenWorld, MODES, goldenFile, readGolden, runThroughBin, startGoldenWorld } from '../helpers/golden.js';
import { SCRIPT, requireProgram } from '../helpers/system-tools.js';

let world: GoldenWorld;
beforeAll(async () => {
  world = await startGoldenWorld();
});
afterAll(() => world?.close());

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
        expect({ exitCode: got.exitCode, terminal: got.stdout + got.stderr }).toEqual({
          exitCode: want.exitCode,
          terminal: want.stdout + want.stderr,
        });
      }
    });
});
