#!/usr/bin/env node
// Where the start-up of a read command goes: runs `papers` under V8's sampling profiler
// (--cpu-prof) several times and charges every sample to the innermost known part of the
// stack (bundle load, better-sqlite3 load, commander, createIO, openDb, the SQL, output...),
// beside the floor process (floor-query.cjs) profiled the same way. Node's own bootstrap,
// before the profiler starts, is the process wall time minus the profile's span.
//   node bench/startup-profile.mjs DB [list | search QUERY] [--runs N]
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median, run, timedEnv } from './lib/measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const runsAt = argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(argv.splice(runsAt, 2)[1]) : 10;
const [db, kind = 'list', q = 'language model'] = argv;
// The benchmark's one environment for timed processes (no NODE_OPTIONS, NODE_EXTRA_CA_CERTS).
const env = timedEnv();

// Innermost match wins: a sample inside openDb's pragma call is "openDb", not "the command".
const PARTS = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  [
    'better-sqlite3 load (native addon)',
    (f) => /better-sqlite3\/lib\/|bindings|\.node$/.test(f.url) && f.functionName === '',
  ],
  ['SQLite: open', (f) => f.functionName === 'Database' && /better-sqlite3/.test(f.url)],
  ['SQLite: pragmas', (f) => f.functionName === 'pragma'],
  ['SQLite: prepare', (f) => f.functionName === 'prepare'],
  [
    'SQLite: run the query',
    (f) => ['all', 'get', 'iterate', 'next', 'exec', 'run'].includes(f.functionName) && /better-sqlite3|^$/.test(f.url),
  ],
  [
    'openDb (checks, migrate check)',
    (f) =>
      ['openDb', 'checkVersion', 'migrate', 'checkHeader', 'readOnlyReason', 'ensureParent'].includes(f.functionName),
  ],
  ['createIO', (f) => f.functionName === 'createIO'],
  ['createContext (config)', (f) => f.functionName === 'createContext'],
  ['commander: build all commands', (f) => f.functionName === 'buildProgram'],
  ['commander: parse', (f) => /commander/.test(f.url) || f.functionName === 'require_commander'],
  ['bundle: module inits', (f) => /^init_/.test(f.functionName)],
  ['bundle: compile + top level', (f) => /papers\.cjs$/.test(f.url) && f.functionName === ''],
  ['floor script top level', (f) => /floor-query\.cjs$/.test(f.url) && f.functionName === ''],
  ['output', (f) => /^(write|writeOrBuffer|_write|writeGeneric|writev|tsvLine|out)$/.test(f.functionName)],
  ['node: module loader', (f) => /^node:internal\/modules/.test(f.url)],
];

/** The fine parts in the groups the report names. Native SQLite work shows in its JS caller. */
function group(part) {
  if (/^load, asked by (papers\.js|node:module) |^node: module loader$|^bundle: /.test(part))
    return 'load bin + bundle (read, compile, top level, inits)';
  if (
    /^load, asked by (papers\.cjs openDb|database\.js|bindings\.js|[a-z]+\.js \(top level\))|^better-sqlite3 load/.test(
      part,
    )
  )
    return 'load better-sqlite3 (JS + native addon)';
  if (/^load, asked by floor-query/.test(part)) return 'load better-sqlite3 (JS + native addon)';
  if (/^load, asked by papers\.cjs/.test(part)) return 'load, asked by the bundle (other modules)';
  if (/^SQLite: open|^SQLite: pragmas|^openDb/.test(part)) return 'open the archive (open, pragmas, version check)';
  if (/^createIO|^createContext/.test(part)) return 'createContext + createIO';
  if (/^commander/.test(part)) return part;
  if (part === 'GC') return 'GC';
  return 'the query and its output (JS and native SQLite)';
}

