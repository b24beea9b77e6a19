// The floor check: a floor bounds the code only while it runs the code's SQL. Both sides run
// once, untimed, under trace-sql.cjs (better-sqlite3's `verbose`: every statement executed,
// parameters expanded), and their statements are compared, normalised, as multisets: the
// floor must execute every statement papers executes, as many times, and nothing else,
// except what `omitted` names (what the floor deliberately leaves out, with the reason the
// table prints). A floor written from an older select (issue 20: no `gone_days`, no
// `listings`) then fails the run instead of being measured.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './measure.mjs';

export const TRACE_PRELOAD = fileURLToPath(new URL('./trace-sql.cjs', import.meta.url));

/**
 * SQL as compared: runs of white space as one space, none inside parentheses, no `;`, and
 * the clock's values (ISO instants) as `<now>`: two processes never run at the same instant.
 */
export function normaliseSql(sql) {
  return sql
    .replace(/'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z'/g, "'<now>'")
    .replace(/\s+/g, ' ')
    .replace(/\(\s+/g, '(')
    .replace(/\s+\)/g, ')')
    .replace(/\s*;\s*$/, '')
    .trim();
}

/**
 * Runs `node -r trace-sql.cjs ...args` to completion. Resolves { statements, stdout, code,
 * stderr }: the normalised statements in the order executed (every connection's).
 */
export async function traceProcess(node, args, { env, input } = {}) {
  const dir = mkdtempSync(join(os.tmpdir(), 'papers-sql-trace-'));
  const file = join(dir, 'trace.jsonl');
  try {
    const r = await run(node, ['-r', TRACE_PRELOAD, ...args], { env: { ...env, PAPERS_BENCH_SQL_TRACE: file }, input });
    if (r.code !== 0) throw new Error(`traced ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-1500)}`);
    // A statement of a connection other than the first one opened names its file first.
    let main;
    const statements = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const { db, sql } = JSON.parse(l);
        main ??= db;
        return db === main ? normaliseSql(sql) : `[${basename(db)}] ${normaliseSql(sql)}`;
      });
    return { statements, stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const counts = (xs) => {
  const m = new Map();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
};

const short = (s, n = 160) => (s.length > n ? `${s.slice(0, n)}…` : s);

/**
 * Compares the statements of papers (`ours`) and of its floor. `omitted` lists what is left
 * out on purpose: { match: RegExp, why, side } with side 'ours' (default: papers runs it, the
 * floor leaves it out), 'floor' (the floor's own reporting) or 'both'. A transaction left
 * empty by omitted statements (BEGIN then COMMIT) is left out with them. Returns { same,
 * executed, floorExecuted, omitted: [{ why, n }], onlyOurs, onlyFloor } (each difference
 * { n, sql }).
 */
export function compareTraces(ours, floor, omitted = []) {
  const dropped = omitted.map((o) => ({ why: o.why, n: 0 }));
  const keep = (xs, side) => {
    const out = [];
    for (const s of xs) {
      const i = omitted.findIndex((o) => ((o.side ?? 'ours') === side || o.side === 'both') && o.match.test(s));
      if (i >= 0) dropped[i].n++;
      else if (/^(COMMIT|END|ROLLBACK)$/.test(s) && out.at(-1) === 'BEGIN') {
        out.pop();
        empty.n++;
      } else out.push(s);
    }
    return out;
  };
  const empty = { why: 'transactions holding only statements left out', n: 0 };
  dropped.push(empty);
  const a = counts(keep(ours, 'ours'));
  const b = counts(keep(floor, 'floor'));
  const onlyOurs = [];
  const onlyFloor = [];
  for (const [s, n] of a) {
    const m = b.get(s) ?? 0;
    if (n > m) onlyOurs.push({ n: n - m, sql: s });
  }
  for (const [s, n] of b) {
    const m = a.get(s) ?? 0;
    if (n > m) onlyFloor.push({ n: n - m, sql: s });
  }
  return {
    same: onlyOurs.length === 0 && onlyFloor.length === 0,
    executed: ours.length,
    floorExecuted: floor.length,
    omitted: dropped,
    onlyOurs,
    onlyFloor,
  };
}

/** One line for the table's note, and the lines of a difference for the log. */
export function describeComparison(c) {
  const left = c.omitted
    .filter((o) => o.n)
    .map((o) => `${o.n} ${o.why}`)
    .join('; ');
  const head = c.same
    ? `SQL traced: the floor's ${c.floorExecuted} statements are papers's ${c.executed}${left ? `, less ${left}` : ''}`
    : `SQL DIFFERS from papers's (traced: ${c.onlyOurs.length} statements only papers runs, ${c.onlyFloor.length} only the floor)`;
  const lines = [
    ...c.onlyOurs.map((d) => `  papers only (${d.n}×): ${short(d.sql, 400)}`),
    ...c.onlyFloor.map((d) => `  floor only (${d.n}×): ${short(d.sql, 400)}`),
  ];
  return { head, lines };
}

/** What every floor leaves out: openDb's set-up (its pragmas and the schema-version check). */
export const OPEN_DB = [
  { match: /^PRAGMA /i, why: 'pragmas (openDb)', side: 'both' },
  { match: /^SELECT \(SELECT user_version FROM pragma_user_version\)/, why: "openDb's schema-version check" },
];

/** What the sync floor leaves out besides: the run's own records, and reads that find nothing. */
export const SYNC = [
  ...OPEN_DB,
  { match: /^SELECT name FROM sources\b/, why: 'the source registry read' },
  { match: /^\[[^\]]*sync-lock\] /, why: "the sync lock's statements (a file of its own)" },
  { match: /^SELECT day, ok_at AS okAt FROM sync_days\b/, why: 'the read of the days already done' },
  { match: /\bsync_runs\b/, why: "the run's record (sync_runs)" },
  { match: /\btemp\.sync_run_ids_/, why: "the run's count of new papers (a TEMP table)" },
  {
    match: /^SELECT (count\(\*\) FROM listings|paper_id FROM listings|1 FROM papers WHERE id =) /,
    why: "saveDay's bookkeeping reads (on an empty archive they find nothing)",
  },
  { match: /^SELECT count\(\*\) FROM papers$/, why: "the floor's count for its report", side: 'floor' },
];
