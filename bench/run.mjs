#!/usr/bin/env node
// `npm run bench`: every figure beside a baseline measured in the same run on the same data,
// with the ratio and the target (issues 6 and 13). Prints one table, writes bench/results.json.
//
//   npm run bench                    10k and 100k
//   npm run bench -- --quick         10k only, fewer repetitions (CI; under a minute cold)
//   npm run bench -- --scale 1m      one scale (2k, 10k, 100k, 1m, or a count); repeatable
//   npm run bench -- --scale 2k      the tiny full run CI makes beside --quick
//   options: --seed N, --fresh (rebuild cached archives), --only startup,sync,search,list,export,archive,real,
//            fulltext,recommend,recommend-speed, --explore (search: where the time goes), --out FILE,
//            --build (run tsc first)
//
// Corpora are cached in bench/.cache/ keyed by scale, seed and a hash of the generator's code
// and the samples; archives by those, the schema (version and hash) and a hash of the built
// code that fetches, parses and saves (lib/keys.mjs). No timing is asserted: the run fails
// when the harness or a measured command fails, or when a floor's output or SQL differs from
// the code's (then it measures other work; each floor's SQL is traced once against papers',
// lib/sql-trace.mjs).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  renameSync,
  openSync,
  readSync,
  closeSync,
  mkdtempSync,
  symlinkSync,
} from 'node:fs';
import os from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DEFAULT_SEED, corpusDir, generateCorpus, parseScale, readCorpus } from './generate.mjs';
import { archiveCodeKey } from './lib/keys.mjs';
import { buildPools, loadSamples, samplesDir, topicQueries } from './lib/samples.mjs';
import {
  DROPPED_ENV,
  HAS_GNU_TIME,
  fmtBytes,
  fmtMs,
  fmtNum,
  median,
  now,
  percentile,
  run,
  runOk,
  runWithPeakRss,
  timeInterleaved,
  timeSync,
  timedEnv,
} from './lib/measure.mjs';
import { spawnCorpusServer } from './lib/server.mjs';
import { OPEN_DB, SYNC, compareTraces, describeComparison, normaliseSql, traceProcess } from './lib/sql-trace.mjs';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(BENCH, '..');
const CACHE = join(BENCH, '.cache');
const BIN = join(ROOT, 'bin', 'papers.js');
const NODE = process.execPath;
const T0 = now();

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    scale: { type: 'string', multiple: true },
    seed: { type: 'string', default: String(DEFAULT_SEED) },
    fresh: { type: 'boolean', default: false },
    only: { type: 'string' },
    explore: { type: 'boolean', default: false },
    out: { type: 'string' },
    build: { type: 'boolean', default: false },
  },
});

const log = (msg) => process.stderr.write(`[bench ${((now() - T0) / 1000).toFixed(1).padStart(6)}s] ${msg}\n`);

// ---- what to run ----------------------------------------------------------------------------

const scales = (opt.scale?.length ? opt.scale.flatMap((s) => s.split(',')) : opt.quick ? ['10k'] : ['10k', '100k']).map(
  parseScale,
);
const seed = Number(opt.seed);
/**
 * bench/results.json is committed: the README's performance section is generated from it
 * (readme-table.mjs). Only the run the README reports writes it (the default scales, every
 * section, seed 1); a quick, partial or other-scale run writes bench/.cache/results.json.
 */
const readmeRun = !opt.quick && !opt.only && !opt.scale?.length && seed === DEFAULT_SEED && !opt.explore;
opt.out ??= readmeRun ? join(BENCH, 'results.json') : join(BENCH, '.cache', 'results.json');
const SECTIONS = [
  'startup',
  'sync',
  'search',
  'list',
  'export',
  'archive',
  'real',
  'fulltext',
  'recommend',
  'recommend-speed',
];
const only = new Set(opt.only ? opt.only.split(',') : SECTIONS);
for (const s of only)
  if (!SECTIONS.includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(', ')})`);

/** Repetitions per scale. Latencies are medians of `reps` runs after a warm-up. */
function profileFor(n) {
  if (opt.quick)
    return {
      startupRounds: 6,
      syncReps: 1,
      searchReps: 3,
      procReps: 1,
      procEvery: 3,
      scanReps: 1,
      listReps: 3,
      listProcReps: 1,
      exportReps: 1,
      realRounds: 1,
    };
  // A tiny scale (2k) is what CI runs beside --quick: the full path, in well under a minute.
  if (n <= 5_000)
    return {
      startupRounds: 5,
      syncReps: 1,
      searchReps: 2,
      procReps: 1,
      procEvery: 3,
      scanReps: 1,
      listReps: 2,
      listProcReps: 1,
      exportReps: 1,
      realRounds: 1,
    };
  if (n <= 20_000)
    return {
      startupRounds: 15,
      syncReps: 3,
      searchReps: 5,
      procReps: 3,
      scanReps: 3,
      listReps: 5,
      listProcReps: 3,
      exportReps: 3,
      realRounds: 5,
    };
  if (n <= 200_000)
    return {
      startupRounds: 15,
      syncReps: 2,
      searchReps: 5,
      procReps: 3,
      scanReps: 2,
      listReps: 5,
      listProcReps: 3,
      exportReps: 2,
      realRounds: 5,
    };
  return {
    startupRounds: 10,
    syncReps: 1,
    searchReps: 3,
    procReps: 2,
    scanReps: 1,
    listReps: 3,
    listProcReps: 2,
    exportReps: 1,
    realRounds: 3,
  };
}

// ---- the built code ---------------------------------------------------------------------------

if (opt.build) {
  log('building: npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
}
if (!existsSync(join(ROOT, 'dist', 'papers.cjs'))) {
  console.error('bench: dist/ is missing; build first (npm run build), or pass --build');
  process.exit(1);
}
try {
  execFileSync(process.execPath, [join(ROOT, 'bin', 'papers.js'), '--help'], {
    stdio: 'pipe',
    env: { ...process.env, NO_COLOR: '1' },
  });
} catch (err) {
  console.error(`bench: \`papers --help\` fails, so the build is broken or stale:\n${err.stderr ?? err}`);
  process.exit(1);
}
const { core: dist, MODULES_DIR } = await import('./lib/modules.mjs');
const hasCommand = (name) => existsSync(join(ROOT, 'src', 'commands', `${name}.ts`));
const { openDb } = await dist('db/open.js');
const query = await dist('core/query.js');
const { PAPER_SELECT } = await dist('core/papers.js');
const { FTS_WEIGHTS } = await dist('db/migrations.js');

/** A hash of the schema the built code creates: archives are rebuilt when it changes. */
function schemaKey() {
  const db = openDb(':memory:');
  const sql = db
    .prepare(`SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name)`)
    .pluck()
    .get();
  const v = db.pragma('user_version', { simple: true });
  const fts = db
    .prepare(`SELECT group_concat(k || '=' || v, ';') FROM (SELECT * FROM papers_fts_config ORDER BY k)`)
    .pluck()
    .get();
  db.close();
  return { version: v, hash: createHash('sha1').update(`${v}\n${sql}\n${fts}`).digest('hex').slice(0, 10) };
}

// ---- environment ------------------------------------------------------------------------------

const tmpHome = join(CACHE, 'home');
mkdirSync(tmpHome, { recursive: true });
// Every timed process (papers, its floors, `node -e 0`) runs with this one environment
// (lib/measure.mjs timedEnv: without NODE_OPTIONS, NODE_EXTRA_CA_CERTS and what changes
// papers' behaviour); results.json records which of those were set.
const baseEnv = timedEnv({ PAPERS_HOME: tmpHome });
const papers = (db, ...args) => [BIN, '--db', db, ...args];
// grep's fastest mode (byte-wise case folding): the strictest baseline. In a UTF-8 locale
// GNU grep -i is several times slower on this corpus.
const GREP_ENV = { ...process.env, LC_ALL: 'C' };

function gitInfo() {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .filter(Boolean).length;
    return { commit, dirtyFiles: dirty };
  } catch {
    return null;
  }
}

function sqliteVersion() {
  const db = new Database(':memory:');
  const v = db.prepare('select sqlite_version()').pluck().get();
  db.close();
  return v;
}

const fileSize = (p) => (existsSync(p) ? statSync(p).size : 0);
const dbBytes = (p) => fileSize(p) + fileSize(`${p}-wal`);
/** Removes an archive and its companions (-wal, -shm, the sync lock files beside it). */
function removeDb(p) {
  const dir = dirname(p);
  const base = basename(p);
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)) {
    if (f === base || f.startsWith(`${base}-`) || f.startsWith(`${base}.`)) rmSync(join(dir, f), { force: true });
  }
}
function countLines(path) {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  let n = 0;
  for (let r; (r = readSync(fd, buf, 0, buf.length, null)) > 0; ) for (let i = 0; i < r; i++) if (buf[i] === 10) n++;
  closeSync(fd);
  return n;
}

// ---- results ----------------------------------------------------------------------------------

