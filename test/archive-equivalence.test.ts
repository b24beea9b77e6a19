// The archive that real days make, pinned (issue 21): every real HF day, the real whole-day
// arXiv announcement and a real OAI-PMH harvest, synced through the CLI with a fixed clock;
// each table is reduced to its row count and a digest, compared with the file beside the
// goldens. A refactor of the sync side must leave these unchanged. The one intended change
// is the name of the HF source in the archive (`hf-daily` before migration m009, `hf`
// after), which the dump spells as `hf` either way. Run logs (sync_runs) are not compared:
// they record how a run went, not what the archive holds.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readArxivSample, startArxivServer, type Answer, type Seen } from './helpers/arxiv.js';
import { ROOT, SHARED_DAILY, openArchive, useHfServer, type Entry } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const SINCE = '2024-05-27';
const UNTIL = '2025-06-30';
const NOW = '2025-07-15T12:00:00Z';
const WHOLE_DAY = readArxivSample('rss/all-archives_2024-11-28_whole-day.xml');
const OAI_FIRST = readArxivSample('oai/oai2-2014-01-16_ListRecords_arXivRaw_1000rec_2104191.xml');
const OAI_LAST = readFileSync(join(ROOT, 'fixtures', 'arxiv', 'oai-arXivRaw-last-page.xml'), 'utf8');

const days = new Map<string, Entry[]>();
const hf = useHfServer(days);
let arxiv: Awaited<ReturnType<typeof startArxivServer>>;

function route(req: Seen): Answer {
  if (req.path.startsWith('/rss/')) return { headers: { 'content-type': 'application/rss+xml' }, body: WHOLE_DAY };
  if (req.path === '/oai') return { body: req.query.resumptionToken ? OAI_LAST : OAI_FIRST };
  return { status: 404, body: 'not here' };
}

beforeAll(async () => {
  if (!existsSync(SHARED_DAILY)) throw new Error(`the real samples are missing: ${SHARED_DAILY}`);
  for (const f of readdirSync(SHARED_DAILY).sort()) {
    const m = /^(\d{4}-\d{2}-\d{2})\.json$/.exec(f);
    if (m) days.set(m[1]!, JSON.parse(readFileSync(join(SHARED_DAILY, f), 'utf8')) as Entry[]);
  }
  arxiv = await startArxivServer(route);
});
afterAll(() => arxiv.close());

/** What each table holds, in a stable order, with the HF source spelled one way. */
const TABLES: Record<string, string> = {
  papers: 'SELECT * FROM papers ORDER BY id',
  listings: 'SELECT * FROM listings ORDER BY source, day, paper_id',
  sync_days: 'SELECT * FROM sync_days ORDER BY source, day',
  feed_state: 'SELECT * FROM feed_state ORDER BY source',
  harvests: 'SELECT * FROM harvests ORDER BY source',
  harvest_records: 'SELECT * FROM harvest_records ORDER BY source, paper_id',
};

function digest(path: string): Record<string, { rows: number; sha256: string }> {
  const db = openArchive(path);
  try {
    const out: Record<string, { rows: number; sha256: string }> = {};
    for (const [table, sql] of Object.entries(TABLES)) {
      const rows = db.prepare(sql).all() as Record<string, unknown>[];
      const hash = createHash('sha256');
      for (const row of rows) {
        if (row.source === 'hf-daily') row.source = 'hf';
        hash.update(`${JSON.stringify(row)}\n`);
      }
      out[table] = { rows: rows.length, sha256: hash.digest('hex') };
    }
    return out;
  } finally {
    db.close();
  }
}

describe('the archive real days make', () => {
  it('HF days, an arXiv announcement and an OAI-PMH harvest hold exactly what they held', async () => {
    const home = tempHome();
    const env = { HF_ENDPOINT: hf.url, ARXIV_ENDPOINT: arxiv.url, PAPERS_ARXIV_DELAY_MS: '0' };
    const run = (argv: string[]) => runCli(argv, { home, env, now: NOW });
    const steps = [
      await run(['sync', '--since', SINCE, '--until', UNTIL, '-q']),
      await run(['sync', '--source', 'arxiv:cs', '-q']),
      await run(['sync', '--source', 'arxiv:quant-ph', '--since', '2008-01-25', '-q']),
    ];
    expect(steps.map((s) => [s.exitCode, s.stderr])).toEqual(steps.map(() => [0, '']));
    const got = digest(join(home, 'papers.db'));
    expect(got.papers!.rows).toBeGreaterThan(3724);
    await expect(`${JSON.stringify(got, null, 2)}\n`).toMatchFileSnapshot('golden/archive-equivalence.json');
  }, 180_000);
});
