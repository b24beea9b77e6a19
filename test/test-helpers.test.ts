// The test helpers themselves: a fault (a stubbed answer) that no request meets is
// reported, as gh's httpmock.Verify reports stubs never called; a seed is replayable.
import { afterEach, describe, expect, it } from 'vitest';
import { startHfServer, testSeed } from './helpers/fixtures.js';

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