const rows = [];
const results = {
  version: 1,
  startedAt: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memory: os.totalmem(),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    sqlite: sqliteVersion(),
    loadavgStart: os.loadavg(),
    rssMethod: HAS_GNU_TIME ? '/usr/bin/time -v' : '/proc VmHWM sampler',
    locale: process.env.LC_ALL || process.env.LANG || 'C',
  },
  // The timed processes' environment: these were set where the run started, and removed.
  environment: { removed: DROPPED_ENV.filter((k) => process.env[k] !== undefined), set: ['NO_COLOR=1', 'TERM=dumb'] },
  git: gitInfo(),
  options: { quick: opt.quick, scales: scales.map((s) => s.name), seed, only: [...only] },
  scales: {},
  rows,
};

/**
 * One line of the table. `ratio` is value / baseline; `better` says which way is good
 * ('lower' for times and bytes, 'higher' for rates); `target` is checked when present.
 */
function row(r) {
  const ratio = Number.isFinite(r.value) && Number.isFinite(r.base) && r.base !== 0 ? r.value / r.base : NaN;
  let status = r.status ?? 'info';
  if (!r.status && r.check) status = r.check(r.value, ratio) ? 'met' : 'not met';
  // A floor whose output is not the code's measures something else: the run fails.
  if (r.invalid) status = 'FLOOR DIFFERS';
  const out = { ...r, ratio, status };
  if (r.fmt) {
    if (Number.isFinite(r.value)) out.valueText = r.fmt(r.value);
    if (Number.isFinite(r.base)) out.baseText = r.fmt(r.base);
  }
  delete out.check;
  rows.push(out);
  return out;
}

const ms = (v) => fmtMs(v);

// ---- corpus and archive -----------------------------------------------------------------------

const schema = schemaKey();
const CODE_KEY = archiveCodeKey(MODULES_DIR);

/** Cached corpora and archives of other keys for this scale are dead weight (a 1M one is gigabytes). */
function dropStale(prefix, keep) {
  for (const f of existsSync(CACHE) ? readdirSync(CACHE) : []) {
    if (f.startsWith(prefix) && !f.endsWith('.partial') && join(CACHE, f) !== keep)
      rmSync(join(CACHE, f), { recursive: true, force: true });
  }
}
let poolsMemo = null;
const pools = () => (poolsMemo ??= buildPools(loadSamples()));

function corpusFor(scale) {
  const dir = corpusDir(CACHE, scale.name, seed);
  dropStale(`corpus-${scale.name}-s${seed}-`, dir);
  let corpus = readCorpus(dir);
  if (!corpus) {
    log(`${scale.name}: generating ${fmtNum(scale.n)} papers into ${dir}`);
    corpus = generateCorpus({
      n: scale.n,
      seed,
      dir,
      pools: pools(),
      onProgress: (p) =>
        log(`${scale.name}: generated ${p.done}/${p.total} days, ${fmtNum(p.papers)} papers, ${fmtBytes(p.bytes)}`),
    });
    log(
      `${scale.name}: generated ${fmtNum(corpus.listings)} listings over ${corpus.days} weekdays in ${fmtMs(corpus.ms)}`,
    );
  }
  return { dir, daysDir: join(dir, 'days'), ...corpus };
}

/** Reads every day file once so that neither the sync nor its floor pays for a cold disk. */
function warmFiles(daysDir) {
  let bytes = 0;
  for (const f of readdirSync(daysDir)) bytes += readFileSync(join(daysDir, f)).length;
  return bytes;
}

/**
 * One `papers sync` of the whole corpus into an empty archive (the schema made by openDb, as
 * the floor's is: neither run pays for creating it), timed as a whole process (with its peak
 * RSS), against the replay server running in a process of its own.
 */
async function syncOnce(corpus, dbPath) {
  emptyArchive(dbPath);
  const server = await spawnCorpusServer(corpus.daysDir);
  let r;
  let requests;
  try {
    r = await runWithPeakRss(NODE, papers(dbPath, 'sync', '--since', corpus.first, '--until', corpus.last, '--json'), {
      env: { ...baseEnv, HF_ENDPOINT: server.url },
      keep: true,
      breakdown: true,
    });
  } finally {
    requests = await server.close();
  }
  if (r.code !== 0) throw new Error(`papers sync exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return {
    ms: r.ms,
    cpuMs: r.cpuMs,
    peakRss: r.peakRss,
    rssBreakdown: r.rssBreakdown,
    summary: JSON.parse(r.stdout),
    requests,
  };
}

/** An empty archive with the schema, created by the real openDb (the sync floor starts from it). */
function emptyArchive(dbPath) {
  removeDb(dbPath);
  openDb(dbPath).close();
}

/** The sync floor (floor-sync.cjs) into a fresh archive, timed as a whole process like the sync. */
async function floorSyncOnce(corpus, dbPath) {
  emptyArchive(dbPath);
  const r = await runWithPeakRss(NODE, [join(BENCH, 'floor-sync.cjs'), corpus.daysDir, dbPath], {
    env: baseEnv,
    keep: true,
  });
  if (r.code !== 0) throw new Error(`floor-sync exited ${r.code}: ${r.stderr.slice(-2000)}`);
  return {
    ...JSON.parse(r.stdout),
    processMs: r.ms,
    cpuMs: r.cpuMs,
    peakRss: r.peakRss,
    rate: corpus.n / (r.ms / 1000),
  };
}

/**
 * What the sync wrote, as hashes: every paper's values (not its timestamps), every listing,
 * every day's record. Two archives with the same hashes hold the same data.
 */
function archiveDigest(dbPath) {
  const db = new Database(dbPath, { readonly: true });
  const digest = (sql) => {
    const h = createHash('sha1');
    let n = 0;
    for (const r of db.prepare(sql).raw().iterate()) {
      h.update(JSON.stringify(r));
      n++;
    }
    return `${n}:${h.digest('hex').slice(0, 12)}`;
  };
  const out = {
    papers:
      digest(`SELECT id, title, abstract, authors, authors_key, published_at, upvotes, comments, ai_summary, ai_keywords, github_repo,
      github_stars, project_page, organization, submitter, source, source_day, raw FROM papers ORDER BY id`),
    listings: digest('SELECT source, day, paper_id, rank FROM listings ORDER BY source, day, paper_id'),
    days: digest('SELECT source, day, outcome, entries FROM sync_days ORDER BY source, day'),
    fts: db.prepare(`SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'the'`).pluck().get(),
  };
  db.close();
  return out;
}

function checkArchive(dbPath, corpus) {
  const db = new Database(dbPath, { readonly: true });
  const n = db.prepare('SELECT count(*) FROM papers').pluck().get();
  const l = db.prepare('SELECT count(*) FROM listings').pluck().get();
  db.close();
  if (n !== corpus.n || l !== corpus.listings) {
    throw new Error(`${dbPath}: ${n} papers and ${l} listings, expected ${corpus.n} and ${corpus.listings}`);
  }
}

function archiveStats(dbPath) {
  const db = new Database(dbPath);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const tables = db
    .prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC`)
    .all()
    .map((r) => ({ name: r.name, bytes: r.bytes }));
  const pageSize = db.pragma('page_size', { simple: true });
  const segments = db.prepare(`SELECT count(*) FROM papers_fts_data`).pluck().get();
  db.close();
  return { bytes: dbBytes(dbPath), pageSize, tables, ftsDataRows: segments };
}

/** The NDJSON dump a user would grep: one paper per line, as an export writes it. */
function writeDump(dbPath, out) {
  const db = new Database(dbPath, { readonly: true });
  const fd = openSync(`${out}.partial`, 'w');
  let buf = '';
  const stmt =
    db.prepare(`SELECT p.id, p.title, p.authors, p.abstract, p.upvotes, p.ai_summary, p.ai_keywords, p.github_repo, p.organization,
      (SELECT group_concat(day, ',') FROM listings WHERE paper_id = p.id) AS days FROM papers p ORDER BY p.pk`);
  for (const r of stmt.iterate()) {
    r.authors = JSON.parse(r.authors);
    r.ai_keywords = JSON.parse(r.ai_keywords);
    r.days = r.days ? r.days.split(',') : [];
    buf += JSON.stringify(r) + '\n';
    if (buf.length > 1 << 20) {
      writeFileSync(fd, buf);
      buf = '';
    }
  }
  writeFileSync(fd, buf);
  closeSync(fd);
  db.close();
  renameSync(`${out}.partial`, out);
}