function analyze(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const memo = new Map();
  const partOf = (id) => {
    if (memo.has(id)) return memo.get(id);
    const n = byId.get(id);
    let part = null;
    for (const [name, test] of PARTS) if (test(n.callFrame)) part = name;
    let inner = part ?? (parent.has(id) ? partOf(parent.get(id)) : null);
    // Module loading (resolve, read, compile) is charged to what asked for the module: the
    // nearest caller outside node's loader (bin/papers.js loading the bundle; openDb loading
    // better-sqlite3).
    if (part === 'node: module loader') {
      let a = parent.get(id);
      while (a !== undefined && /^node:internal|^$/.test(byId.get(a).callFrame.url)) a = parent.get(a);
      const f = a === undefined ? null : byId.get(a).callFrame;
      inner = f ? `load, asked by ${f.url.split('/').pop()} ${f.functionName || '(top level)'}` : part;
    }
    // Innermost: a node's own match beats its ancestors'.
    const res =
      inner ??
      (n.callFrame.functionName === '(program)'
        ? 'V8/native (compile, bootstrap of the profile)'
        : n.callFrame.functionName === '(idle)'
          ? 'idle (waiting on I/O)'
          : 'other JS');
    memo.set(id, res);
    return res;
  };
  const out = {};
  const dts = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    const part = group(partOf(profile.samples[i]));
    out[part] = (out[part] ?? 0) + (dts[i + 1] ?? dts[i]) / 1000;
  }
  return { parts: out, spanMs: (profile.endTime - profile.startTime) / 1000 };
}

async function profileOf(label, args) {
  const wall = [];
  const parts = {};
  const spans = [];
  for (let i = -1; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'papers-prof-'));
    const r = await run(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', dir, ...args],
      { env, keep: false },
    );
    if (r.code !== 0) throw new Error(`${label} exited ${r.code}: ${r.stderr}`);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    const a = analyze(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    rmSync(dir, { recursive: true, force: true });
    if (i < 0) continue; // warm-up
    wall.push(r.ms);
    spans.push(a.spanMs);
    for (const [k, v] of Object.entries(a.parts)) (parts[k] ??= []).push(v);
  }
  const med = Object.fromEntries(
    Object.entries(parts).map(([k, v]) => [k, median([...v, ...Array(RUNS - v.length).fill(0)])]),
  );
  return {
    label,
    wallMs: median(wall),
    profiledMs: median(spans),
    beforeProfileMs: median(wall) - median(spans),
    parts: med,
  };
}

const papersArgs = kind === 'search' ? ['search', q] : ['list', '--limit', '20'];
const quoted = q
  .split(/\s+/)
  .map((t) => `"${t.replace(/"/g, '""')}"`)
  .join(' ');
const floorArgs = kind === 'search' ? ['search', quoted] : ['list'];
const results = [];
results.push(
  await profileOf(`papers ${papersArgs.join(' ')}`, [join(ROOT, 'bin', 'papers.js'), '--db', db, ...papersArgs]),
);
results.push(
  await profileOf(`floor-query.cjs ${floorArgs.join(' ')}`, [join(ROOT, 'bench', 'floor-query.cjs'), db, ...floorArgs]),
);
results.push(await profileOf('node -e 0', ['-e', '0']));

const names = [...new Set(results.flatMap((r) => Object.keys(r.parts)))].sort(
  (a, b) => (results[0].parts[b] ?? 0) - (results[0].parts[a] ?? 0),
);
const fmt = (v) => (v === undefined ? '' : v.toFixed(1));
const lines = [
  `| part (ms, median of ${RUNS}, with --cpu-prof) | ${results.map((r) => r.label).join(' | ')} |`,
  `|---|${results.map(() => '---').join('|')}|`,
];
lines.push(`| whole process (wall) | ${results.map((r) => fmt(r.wallMs)).join(' | ')} |`);
lines.push(
  `| node bootstrap and exit (outside the profile) | ${results.map((r) => fmt(r.beforeProfileMs)).join(' | ')} |`,
);
for (const n of names) lines.push(`| ${n} | ${results.map((r) => fmt(r.parts[n])).join(' | ')} |`);
process.stdout.write(lines.join('\n') + '\n');
process.stderr.write(JSON.stringify(results) + '\n');
