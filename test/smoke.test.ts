import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from './helpers/run-cli.js';

describe('smoke', () => {
  it('prints the version', async () => {
    const r = await runCli(['--version']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('reports an empty archive, and no archive where there is none', async () => {
    const home = tempHome();
    const missing = await runCli(['status', '--json'], { home });
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(
      /^error: no archive at .*papers\.db\nhint: `papers sync` creates it; or check --db and PAPERS_DB\n$/,
    );
    expect((await runCli(['today', '--offline'], { home })).exitCode).toBe(0);
    const r = await runCli(['status', '--json'], { home });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      papers: 0,
      listings: 0,
      days: 0,
      firstDay: null,
      lastDay: null,
      lastSync: null,
      failedDays: [],
    });
  });
});

describe('help', () => {
  it('papers --help: commands, environment and exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.exitCode).toBe(0);
    for (const s of [
      'today',
      'sync',
      'import',
      'status',
      'Examples:',
      'HF_ENDPOINT',
      'HF_TOKEN',
      'PAPERS_HOME',
      'Exit status:',
    ])
      expect(r.stdout).toContain(s);
  });

  it.each(['today', 'sync', 'import', 'status'])('papers %s --help has an Examples block', async (cmd) => {
    const r = await runCli([cmd, '--help']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: papers ${cmd} `));
    expect(r.stdout).toMatch(/\nExamples:\n {2}papers /);
    expect(r.stderr).toBe('');
  });
});