async function archiveFor(scale, corpus, prof, S) {
  // Keyed by the corpus (its folder names the generator's hash), the schema (version and a
  // hash of what the built code creates) and a hash of the built code that fetches, parses
  // and saves: an archive built by other code is never measured as this code's.
  const dir = join(
    CACHE,
    `archive-${scale.name}-s${seed}-${basename(corpus.dir).split('-').pop()}-v${schema.version}-${schema.hash}-${CODE_KEY}`,
  );
  dropStale(`archive-${scale.name}-s${seed}-`, dir);
  const dbPath = join(dir, 'papers.db');
  const buildFile = join(dir, 'build.json');
  let build =
    existsSync(buildFile) && existsSync(dbPath) && !opt.fresh ? JSON.parse(readFileSync(buildFile, 'utf8')) : null;
  // The sync is measured when the archive is built; at 10k it is cheap enough to build every run.
  const measureNow = !build || (only.has('sync') && scale.n <= 20_000);
  if (measureNow) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const warmed = warmFiles(corpus.daysDir);
    log(`${scale.name}: sync x${prof.syncReps} from the replay server, and the floor (bodies ${fmtBytes(warmed)})`);
    const syncs = [];
    const floors = [];
    const tmpDb = join(dir, 'sync.db');
    let same = null;
    for (let i = 0; i < prof.syncReps; i++) {
      const s = await syncOnce(corpus, tmpDb);
      checkArchive(tmpDb, corpus);
      syncs.push(s);
      log(
        `${scale.name}: sync ${i + 1}/${prof.syncReps}: ${fmtMs(s.ms)} (${fmtNum(corpus.n / (s.ms / 1000))} papers/s, ${s.requests} requests, peak RSS ${fmtBytes(s.peakRss)})`,
      );
      const floorDb = join(dir, 'floor.db');
      const f = await floorSyncOnce(corpus, floorDb);
      floors.push(f);
      log(
        `${scale.name}: floor ${i + 1}/${prof.syncReps}: ${fmtMs(f.processMs)} (${fmtNum(f.rate)} papers/s, peak RSS ${fmtBytes(f.peakRss)})`,
      );
      if (i === 0) {
        const a = archiveDigest(tmpDb);
        const b = archiveDigest(floorDb);
        same = { sync: a, floor: b, same: JSON.stringify(a) === JSON.stringify(b) };
        if (!same.same) log(`${scale.name}: the floor's archive differs from the sync's: ${JSON.stringify(same)}`);
      }
      removeDb(floorDb);
      if (i < prof.syncReps - 1) removeDb(tmpDb);
    }
    for (const s of ['', '-wal', '-shm']) if (existsSync(tmpDb + s)) renameSync(tmpDb + s, dbPath + s);
    removeDb(tmpDb);
    log(`${scale.name}: archive stats and NDJSON dump`);
    const stats = archiveStats(dbPath);
    writeDump(dbPath, join(dir, 'dump.ndjson'));
    build = {
      builtAt: new Date().toISOString(),
      schema,
      corpus: { n: corpus.n, listings: corpus.listings, bytes: corpus.bytes, entryBytes: corpus.entryBytes },
      sync: syncs.map((s) => ({
        ms: s.ms,
        cpuMs: s.cpuMs,
        peakRss: s.peakRss,
        rssBreakdown: s.rssBreakdown,
        requests: s.requests,
        summary: s.summary,
      })),
      floor: floors,
      floorSame: same,
      stats,
      loadavg: os.loadavg(),
    };
    writeFileSync(buildFile, JSON.stringify(build, null, 2));
  } else {
    log(`${scale.name}: using the cached archive ${dbPath} (built ${build.builtAt}; --fresh rebuilds)`);
  }
  // Paths relative to the repository: results.json is committed, and names no machine's paths.
  S.archive = { path: relative(ROOT, dbPath), cached: !measureNow, builtAt: build.builtAt };
  return { dbPath, dump: join(dir, 'dump.ndjson'), build, cached: !measureNow };
}

// ---- the floors' SQL ----------------------------------------------------------------------------

/**
 * Runs `papers ARGS` and a floor once each, untimed, with every SQL statement traced
 * (lib/sql-trace.mjs), and compares them: a floor that runs other SQL than the code fails the
 * run, as a floor with other output does. Returns { same, head } for the table's note.
 */
async function checkFloorSql(label, oursArgs, floorArgs, omitted, env = baseEnv) {
  const a = await traceProcess(NODE, [BIN, ...oursArgs], { env });
  const b = await traceProcess(NODE, floorArgs, { env });
  const c = compareTraces(a.statements, b.statements, omitted);
  const d = describeComparison(c);
  sqlChecks.push({ label, ...c, onlyOurs: c.onlyOurs.slice(0, 20), onlyFloor: c.onlyFloor.slice(0, 20) });
  log(`floor SQL, ${label}: ${d.head}`);
  for (const l of d.lines.slice(0, 12)) log(l);
  return { same: c.same, head: d.head };
}
const sqlChecks = [];
results.floorSql = sqlChecks;

/**
 * The sync floor's SQL against a real sync's, once per run: the last real day (the cron case)
 * from the replay server into an empty archive, and floor-sync.cjs on the same file.
 */
