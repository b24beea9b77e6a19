#!/usr/bin/env node
// Upgrading an old archive (issue 23.3): an archive from before m006 with 96k upvote
// snapshots (one did not finish in 905 s when m006's folding was quadratic) brought to the
// current schema by `papers status`, the built CLI as a real process, and by openDb
// in-process, where m006 reports its own share. The snapshots, runs and papers are seeded:
// hourly sync runs (a few never finished, some overlapping the next), snapshots spread over
// them as one row per day saved would be.
//
//   node bench/migrate.mjs [--snapshots 96000] [--reps 3] [--seed 23] [--json]
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { fillSnapshots, oldArchive } from '../kit/old-archive.mjs';
import { median, fmtMs } from './lib/measure.mjs';
import { ROOT, core } from './lib/modules.mjs';

const { values } = parseArgs({
  options: {
    snapshots: { type: 'string', default: '96000' },
    reps: { type: 'string', default: '3' },
    seed: { type: 'string', default: '23' },
    json: { type: 'boolean' },
  },
});
const snapshots = Number(values.snapshots);
const reps = Number(values.reps);
const seed = Number(values.seed);

const { migrations, SCHEMA_VERSION } = await core('db/migrations.js');
const { openDb } = await core('db/open.js');
const M006 = migrations.findIndex((m) => m.name === 'm006_snapshot_observations');

const dir = join(ROOT, 'bench', '.cache', 'migrate');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

/** The archive before m006: papers, hourly runs and `n` snapshots, from the seed (kit/, as the tests build it). */
function buildOld(path, n) {
  const db = oldArchive(Database, migrations, M006, path);
  const papers = Math.max(100, Math.round(n / 12));
  const runs = Math.max(50, Math.round(n / 60));
  fillSnapshots(db, { seed, papers, runs, snapshots: n });
  const made = db.prepare('SELECT count(*) FROM snapshots').pluck().get();
  db.close();
  return { papers, runs, made };
}

const master = join(dir, 'old.db');
const shape = buildOld(master, snapshots);
const fresh = (name) => {
  const p = join(dir, name);
  for (const s of ['', '-wal', '-shm']) rmSync(p + s, { force: true });
  copyFileSync(master, p);
  return p;
};

const cli = [];
const inProcess = [];
const m006 = [];
for (let i = 0; i < reps; i++) {
  const a = fresh('cli.db');
  const t = performance.now();
  execFileSync(process.execPath, [join(ROOT, 'bin', 'papers.js'), '--db', a, 'status', '--json'], {
    env: { PATH: process.env.PATH, HOME: dir, PAPERS_HOME: dir },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  cli.push(performance.now() - t);
  const b = fresh('core.db');
  let m006Start = 0;
  let m006End = 0;
  const t2 = performance.now();
  const db = openDb(b, {
    onMigrate: (e) => {
      if (e.name === 'm006_snapshot_observations' && e.done === undefined) m006Start = performance.now();
      else if (e.name !== 'm006_snapshot_observations' && m006Start && !m006End) m006End = performance.now();
    },
  });
  inProcess.push(performance.now() - t2);
  m006.push((m006End || performance.now()) - m006Start);
  if (db.pragma('user_version', { simple: true }) !== SCHEMA_VERSION) throw new Error('the archive was not upgraded');
  const left = db.prepare('SELECT count(*) FROM snapshots').pluck().get();
  db.close();
  if (i === 0) shape.after = left;
}

const result = {
  snapshots,
  ...shape,
  from: M006,
  to: SCHEMA_VERSION,
  cliMs: median(cli),
  inProcessMs: median(inProcess),
  m006Ms: median(m006),
  reps,
  seed,
};
if (values.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(
    `upgrade of an archive at schema ${M006} with ${snapshots.toLocaleString('en-US')} snapshots ` +
      `(${shape.papers} papers, ${shape.runs} runs; ${shape.after.toLocaleString('en-US')} left after folding)`,
  );
  console.log(`  papers status (whole process): ${fmtMs(result.cliMs)}   median of ${reps}`);
  console.log(`  openDb in-process:             ${fmtMs(result.inProcessMs)}`);
  console.log(`  of which m006:                 ${fmtMs(result.m006Ms)}`);
}
rmSync(dir, { recursive: true, force: true });
