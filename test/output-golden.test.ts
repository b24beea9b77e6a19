// Exact output of every command, as a terminal sees it and as a pipe does (gh's heredoc
// tests of TTY and non-TTY output), in-process: the cases are test/golden/cases.ts, the
// runner test/helpers/golden.ts. A change to any layout shows here as a diff of
// test/golden/*.txt (update deliberately with `npx vitest run -u test/output-golden.test.ts`).
// test/system/golden-built.test.ts runs the same cases through the built CLI against the
// same files.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES } from './golden/cases.js';
import { type GoldenWorld, MODES, goldenFile, runInProcess, startGoldenWorld, transcript } from './helpers/golden.js';

let world: GoldenWorld;
beforeAll(async () => {
  world = await startGoldenWorld();
});
afterAll(() => world?.close());

describe.each(MODES)('exact output, %s', (mode) => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const r = await runInProcess(c, mode, world);
    await expect(transcript(c, r)).toMatchFileSnapshot(goldenFile(c, mode));
  });
});