let syncSql;
function syncSqlCheck() {
  syncSql ??= (async () => {
    const all = join(samplesDir(), 'hf-api', 'daily');
    const last = readdirSync(all)
      .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
      .sort()
      .pop();
    const dir = mkdtempSync(join(os.tmpdir(), 'papers-bench-sql-'));
    try {
      mkdirSync(join(dir, 'days'));
      symlinkSync(join(all, last), join(dir, 'days', last));
      emptyArchive(join(dir, 'sync.db'));
      emptyArchive(join(dir, 'floor.db'));
      const server = await spawnCorpusServer(join(dir, 'days'));
      const day = last.slice(0, 10);
      try {
        const env = { ...baseEnv, HF_ENDPOINT: server.url };
        const a = await traceProcess(NODE, papers(join(dir, 'sync.db'), 'sync', '--since', day, '--until', day), {
          env,
        });
        const b = await traceProcess(NODE, [join(BENCH, 'floor-sync.cjs'), join(dir, 'days'), join(dir, 'floor.db')], {
          env: baseEnv,
        });
        const c = compareTraces(a.statements, b.statements, SYNC);
        const d = describeComparison(c);
        sqlChecks.push({
          label: `sync of ${day}`,
          ...c,
          onlyOurs: c.onlyOurs.slice(0, 20),
          onlyFloor: c.onlyFloor.slice(0, 20),
        });
        log(`floor SQL, sync of one real day (${day}): ${d.head}`);
        for (const l of d.lines.slice(0, 12)) log(l);
        return { same: c.same, head: `${d.head} (a sync of ${day}, traced)` };
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  })();
  return syncSql;
}

/**
 * The in-process search floor on connection `c`: searchPapers' statements (src/core/query.ts),
 * run directly. Returns (query, match) => the rows of the top 20.
 */
function searchFloor(c) {
  const BM25 = `bm25(papers_fts, ${FTS_WEIGHTS.join(', ')})`;
  const replacements = c.prepare(`SELECT 1 FROM listings WHERE type IN ('replace', 'replace-cross') LIMIT 1`);
  const ranked = c.prepare(
    `SELECT f.rowid AS pk, ${BM25} AS score FROM papers_fts f WHERE papers_fts MATCH ? ORDER BY score, f.rowid LIMIT 20`,
  );
  const titleSql = `SELECT f.rowid AS pk, ${BM25} AS score, p.title AS title FROM papers_fts f
    JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH ? ORDER BY score, f.rowid`;
  const titleHead = c.prepare(`${titleSql} LIMIT 50`);
  const titleAll = c.prepare(titleSql);
  const row = c.prepare(`SELECT ${PAPER_SELECT} FROM papers p WHERE p.pk = ?`);
  return (q, match) => {
    replacements.get();
    const phrase = query.titlePhrase(q);
    let first = [];
    if (phrase) {
      const param = `(${match}) AND {title} : ${query.ftsString(phrase)}`;
      const keep = (rows) => rows.filter((r) => query.titleHasPhrase(r.title, phrase));
      const head = titleHead.all(param);
      first = keep(head);
      if (first.length < 20 && head.length >= 50) first = keep(titleAll.all(param));
      first = first.slice(0, 20);
    }
    let top = first;
    if (first.length < 20) {
      const seen = new Set(first.map((r) => r.pk));
      top = [...first, ...ranked.all(match).filter((r) => !seen.has(r.pk))].slice(0, 20);
    }
    return top.map((r) => row.get(r.pk));
  };
}

/**
 * searchPapers and the in-process floor on every query, each on a connection of its own
 * with every statement traced (better-sqlite3's `verbose`): the floor must run the same
 * statements, as many times. Untimed.
 */
function traceInprocSearch(dbPath, queries) {
  const traced = (into) =>
    new Database(dbPath, { readonly: true, fileMustExist: true, verbose: (sql) => into.push(normaliseSql(sql)) });
  const ours = [];
  const theirs = [];
  const a = traced(ours);
  const b = traced(theirs);
  const floor = searchFloor(b);
  for (const q of queries) {
    [...query.searchPapers(a, { query: q.query, limit: 20 })];
    floor(q.query, query.quoteFts(q.query));
  }
  a.close();
  b.close();
  const c = compareTraces(ours, theirs, []);
  const d = describeComparison(c);
  sqlChecks.push({
    label: 'in-process search',
    ...c,
    onlyOurs: c.onlyOurs.slice(0, 20),
    onlyFloor: c.onlyFloor.slice(0, 20),
  });
  log(`floor SQL, in-process search (${queries.length} queries): ${d.head}`);
  for (const l of d.lines.slice(0, 12)) log(l);
  return { same: c.same, head: d.head };
}

// ---- sections ---------------------------------------------------------------------------------

/**
 * The real samples (../shared/hf-papers-samples: every calendar day from the first file to
 * the last asked for, a day without a file answered []), synced whole and, the cron case, one
 * day alone, each against the sync floor on the same files: whole processes, interleaved, the
 * replay server in a process of its own. Days of 14 papers on average weigh the per-request
 * and per-day costs the generated corpora amortise over hundreds of papers a day.
 */
async function realSamples(prof) {
  const sql = await syncSqlCheck();
  const all = join(samplesDir(), 'hf-api', 'daily');
  const files = readdirSync(all)
    .filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f))
    .sort();
  const last = files[files.length - 1];
  const dir = mkdtempSync(join(os.tmpdir(), 'papers-bench-real-'));
  try {
    // The one day: the last file, alone in a directory of its own (a link, never a copy).
    const oneDir = join(dir, 'one-day');
    mkdirSync(oneDir);
    symlinkSync(join(all, last), join(oneDir, last));
    const cases = [
      { name: `the real samples whole (${files.length} days with a list)`, daysDir: all, first: files[0], last },
      { name: `one real day (${last.slice(0, 10)}, the cron case)`, daysDir: oneDir, first: last, last },
    ];
    for (const c of cases) {
      const corpus = { daysDir: c.daysDir, first: c.first.slice(0, 10), last: c.last.slice(0, 10), n: 0 };
      // A one-day run is short: three times the rounds for as steady a median.
      const rounds = c.daysDir === oneDir ? prof.realRounds * 3 : prof.realRounds;
      log(`real: ${c.name}: ${rounds} interleaved rounds of papers sync and the floor`);
      const ours = [];
      const floors = [];
      let same;
      for (let i = 0; i < rounds; i++) {
        const s = await syncOnce(corpus, join(dir, 'sync.db'));
        const f = await floorSyncOnce(corpus, join(dir, 'floor.db'));
        ours.push(s);
        floors.push(f);
        if (i === 0) {
          const a = archiveDigest(join(dir, 'sync.db'));
          const b = archiveDigest(join(dir, 'floor.db'));
          same = JSON.stringify(a) === JSON.stringify(b);
          if (!same) log(`real: the floor's archive differs from the sync's: ${JSON.stringify({ a, b })}`);
        }
      }
      const papers = floors[0].papers;
      const m = median(ours.map((s) => s.ms));
      const fm = median(floors.map((f) => f.processMs));
      row({
        scale: 'real',
        section: 'real',
        measure: `${c.name}: sync over HTTP, papers/s (${fmtNum(papers)} papers, ${ours[0].requests} requests)`,
        value: papers / (m / 1000),
        base: papers / (fm / 1000),
        baseline: 'floor-sync.cjs (process)',
        fmt: (v) => `${fmtNum(v)}/s`,
        target: '≥ 0.8x floor',
        check: (_, r) => r >= 0.8,
        note: `median of ${rounds}: ${fmtMs(m)} against ${fmtMs(fm)}; CPU ${fmtMs(median(ours.map((s) => s.cpuMs)))} against ${fmtMs(median(floors.map((f) => f.cpuMs)))}; ${same ? 'the same papers, listings and days' : 'ARCHIVES DIFFER'}; ${sql.head}`,
        invalid: !same || !sql.same,
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Full text (issue 25), measured by bench/fulltext.mjs in a process of its own: extraction
 * of the real PDFs (pages/s, memory), the text against pdftotext, bytes of text and index per
 * paper, search --full-text p50/p95 over 1,000 and 10,000 generated papers (1,000 alone when
 * quick or at a tiny scale).
 */
async function fullTextSection() {
  const quick = opt.quick || scales.every((s) => s.n <= 5_000);
  log(`fulltext: extraction, quality and search (bench/fulltext.mjs${quick ? ' --quick' : ''})`);
  const r = await runOk(NODE, [join(BENCH, 'fulltext.mjs'), '--json', ...(quick ? ['--quick'] : [])], { env: baseEnv });
  const f = JSON.parse(r.stdout);
  results.fulltext = f;
  const x = f.extraction;
  const info = (measure, value, fmt, note) => row({ scale: 'real', section: 'fulltext', measure, value, fmt, note });
  info(
    `extraction of ${x.papers} real PDFs (${x.pages} pages), pages/s`,
    x.pagesPerSec,
    (v) => `${v.toFixed(1)}/s`,
    `${fmtMs(x.ms)} in all, a worker thread per PDF (its start included); median per paper ${x.medianPagesPerSec.toFixed(1)}/s`,
  );
  info('extraction: peak RSS growth while one PDF is read', x.peakRssGrowth, fmtBytes, 'the process, worker included');
  const q = f.quality.filter((p) => p.overlap !== null);
  const withAbstract = q.filter((p) => p.abstract !== null);
  info(
    'text vs pdftotext: lowest word overlap of a paper',
    Math.min(...q.map((p) => p.overlap)),
    (v) => `${(100 * v).toFixed(1)}%`,
    q.map((p) => `${p.file.replace('.pdf', '')} ${(100 * p.overlap).toFixed(1)}%`).join(', '),
  );
  info(
    'text vs pdftotext: abstracts that are one passage',
    withAbstract.filter((p) => p.abstract).length,
    (v) => `${v} of ${withAbstract.length}`,
    'the abstract as pdftotext prints it, found in order in the text',
  );
  info(
    'text: words left split by a hyphen (pdftotext: same count)',
    q.reduce((n, p) => n + p.splits, 0),
    (v) => String(v),
    `pdftotext: ${q.reduce((n, p) => n + p.oracleSplits, 0)}`,
  );
  info('bytes of text per paper', f.storage.textPerPaper, fmtBytes, `${f.storage.papers} real papers`);
  info('bytes of FTS index per paper', f.storage.indexPerPaper, fmtBytes, 'fulltext_fts, from dbstat');
  for (const s of f.search) {
    const note = `${fmtNum(s.pages)} pages, archive ${fmtBytes(s.bytes)}, ${s.queries} queries x ${s.reps}`;
    info(`search --full-text, ${fmtNum(s.papers)} papers: p50`, s.p50, fmtMs, note);
    info(`search --full-text, ${fmtNum(s.papers)} papers: p95`, s.p95, fmtMs, note);
  }
}

function reportSync(scale, corpus, arch, S, sql) {
  const syncMs = median(arch.build.sync.map((s) => s.ms));
  const rate = corpus.n / (syncMs / 1000);
  const floorRate = median(arch.build.floor.map((f) => f.rate));
  const note = arch.cached
    ? `measured when the archive was built (${arch.build.builtAt}); --fresh re-measures`
    : `median of ${arch.build.sync.length}`;
  const same = arch.build.floorSame;
  const rss = Math.max(...arch.build.sync.map((s) => s.peakRss));
  const floorRss = Math.max(...arch.build.floor.map((f) => f.peakRss));
  S.sync = {
    ms: syncMs,
    rate,
    floorRate,
    peakRss: rss,
    floorPeakRss: floorRss,
    runs: arch.build.sync,
    floor: arch.build.floor,
    floorSame: same,
    cached: arch.cached,
  };
  const how = `floor-sync.cjs: the same day files read from disk (no HTTP, paging or retries), parsed, and written with saveDay's write statements, one transaction per day, both whole processes; ${same?.same ? 'its archive holds the same papers, listings and days' : `ITS ARCHIVE DIFFERS: ${JSON.stringify(same)}`}`;
  row({
    scale: scale.name,
    section: 'sync',
    measure: `full sync over HTTP, papers/s (${fmtNum(corpus.n)} papers)`,
    value: rate,
    base: floorRate,
    baseline: 'floor-sync.cjs (process)',
    fmt: (v) => `${fmtNum(v)}/s`,
    target: '≥ 0.8x floor',
    check: (_, r) => r >= 0.8,
    note: `${note}; ${how}; ${sql.head}`,
    invalid: !same?.same || !sql.same,
  });
  const cpu = median(arch.build.sync.map((s) => s.cpuMs));
  const floorCpu = median(arch.build.floor.map((f) => f.cpuMs));
  row({
    scale: scale.name,
    section: 'sync',
    measure: 'full sync, CPU time per 1,000 papers (user + system)',
    value: (cpu / corpus.n) * 1000,
    base: (floorCpu / corpus.n) * 1000,
    baseline: 'floor-sync.cjs CPU time',
    fmt: ms,
    note: 'CPU time of the timed process alone (not the replay server): steadier than wall time on a shared machine',
  });
  row({
    scale: scale.name,
    section: 'sync',
    measure: 'full sync over HTTP, papers/s (absolute)',
    value: rate,
    base: NaN,
    baseline: '',
    fmt: (v) => `${fmtNum(v)}/s`,
    target: scale.n >= 100_000 ? '≥ 2,000/s' : '',
    check: scale.n >= 100_000 ? (v) => v >= 2000 : undefined,
  });
  row({
    scale: scale.name,
    section: 'sync',
    measure: 'full sync, peak RSS',
    value: rss,
    base: floorRss,
    baseline: 'floor-sync.cjs peak RSS',
    fmt: fmtBytes,
    note: `flat from 100k to 1M (within 1.5x) is the target: compare the scales; at the largest sample: ${['anon', 'file', 'shmem'].map((k) => `${k} ${fmtBytes(arch.build.sync[0]?.rssBreakdown?.[k])}`).join(', ')}`,
  });
}

async function startup(scale, arch, prof, S) {
  const cmds = {
    list: [NODE, papers(arch.dbPath, 'list', '--limit', '20')],
    floor: [NODE, [join(BENCH, 'floor-query.cjs'), arch.dbPath, 'list']],
    version: [NODE, [BIN, '--version']],
    node: [NODE, ['-e', '0']],
  };
  const times = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  const cpu = Object.fromEntries(Object.keys(cmds).map((k) => [k, []]));
  let listLines = 0;
  const outputs = {};
  const sql = await checkFloorSql(
    `${scale.name} list --limit 20`,
    ['--db', arch.dbPath, 'list', '--limit', '20'],
    cmds.floor[1],
    OPEN_DB,
  );
  log(`${scale.name}: start-up, ${prof.startupRounds} interleaved rounds after 2 warm-up rounds`);
  for (let round = -2; round < prof.startupRounds; round++) {
    for (const [k, [cmd, args]] of Object.entries(cmds)) {
      // Under GNU time, for the CPU time beside the wall time (the same small cost on every side).
      const r = await runWithPeakRss(cmd, args, { env: baseEnv });
      if (r.code !== 0) throw new Error(`${k} exited ${r.code}: ${r.stderr.slice(-1000)}`);
      if (round >= 0) cpu[k].push(r.cpuMs);
      if (k === 'list') listLines = r.stdout.split('\n').filter(Boolean).length;
      if (k === 'list' || k === 'floor') outputs[k] = r.stdout;
      if (round >= 0) times[k].push(r.ms);
    }
  }
  const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
  const p95 = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, percentile(v, 95)]));
  const c = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)]));
  S.startup = { median: m, p95, cpuMedian: c, runs: times, cpu, listLines };
  const sameOut = outputs.list === outputs.floor;
  const note = `median of ${prof.startupRounds}; p95 ${ms(p95.list)} vs ${ms(p95.floor)}; the floor is a CommonJS process running list's SQL in one read transaction, ${sameOut ? 'output byte-identical' : 'OUTPUT DIFFERS'}; ${sql.head}`;
  row({
    scale: scale.name,
    section: 'startup',
    measure: '`papers list --limit 20`, piped, whole process',
    value: m.list,
    base: m.floor,
    baseline: 'floor-query.cjs list (process)',
    fmt: ms,
    target: '≤ 1.15x floor',
    check: (_, r) => r <= 1.15,
    invalid: !sameOut || !sql.same,
    note: listLines === 20 ? note : `${note}; printed ${listLines} rows`,
  });
  row({
    scale: scale.name,
    section: 'startup',
    measure: '`papers list --limit 20`, CPU time (user + system)',
    value: c.list,
    base: c.floor,
    baseline: 'floor-query.cjs list CPU time',
    fmt: ms,
    note: `node -e 0: ${ms(c.node)}; CPU time moves less than wall time on a shared machine`,
  });
  row({
    scale: scale.name,
    section: 'startup',
    measure: '`papers list --limit 20` vs bare node',
    value: m.list,
    base: m.node,
    baseline: '`node -e 0`',
    fmt: ms,
  });
  row({
    scale: scale.name,
    section: 'startup',
    measure: '`papers --version`',
    value: m.version,
    base: m.node,
    baseline: '`node -e 0`',
    fmt: ms,
    target: '≤ 1.2x node',
    check: (_, r) => r <= 1.2,
    note: `p95 ${ms(p95.version)} vs ${ms(p95.node)}`,
  });
}

