import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from './helpers/run-cli.js';

describe('smoke', () => {
  it('prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('reports an empty archive', async () => {
    const r = await runCli(['status', '--json'], { home: tempHome() });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ papers: 0, listings: 0, days: 0, firstDay: null, lastDay: null, lastSync: null, failedDays: [] });
  });
});
