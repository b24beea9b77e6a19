// The benchmark's floors do the work of the code they bound: on the real captured days, the
// sync floor writes the values `papers sync` writes, and the read floors print what `list`,
// `search`, `list -k` and `export --format ndjson` print. When a command changes what it
// runs or prints, this fails, and the floor must follow (bench/run.mjs checks it too). The
// SQL itself is compared too: each floor and the built CLI (bin/papers.js) run once with every
// statement traced (bench/lib/sql-trace.mjs), and must run the same statements.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../src/db/open.js';
import { quoteFts } from '../src/core/query.js';
import { ROOT, SHARED_DAILY, query, startHfServer, type Entry, type HfServer } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';
// @ts-ignore: a plain ESM bench helper
import { OPEN_DB, SYNC, compareTraces, describeComparison, traceProcess } from '../bench/lib/sql-trace.mjs';

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

describe('bench floors run the SQL papers runs (traced)', () => {
  const BIN = join(ROOT, 'bin', 'papers.js');
  const env = () => ({ ...process.env, PAPERS_HOME: home, NO_COLOR: '1', NODE_OPTIONS: '' });
  const trace = (args: string[], extra = {}) => traceProcess(process.execPath, args, { env: { ...env(), ...extra } });
  const compare = async (ours: string[], theirs: string[], omitted = OPEN_DB) => {
    const a = await trace([BIN, '--db', db(), ...ours]);
    const b = await trace(theirs);
    const c = compareTraces(a.statements, b.statements, omitted);
    return { c, text: [describeComparison(c).head, ...describeComparison(c).lines].join('\n') };
  };

  it('list, search (a topic and a title phrase), list -k and export: the same statements', async () => {
    const cases: [string[], string[]][] = [
      [['list', '--limit', '20'], ['list']],
      [
        ['search', 'diffusion'],
        ['search', quoteFts('diffusion')!, 'diffusion'],
      ],
      [
        ['search', 'large language models'],
        ['search', quoteFts('large language models')!, 'large language models'],
      ],
      [
        ['list', '-k', 'agent', '--since', '2024-06-01', '--min-upvotes', '5', '--limit', '20'],
        ['klist', 'agent', '2024-06-01', '5'],
      ],
    ];
    for (const [ours, floorArgs] of cases) {
      const { c, text } = await compare(ours, [join(BENCH, 'floor-query.cjs'), db(), ...floorArgs]);
      expect(c.same, text).toBe(true);
      expect(c.floorExecuted).toBeGreaterThan(2);
    }
    const dir = tempHome();
    const { c, text } = await compare(
      ['export', '--format', 'ndjson', '-o', join(dir, 'a.ndjson')],
      [join(BENCH, 'floor-export.cjs'), db(), join(dir, 'b.ndjson')],
    );
    expect(c.same, text).toBe(true);
  });

  it('a floor with an older select fails the check', async () => {
    // floor-query.cjs as it was before issue 20: PAPER_SELECT without gone_days and listings.
    const src = readFileSync(join(BENCH, 'floor-query.cjs'), 'utf8');
    const stale = src.replace(
      /,\n\s*\(SELECT group_concat\(day, ','\) FROM \(SELECT DISTINCT day FROM listings WHERE paper_id = p\.id AND gone_at[\s\S]*?AS listings`/,
      '`',
    );
    expect(stale).not.toBe(src);
    // Beside the real one, so that it finds the compiled helpers it requires.
    const path = join(BENCH, `.cache/floor-query-stale-${process.pid}.cjs`);
    writeFileSync(path, stale.replace("require('./.cache/modules/text.cjs')", "require('./modules/text.cjs')"));
    let c;
    try {
      ({ c } = await compare(['list', '--limit', '20'], [path, db(), 'list']));
    } finally {
      rmSync(path, { force: true });
    }
    expect(c.same).toBe(false);
    expect(c.onlyOurs.map((d: { sql: string }) => d.sql).join('\n')).toContain('AS gone_days');
  });

  it('floor-sync.cjs: the write statements of a real sync of one day', async () => {
    const day = readdirSync(SHARED_DAILY)
      .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
      .sort()
      .at(-1)!;
    const dir = tempHome();
    mkdirSync(join(dir, 'days'));
    symlinkSync(join(SHARED_DAILY, day), join(dir, 'days', day));
    openDb(join(dir, 'sync.db')).close();
    openDb(join(dir, 'floor.db')).close();
    const d = day.slice(0, 10);
    const a = await trace([BIN, '--db', join(dir, 'sync.db'), 'sync', '--since', d, '--until', d], {
      HF_ENDPOINT: server.url,
    });
    const b = await trace([join(BENCH, 'floor-sync.cjs'), join(dir, 'days'), join(dir, 'floor.db')]);
    const c = compareTraces(a.statements, b.statements, SYNC);
    expect(c.same, describeComparison(c).lines.join('\n')).toBe(true);
    // The writes are compared, not left out: a paper and a listing per entry, the day's record.
    const n = JSON.parse(readFileSync(join(SHARED_DAILY, day), 'utf8')).length;
    expect(b.statements.filter((x: string) => x.startsWith('INSERT INTO papers ')).length).toBe(n);
    expect(b.statements.filter((x: string) => x.startsWith('INSERT INTO listings ')).length).toBe(n);
  });
});