async function search(scale, arch, prof, S) {
  const queries = topicQueries(pools());
  const db = openDb(arch.dbPath);
  const raw = new Database(arch.dbPath, { fileMustExist: true });
  // The floor runs searchPapers' own statements (the replacements read, a 3+ word query's
  // title hits, bm25 on rowids under a LIMIT, then each hit's row), without the filter
  // model, the generator and the Paper objects around them. Its SQL is traced against
  // searchPapers' on every query below, once, untimed.
  const floorSearch = searchFloor(raw);
  const sqlInproc = traceInprocSearch(arch.dbPath, queries);
  // The reference for "exact top 20": search's ranking computed without its shortcuts (the
  // LIMIT under which SQLite keeps a top-N heap, the head of title candidates): every title
  // that holds a 3+ word query verbatim (issue 11.8), by BM25, then FTS5's full ORDER BY rank
  // of the rest, ties broken by row (FTS5 leaves the order of equal scores unspecified).
  const refStmt = raw.prepare('SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? ORDER BY rank, rowid').pluck();
  const titleRef = raw.prepare(`SELECT f.rowid AS pk, p.title AS title FROM papers_fts f
    JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH ? ORDER BY f.rank, f.rowid`);
  const exactTop = (q, match) => {
    const phrase = query.titlePhrase(q);
    const first = phrase
      ? titleRef
          .all(`(${match}) AND {title} : ${query.ftsString(phrase)}`)
          .filter((r) => query.titleHasPhrase(r.title, phrase))
          .map((r) => r.pk)
      : [];
    // One pass over the full ranking gives both: its own top 20, and the rest after the title hits.
    const plain = [];
    const rest = [];
    for (const pk of refStmt.iterate(match)) {
      if (plain.length < 20) plain.push(pk);
      if (first.length + rest.length < 20 && !first.includes(pk)) rest.push(pk);
      if (plain.length >= 20 && first.length + rest.length >= 20) break;
    }
    return { exact: [...first, ...rest].slice(0, 20), plain };
  };
  const idOf = raw.prepare('SELECT id FROM papers WHERE pk = ?').pluck();
  const likeStmt =
    raw.prepare(`SELECT id FROM papers WHERE title LIKE @q OR abstract LIKE @q OR ai_summary LIKE @q OR ai_keywords LIKE @q
    ORDER BY +upvotes DESC LIMIT 20`); // `+`: no index, so every row is scanned as a LIKE search must
  const searchCmd = hasCommand('search');
  const perQuery = [];
  log(
    `${scale.name}: search, ${queries.length} topic queries: in-process x${prof.searchReps}, floor SQL x${prof.searchReps}, LIKE and grep x${prof.scanReps}, processes x${prof.procReps}`,
  );
  // Warm the page cache for the scans, and the process path, once before timing.
  likeStmt.all({ q: '%warm-up%' });
  await run('grep', ['-c', '-i', '-F', '-e', 'warm-up', arch.dump], { keep: false, env: GREP_ENV });
  if (searchCmd) await run(NODE, papers(arch.dbPath, 'search', 'warm', 'up'), { env: baseEnv, keep: false });
  // The process floor's SQL, traced: a topic, and a query of 3+ words (title hits first).
  const sqlSearch = [];
  if (searchCmd) {
    for (const q of [queries[0], queries.find((x) => query.titlePhrase(x.query))].filter(Boolean)) {
      const args = [arch.dbPath, 'search', query.quoteFts(q.query), q.query];
      const label = `${scale.name} search ${JSON.stringify(q.query)}`;
      sqlSearch.push(
        await checkFloorSql(
          label,
          ['--db', arch.dbPath, 'search', q.query],
          [join(BENCH, 'floor-query.cjs'), ...args],
          OPEN_DB,
        ),
      );
    }
  }
  const sqlSearchSame = sqlSearch.every((x) => x.same);
  for (const [qi, q] of queries.entries()) {
    const match = query.quoteFts(q.query);
    let ours = [];
    let floorRows = [];
    const { inproc, floor } = timeInterleaved(
      {
        inproc: () => {
          ours = [...query.searchPapers(db, { query: q.query, limit: 20 })];
        },
        floor: () => {
          floorRows = floorSearch(q.query, match);
        },
      },
      { reps: prof.searchReps, warmup: 1 },
    );
    const ref = exactTop(q.query, match);
    const floorIds = ref.exact.map((pk) => idOf.get(pk));
    const plainIds = ref.plain.map((pk) => idOf.get(pk));
    const timedFloorIds = floorRows.map((r) => r.id);
    const matches = raw.prepare('SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?').pluck().get(match);
    const like = timeSync(() => likeStmt.all({ q: `%${q.query}%` }), { reps: prof.scanReps, warmup: 0 });
    const grep = [];
    let grepLines = 0;
    for (let i = 0; i < prof.scanReps; i++) {
      const r = await run('grep', ['-i', '-F', '-e', q.query, arch.dump], { keep: false, env: GREP_ENV });
      if (r.code > 1) throw new Error(`grep failed: ${r.stderr}`);
      grep.push(r.ms);
      grepLines = r.outBytes;
    }
    const proc = [];
    const procFloor = [];
    let procIds = null;
    let procSameOut = null;
    if (searchCmd && qi % (prof.procEvery ?? 1) === 0) {
      for (let i = 0; i < prof.procReps; i++) {
        const r = await runOk(NODE, papers(arch.dbPath, 'search', q.query), { env: baseEnv });
        proc.push(r.ms);
        procIds = r.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('\t')[0]);
        const f = await runOk(NODE, [join(BENCH, 'floor-query.cjs'), arch.dbPath, 'search', match, q.query], {
          env: baseEnv,
        });
        procFloor.push(f.ms);
        procSameOut = r.stdout === f.stdout;
      }
    }
    const oursIds = ours.map((h) => h.id);
    const cmp = (ids) =>
      ids
        ? {
            same: ids.length === floorIds.length && ids.every((id, i) => id === floorIds[i]),
            overlap: ids.filter((id) => floorIds.includes(id)).length,
          }
        : null;
    perQuery.push({
      ...q,
      match,
      matches,
      inprocMs: median(inproc),
      floorMs: median(floor),
      likeMs: median(like),
      grepMs: median(grep),
      procMs: median(proc),
      procFloorMs: median(procFloor),
      grepOutBytes: grepLines,
      top: floorIds.length,
      inproc: cmp(oursIds),
      process: cmp(procIds),
      floorSame: oursIds.join() === timedFloorIds.join(),
      plainSame: oursIds.join() === plainIds.join(),
      procSameOut,
    });
    const last = perQuery[perQuery.length - 1];
    log(
      `${scale.name}: [${qi + 1}/${queries.length}] ${JSON.stringify(q.query)} (${fmtNum(matches)} matches): ours ${ms(last.inprocMs)}, floor ${ms(last.floorMs)}, LIKE ${ms(last.likeMs)}, grep ${ms(last.grepMs)}${searchCmd ? `, process ${ms(last.procMs)}` : ''}`,
    );
  }
  db.close();
  raw.close();
  const agg = (k, p) => percentile(perQuery.map((x) => x[k]).filter(Number.isFinite), p);
  const A = {};
  for (const k of ['inprocMs', 'floorMs', 'likeMs', 'grepMs', 'procMs', 'procFloorMs'])
    A[k] = { p50: agg(k, 50), p95: agg(k, 95) };
  const same = perQuery.filter((x) => x.inproc?.same).length;
  const floorSame = perQuery.filter((x) => x.floorSame).length;
  const outSame = perQuery.filter((x) => x.procSameOut).length;
  const procChecked = perQuery.filter((x) => x.process).length;
  const procSame = perQuery.filter((x) => x.process?.same).length;
  // Overlap as a share of the floor's rows (a rare topic may have fewer than 20 matches).
  const share = (x) => (x.top ? (x.process?.overlap ?? x.inproc?.overlap ?? 0) / x.top : 1);
  const minOverlap = Math.min(...perQuery.map(share));
  const meanOverlap = perQuery.reduce((s, x) => s + share(x), 0) / perQuery.length;
  S.search = {
    queries: perQuery,
    aggregate: A,
    sameTop20: { inproc: same, process: searchCmd ? procSame : null, of: perQuery.length, minOverlap, meanOverlap },
  };
  const at1m = scale.n >= 1_000_000;
  const sc = scale.name;
  row({
    scale: sc,
    section: 'search',
    measure: 'in-process searchPapers, p50 of 30 topics',
    value: A.inprocMs.p50,
    base: A.floorMs.p50,
    baseline: "floor: searchPapers' statements, run directly",
    fmt: ms,
    target: at1m ? '< 150 ms' : '',
    check: at1m ? (v) => v < 150 : undefined,
    invalid: !sqlInproc.same || floorSame !== perQuery.length,
    note: `the floor runs searchPapers' statements directly (no filter model, generator or Paper objects); same top 20 on ${floorSame}/${perQuery.length} queries; ${sqlInproc.head} (all ${queries.length} queries)`,
  });
  row({
    scale: sc,
    section: 'search',
    measure: 'in-process searchPapers, p95',
    value: A.inprocMs.p95,
    base: A.floorMs.p95,
    baseline: 'floor p95',
    fmt: ms,
    target: at1m ? '< 500 ms' : '',
    check: at1m ? (v) => v < 500 : undefined,
  });
  row({
    scale: sc,
    section: 'search',
    measure: 'in-process p50 vs LIKE scan',
    value: A.inprocMs.p50,
    base: A.likeMs.p50,
    baseline: 'LIKE %q% on 4 columns',
    fmt: ms,
  });
  if (searchCmd) {
    row({
      scale: sc,
      section: 'search',
      measure: '`papers search`, whole process, p50',
      value: A.procMs.p50,
      base: A.procFloorMs.p50,
      baseline: 'floor-query.cjs search (process)',
      fmt: ms,
      target: '≤ 1.15x floor',
      check: (_, r) => r <= 1.15,
      invalid: outSame !== procChecked || !sqlSearchSame,
      note: `p95 ${ms(A.procMs.p95)} vs ${ms(A.procFloorMs.p95)} (the ${procChecked} queries of the 30 timed as processes: every ${prof.procEvery ?? 1}${(prof.procEvery ?? 1) === 1 ? '' : 'rd'}); the floor is a CommonJS process running search's SQL in one read transaction; output byte-identical on ${outSame}/${procChecked} queries; ${sqlSearch.map((x) => x.head).join('; ')}`,
    });
    row({
      scale: sc,
      section: 'search',
      measure: '`papers search` process p50 vs grep process',
      value: A.procMs.p50,
      base: A.grepMs.p50,
      baseline: `LC_ALL=C grep -i -F over a ${fmtBytes(fileSize(arch.dump))} NDJSON dump (process)`,
      fmt: ms,
      target: at1m ? '≤ 0.1x (10x faster)' : '',
      check: at1m ? (_, r) => r <= 0.1 : undefined,
      note: 'both whole processes; grep prints every matching line (unranked) to a pipe that counts them',
    });
  } else {
    row({
      scale: sc,
      section: 'search',
      measure: '`papers search`, whole process',
      status: 'skipped',
      note: 'dist/commands/search.js not built',
    });
  }
  const checked = searchCmd ? procChecked : perQuery.length;
  row({
    scale: sc,
    section: 'search',
    measure: 'top 20 equal to the exact ranking (queries)',
    value: searchCmd ? procSame : same,
    base: checked,
    baseline: 'exhaustive: verbatim title hits, then ORDER BY rank, rowid',
    fmt: (v) => `${v}/${checked}`,
    target: 'all',
    check: (v) => v === checked,
    note: `same ids in the same order; ids in common with the exact top 20: min ${(100 * minOverlap).toFixed(0)}%, mean ${(100 * meanOverlap).toFixed(1)}%; in-process ${same}/${perQuery.length} identical`,
  });
  const plainSame = perQuery.filter((x) => x.plainSame).length;
  const phrased = perQuery.filter((x) => query.titlePhrase(x.query)).length;
  row({
    scale: sc,
    section: 'search',
    measure: 'top 20 equal to plain BM25 (queries)',
    value: plainSame,
    base: perQuery.length,
    baseline: 'FTS5 ORDER BY rank, rowid alone',
    fmt: (v) => `${v}/${perQuery.length}`,
    note: `in-process; differs by design where a title holds a query of 3+ words verbatim (${phrased} of the queries have 3+ words): such titles rank first`,
  });
}

