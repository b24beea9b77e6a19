// The benchmark's floors do the work of the code they bound: on the real captured days, the
// sync floor writes the values `papers sync` writes, and the read floors print what `list`,
// `search`, `list -k` and `export --format ndjson` print. When a command changes what it
// runs or prints, this fails, and the floor must follow (bench/run.mjs checks it too).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/db/open.js';
import { quoteFts } from '../src/core/query.js';
import { ROOT, SHARED_DAILY, query, startHfServer, type Entry, type HfServer } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const BENCH = join(ROOT, 'bench');
let server: HfServer;
let home: string;
const db = () => join(home, 'papers.db');
const floor = (script: string, ...args: string[]) =>
  execFileSync(process.execPath, [join(BENCH, script), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

beforeAll(async () => {
  // The floors require the compiled helpers the benchmark builds (bench/lib/modules.mjs).
  // @ts-ignore: a plain ESM bench helper
  await import('../bench/lib/modules.mjs');
  if (!existsSync(SHARED_DAILY)) throw new Error(`the real samples are missing: ${SHARED_DAILY}`);
  const days = new Map<string, Entry[]>();
  for (const f of readdirSync(SHARED_DAILY))
    if (/^\d{4}-\d{2}-\d{2}\.json$/.test(f))
      days.set(f.slice(0, 10), JSON.parse(readFileSync(join(SHARED_DAILY, f), 'utf8')));
  server = await startHfServer(days, { noHtml: true });
  home = tempHome();
  const [first, last] = [[...days.keys()].sort()[0]!, [...days.keys()].sort().at(-1)!];
  const r = await runCli(['sync', '--since', first, '--until', last], {
    home,
    now: '2025-07-15T12:00:00Z',
    env: { HF_ENDPOINT: server.url },
  });
  expect(r.exitCode).toBe(0);
});
afterAll(() => server?.close());

describe('bench floors', () => {
  it('floor-sync.cjs writes the papers, listings and days papers sync wrote', () => {
    const path = join(tempHome(), 'floor.db');
    openDb(path).close();
    floor('floor-sync.cjs', SHARED_DAILY, path);
    const values = `id, title, abstract, authors, authors_key, published_at, upvotes, comments, ai_summary, ai_keywords, github_repo,
      github_stars, project_page, organization, submitter, source, source_day, raw`;
    for (const sql of [
      `SELECT ${values} FROM papers ORDER BY id`,
      'SELECT source, day, paper_id, rank FROM listings ORDER BY source, day, paper_id',
      'SELECT source, day, outcome, entries FROM sync_days ORDER BY source, day',
    ]) {
      expect(query(path, sql)).toEqual(query(db(), sql));
    }
  });

  it('floor-query.cjs prints what list, search and list -k print', async () => {
    const out = async (argv: string[]) => (await runCli(argv, { home })).stdout;
    expect(floor('floor-query.cjs', db(), 'list')).toBe(await out(['list', '--limit', '20']));
    for (const q of ['language model', 'diffusion', 'video generation']) {
      expect(floor('floor-query.cjs', db(), 'search', quoteFts(q)!, q)).toBe(await out(['search', q]));
    }
    for (const [k, since, min] of [
      ['agent', '2024-06-01', '5'],
      ['diffusion', '2025-01-01', '10'],
    ] as const) {
      expect(floor('floor-query.cjs', db(), 'klist', k, since, min)).toBe(
        await out(['list', '-k', k, '--since', since, '--min-upvotes', min, '--limit', '20']),
      );
    }
  });

  it('floor-export.cjs writes the file export --format ndjson writes', async () => {
    const dir = tempHome();
    const r = await runCli(['export', '--format', 'ndjson', '-o', join(dir, 'export.ndjson')], { home });
    expect(r.exitCode).toBe(0);
    floor('floor-export.cjs', db(), join(dir, 'floor.ndjson'));
    expect(readFileSync(join(dir, 'floor.ndjson'), 'utf8')).toBe(readFileSync(join(dir, 'export.ndjson'), 'utf8'));
  });
});