function listCombos(corpus) {
  const back = (days) =>
    new Date(Date.parse(`${corpus.last}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
  return [
    { keyword: 'diffusion', since: back(365), minUpvotes: 10 },
    { keyword: 'reinforcement learning', since: back(180), minUpvotes: 20 },
    { keyword: 'agent', since: back(730), minUpvotes: 5 },
    { keyword: 'video', since: back(90), minUpvotes: 1 },
    { keyword: 'benchmark', since: corpus.first, minUpvotes: 50 },
  ];
}

async function filteredList(scale, corpus, arch, prof, S) {
  const combos = listCombos(corpus);
  const db = openDb(arch.dbPath);
  const raw = new Database(arch.dbPath, { fileMustExist: true });
  const floorSql = `SELECT p.id, max(l.day) AS day, p.upvotes FROM listings l JOIN papers p ON p.id = l.paper_id
     WHERE p.pk IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?) AND l.day >= ? AND p.upvotes >= ?
     GROUP BY p.id ORDER BY day DESC, p.upvotes DESC LIMIT 20`;
  const floorStmt = raw.prepare(floorSql);
  const out = [];
  log(
    `${scale.name}: filtered list, ${combos.length} filters: in-process x${prof.listReps}, processes x${prof.listProcReps}`,
  );
  for (const c of combos) {
    const match = `{title abstract ai_summary ai_keywords} : "${c.keyword}"`;
    let ours = [];
    let fl = [];
    const { inproc, floor } = timeInterleaved(
      {
        inproc: () => {
          ours = [
            ...query.listPapers(db, { keywords: [c.keyword], since: c.since, minUpvotes: c.minUpvotes, limit: 20 }),
          ];
        },
        floor: () => {
          fl = floorStmt.all(match, c.since, c.minUpvotes);
        },
      },
      { reps: prof.listReps, warmup: 1 },
    );
    const proc = [];
    const procFloor = [];
    let sameOut = null;
    const klistArgs = ['-k', c.keyword, '--since', c.since, '--min-upvotes', String(c.minUpvotes), '--limit', '20'];
    const sql = await checkFloorSql(
      `${scale.name} list ${klistArgs.join(' ')}`,
      ['--db', arch.dbPath, 'list', ...klistArgs],
      [join(BENCH, 'floor-query.cjs'), arch.dbPath, 'klist', c.keyword, c.since, String(c.minUpvotes)],
      OPEN_DB,
    );
    for (let i = 0; i < prof.listProcReps; i++) {
      const r = await runOk(
        NODE,
        papers(
          arch.dbPath,
          'list',
          '-k',
          c.keyword,
          '--since',
          c.since,
          '--min-upvotes',
          String(c.minUpvotes),
          '--limit',
          '20',
        ),
        { env: baseEnv },
      );
      proc.push(r.ms);
      const f = await runOk(
        NODE,
        [join(BENCH, 'floor-query.cjs'), arch.dbPath, 'klist', c.keyword, c.since, String(c.minUpvotes)],
        { env: baseEnv },
      );
      procFloor.push(f.ms);
      sameOut = r.stdout === f.stdout;
    }
    const floorIds = fl.map((r) => r.id);
    out.push({
      ...c,
      inprocMs: median(inproc),
      floorMs: median(floor),
      procMs: median(proc),
      procFloorMs: median(procFloor),
      rows: ours.length,
      sameOut,
      sqlSame: sql.same,
      overlap: ours.filter((p) => floorIds.includes(p.id)).length,
      floorRows: floorIds.length,
    });
  }
  db.close();
  raw.close();
  const p = (k, q) =>
    percentile(
      out.map((x) => x[k]),
      q,
    );
  S.list = { combos: out };
  const note = `${combos.length} filters (-k, --since, --min-upvotes); rows in common with the floor: ${out.map((x) => `${x.overlap}/${x.floorRows}`).join(' ')} (papers keeps exact-word matches of -k, the floor SQL takes FTS's stemmed ones)`;
  row({
    scale: scale.name,
    section: 'list',
    measure: 'filtered list in-process, p50',
    value: p('inprocMs', 50),
    base: p('floorMs', 50),
    baseline: 'another plan: FTS first, as one SQL query (not a floor)',
    fmt: ms,
    note: `p95 ${ms(p('inprocMs', 95))} vs ${ms(p('floorMs', 95))}; ${note}`,
  });
  const same = out.filter((x) => x.sameOut).length;
  const sqlSame = out.filter((x) => x.sqlSame).length;
  row({
    scale: scale.name,
    section: 'list',
    measure: '`papers list -k --since --min-upvotes`, process, p50',
    value: p('procMs', 50),
    base: p('procFloorMs', 50),
    baseline: 'floor-query.cjs klist (process)',
    fmt: ms,
    target: '≤ 1.15x floor',
    check: (_, r) => r <= 1.15,
    invalid: same !== out.length || sqlSame !== out.length,
    note: `p95 ${ms(p('procMs', 95))} vs ${ms(p('procFloorMs', 95))}; the floor is a CommonJS process running list's walk (the same statements and word check) in one read transaction; output byte-identical on ${same}/${out.length} filters; SQL traced, the same as papers's (less openDb's set-up) on ${sqlSame}/${out.length} filters`,
  });
}

function fileHash(path) {
  const h = createHash('sha1');
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(1 << 20);
  for (let r; (r = readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, r));
  closeSync(fd);
  return h.digest('hex');
}

/** The whole archive exported (every paper), as Markdown and NDJSON, against the NDJSON floor. */
async function exportSection(scale, arch, prof, S) {
  const n = scale.n;
  if (!hasCommand('export')) {
    row({
      scale: scale.name,
      section: 'export',
      measure: `export ${fmtNum(n)} papers`,
      status: 'skipped',
      note: 'dist/commands/export.js not built yet',
    });
    S.export = { skipped: 'no export command' };
    return;
  }
  const outDir = join(CACHE, 'tmp');
  mkdirSync(outDir, { recursive: true });
  const res = {};
  log(
    `${scale.name}: export ${fmtNum(n)} papers x${prof.exportReps} (Markdown, NDJSON, floor), peak RSS via ${HAS_GNU_TIME ? '/usr/bin/time -v' : '/proc sampler'}`,
  );
  const variants = {
    markdown: [NODE, papers(arch.dbPath, 'export', '--format', 'markdown', '-o', join(outDir, 'export.md'))],
    ndjson: [NODE, papers(arch.dbPath, 'export', '--format', 'ndjson', '-o', join(outDir, 'export.ndjson'))],
    floor: [NODE, [join(BENCH, 'floor-export.cjs'), arch.dbPath, join(outDir, 'floor.ndjson')]],
  };
  for (const k of Object.keys(variants)) res[k] = { ms: [], rss: [] };
  const sql = await checkFloorSql(
    `${scale.name} export --format ndjson`,
    variants.ndjson[1].slice(1),
    variants.floor[1],
    OPEN_DB,
  );
  for (let i = 0; i < prof.exportReps; i++) {
    for (const [k, [cmd, args]] of Object.entries(variants)) {
      const r = await runWithPeakRss(cmd, args, { env: baseEnv });
      if (r.code !== 0) throw new Error(`${k} export failed (${r.code}): ${r.stderr.slice(-1500)}`);
      res[k].ms.push(r.ms);
      res[k].rss.push(r.peakRss);
    }
  }
  const lines = countLines(join(outDir, 'export.ndjson'));
  const sameOut = fileHash(join(outDir, 'export.ndjson')) === fileHash(join(outDir, 'floor.ndjson'));
  const sizes = {
    markdown: fileSize(join(outDir, 'export.md')),
    ndjson: fileSize(join(outDir, 'export.ndjson')),
    floor: fileSize(join(outDir, 'floor.ndjson')),
  };
  for (const f of ['export.md', 'export.ndjson', 'floor.ndjson']) rmSync(join(outDir, f), { force: true });
  const m = Object.fromEntries(Object.entries(res).map(([k, v]) => [k, { ms: median(v.ms), rss: Math.max(...v.rss) }]));
  S.export = { n, ...m, ndjsonLines: lines, sizes, sameOut };
  const how = `floor-export.cjs: export's SQL, the same paper objects and JSON lines in 64 KiB blocks, fsync and rename, one CommonJS process; NDJSON ${sameOut ? 'byte-identical' : 'DIFFERS'}; ${sql.head}`;
  for (const k of ['markdown', 'ndjson']) {
    const what = k === 'markdown' ? 'Markdown' : 'NDJSON';
    row({
      scale: scale.name,
      section: 'export',
      measure: `export ${fmtNum(n)} papers to ${what}, time`,
      value: m[k].ms,
      base: m.floor.ms,
      baseline: 'floor-export.cjs (NDJSON, process)',
      fmt: ms,
      target: k === 'ndjson' ? '≤ 1.2x floor' : '',
      check: k === 'ndjson' ? (_, r) => r <= 1.2 : undefined,
      invalid: k === 'ndjson' && (!sameOut || !sql.same),
      note: `${fmtBytes(sizes[k])}${k === 'ndjson' && lines !== n ? `; ${lines} lines, expected ${n}` : ''}${k === 'ndjson' ? `; ${how}` : '; Markdown is other work than the NDJSON floor'}`,
    });
    row({
      scale: scale.name,
      section: 'export',
      measure: `export ${fmtNum(n)} papers to ${what}, peak RSS`,
      value: m[k].rss,
      base: m.floor.rss,
      baseline: 'floor-export.cjs peak RSS',
      fmt: fmtBytes,
      target: '< 200 MB',
      check: (v) => v < 200 * 1024 * 1024,
    });
  }
}

function archiveSection(scale, corpus, arch, S) {
  const st = arch.build.stats;
  const perPaper = st.bytes / corpus.n;
  const rawPer = corpus.entryBytes / corpus.listings;
  const fts = st.tables.filter((t) => t.name.startsWith('papers_fts')).reduce((s, t) => s + t.bytes, 0);
  const papersT = st.tables.filter((t) => t.name === 'papers').reduce((s, t) => s + t.bytes, 0);
  S.archive = { ...S.archive, ...st, perPaper, rawPerEntry: rawPer, dump: fileSize(arch.dump) };
  row({
    scale: scale.name,
    section: 'archive',
    measure: 'archive bytes per paper',
    value: perPaper,
    base: rawPer,
    baseline: 'raw API entry JSON per paper',
    fmt: fmtBytes,
    note: `archive ${fmtBytes(st.bytes)}: papers table ${fmtBytes(papersT)} (raw JSON kept), FTS ${fmtBytes(fts)}; NDJSON dump ${fmtBytes(fileSize(arch.dump))}`,
  });
}

// ---- recommend (issue 24; bench/recommend.mjs) ------------------------------------------------

/** Quality on the real days: P@10 and P@20 against the TF-IDF centroid and BM25, 20 and 5 stars. */
async function recommendQuality() {
  const { evaluateQuality, qualityTable, qualityTargets } = await import('./recommend.mjs');
  const seeds = opt.quick ? [1, 2] : [1, 2, 3, 4, 5];
  log(`recommend: quality on the real days, seeds ${seeds.join(', ')}`);
  const q = evaluateQuality({ seeds, log });
  const out = { ...q };
  const fmt2 = (v) => v.toFixed(2);
  for (const [n, m] of Object.entries(q.means).sort((a, b) => b[0] - a[0])) {
    for (const [k, i] of [
      ['P@10', 0],
      ['P@20', 1],
    ])
      row({
        scale: 'real',
        section: 'recommend',
        measure: `recommend ${k}, ${n} stars, mean of ${m.topics} topics`,
        value: m.model[i],
        base: m.centroid[i],
        baseline: 'TF-IDF centroid of the stars',
        fmt: fmt2,
        ...(i === 0
          ? {
              target: Number(n) >= 20 ? '≥ 0.80 and ≥ centroid + 0.08' : '≥ centroid',
              check: (v) =>
                Number(n) >= 20 ? v >= 0.8 && v >= m.centroid[0] + 0.08 - 1e-9 : v >= m.centroid[0] - 1e-9,
            }
          : {}),
        note: `BM25 of the starred titles ${fmt2(m.bm25[i])}; topics from HF ai_keywords (not read by the model), stars before ${q.cutoff}, seeds ${seeds.join(', ')}`,
      });
  }
  if (!opt.quick) {
    // What each part adds: the same evaluation without it (LSA, on by default), or with it
    // (authors, off by default: they cost 0.01-0.02 of P@10 on these days).
    out.ablations = {};
    for (const [part, model] of [
      ['without the LSA view', { lsa: false }],
      ['with authors as features', { authors: true }],
    ]) {
      const without = evaluateQuality({ seeds, log, model });
      out.ablations[part] = without.means;
      for (const [n, m] of Object.entries(without.means))
        row({
          scale: 'real',
          section: 'recommend',
          measure: `recommend P@10, ${n} stars, ${part}`,
          value: m.model[0],
          base: q.means[n].model[0],
          baseline: 'the model as it ships',
          fmt: fmt2,
          note: 'what the part adds or costs is the difference',
        });
    }
  }
  results.recommend = out;
  process.stderr.write(`\n${qualityTable(q)}\n\n`);
  results.recommendTable = qualityTable(q);
  return qualityTargets(q);
}

/** Speed on the scale's archive: recommend over a week, and a 2,000-paper day ranked for you. */
async function recommendSpeed(scale, arch, S) {
  const { measureSpeed } = await import('./recommend.mjs');
  const reps = opt.quick ? 2 : 5;
  log(`${scale.name}: recommend and a day ranked for you, x${reps}`);
  const r = measureSpeed(arch.dbPath, { reps, seed });
  S.recommend = r;
  row({
    scale: scale.name,
    section: 'recommend',
    measure: `recommend --since 7d (${fmtNum(r.candidates)} candidates), top 20 --why, in-process p50`,
    value: r.recommendMs,
    base: r.listMs,
    baseline: 'list of the same papers',
    fmt: ms,
    target: '≤ 300 ms',
    check: (v) => v <= 300,
    note: `trained on ${r.trained} (stars + others); 20 seeded stars`,
  });
  row({
    scale: scale.name,
    section: 'recommend',
    measure: `a ${fmtNum(r.day)}-paper day ordered for you (today --source arxiv), in-process p50`,
    value: r.rankMs + r.dayListMs,
    base: r.dayListMs,
    baseline: 'the same day in list order',
    fmt: ms,
    target: '≤ list + 300 ms',
    check: (v) => v <= r.dayListMs + 300,
    note: `the model's share: ${ms(r.rankMs)}`,
  });
}

// ---- the table --------------------------------------------------------------------------------

function printTable() {
  const head = ['scale', 'measure', 'value', 'baseline', 'base value', 'ratio', 'target', 'status'];
  const body = rows.map((r) => [
    r.scale,
    r.measure,
    r.fmt && Number.isFinite(r.value) ? r.fmt(r.value) : r.value === undefined ? '—' : String(r.value),
    r.baseline ?? '',
    r.fmt && Number.isFinite(r.base) ? r.fmt(r.base) : '',
    Number.isFinite(r.ratio) && !(r.section === 'search' && r.measure.startsWith('top 20'))
      ? `${r.ratio >= 10 ? r.ratio.toFixed(0) : r.ratio.toFixed(2)}x`
      : '',
    r.target ?? '',
    r.status,
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
  const out = [line(head), '|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|', ...body.map(line)];
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.scale} ${r.measure}: ${r.note}`);
  return `${out.join('\n')}\n\nNotes:\n${notes.join('\n')}\n`;
}

// ---- main -------------------------------------------------------------------------------------

let failed = null;
try {
  if (only.has('real')) await realSamples(profileFor(scales[0].n));
  if (only.has('fulltext')) await fullTextSection();
  if (only.has('recommend')) await recommendQuality();
  // `--only real` (or fulltext) measures no scale: no corpus or archive is built for it.
  for (const scale of [...only].some((s) => s !== 'real' && s !== 'fulltext') ? scales : []) {
    const prof = profileFor(scale.n);
    const S = (results.scales[scale.name] = { n: scale.n, profile: prof });
    const corpus = corpusFor(scale);
    S.corpus = {
      first: corpus.first,
      last: corpus.last,
      days: corpus.days,
      listings: corpus.listings,
      relisted: corpus.relisted,
      maxPerDay: corpus.maxPerDay,
      medianPerDay: corpus.medianPerDay,
      bytes: corpus.bytes,
    };
    const arch = await archiveFor(scale, corpus, prof, S);
    if (only.has('sync')) reportSync(scale, corpus, arch, S, await syncSqlCheck());
    if (only.has('startup')) await startup(scale, arch, prof, S);
    if (only.has('search')) await search(scale, arch, prof, S);
    if (only.has('list')) await filteredList(scale, corpus, arch, prof, S);
    if (only.has('export')) await exportSection(scale, arch, prof, S);
    if (only.has('archive')) archiveSection(scale, corpus, arch, S);
    if (only.has('recommend') || only.has('recommend-speed')) await recommendSpeed(scale, arch, S);
    if (opt.explore) {
      log(`${scale.name}: exploring where search time goes (bench/explore-search.mjs)`);
      const r = await runOk(NODE, [join(BENCH, 'explore-search.mjs'), arch.dbPath], { env: baseEnv });
      S.explore = JSON.parse(r.stdout);
      process.stderr.write(r.stderr);
    }
  }
} catch (err) {
  failed = err;
}

results.finishedAt = new Date().toISOString();
results.machine.loadavgEnd = os.loadavg();
results.durationMs = now() - T0;
const table = printTable();
results.table = table;
writeFileSync(opt.out, JSON.stringify(results, (_k, v) => (typeof v === 'function' ? undefined : v), 2) + '\n');
const m = results.machine;
process.stdout.write(
  `\npapers benchmark — ${m.cpus} × ${m.cpu}, ${fmtBytes(m.memory)} RAM, ${m.os}, Node ${m.node}, SQLite ${m.sqlite}` +
    `${results.git ? `, commit ${results.git.commit.slice(0, 10)}${results.git.dirtyFiles ? ` (+${results.git.dirtyFiles} modified files)` : ''}` : ''}\n` +
    `load average ${m.loadavgStart.map((x) => x.toFixed(2)).join(' ')} at start, ${m.loadavgEnd.map((x) => x.toFixed(2)).join(' ')} at end; ratio = value / baseline\n\n` +
    table +
    `\nresults: ${opt.out} (${(results.durationMs / 1000).toFixed(0)} s)\n`,
);
const invalid = rows.filter((r) => r.invalid);
if (!failed && invalid.length)
  failed = new Error(
    `a floor's output or SQL differs from the code's: ${invalid.map((r) => `${r.scale} ${r.measure}`).join('; ')}`,
  );
if (failed) {
  console.error(`bench failed: ${failed.stack ?? failed}`);
  process.exit(1);
}
