// Timing and memory helpers: whole processes (wall time from spawn to exit, stdout consumed
// as a pipe would be), peak RSS (/usr/bin/time -v, else a /proc VmHWM sampler), statistics.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const now = () => Number(process.hrtime.bigint()) / 1e6;

/**
 * What every timed process runs without: what changes papers' behaviour, and
 * NODE_EXTRA_CA_CERTS, which makes every node start read and parse a CA bundle (about 45 ms
 * of CPU on these machines, on both sides of every ratio, pulling start-up ratios toward 1).
 */
export const DROPPED_ENV = [
  'FORCE_COLOR',
  'HF_TOKEN',
  'PAPERS_DB',
  'PAPERS_DEBUG',
  'HF_ENDPOINT',
  'NODE_OPTIONS',
  'NODE_EXTRA_CA_CERTS',
];

/** The one environment of the timed processes: this process's, less DROPPED_ENV, plus `extra`. */
export function timedEnv(extra = {}) {
  const env = { ...process.env, NO_COLOR: '1', TERM: 'dumb', ...extra };
  for (const k of DROPPED_ENV) delete env[k];
  return env;
}

export function median(xs) {
  return percentile(xs, 50);
}

/** Linear-interpolated percentile of a list (p in 0..100). */
export function percentile(xs, p) {
  const a = xs.filter((x) => Number.isFinite(x)).sort((x, y) => x - y);
  if (a.length === 0) return NaN;
  const r = ((a.length - 1) * p) / 100;
  const lo = Math.floor(r);
  const hi = Math.ceil(r);
  return a[lo] + (a[hi] - a[lo]) * (r - lo);
}

/**
 * Runs a command to completion. Resolves { ms, code, stdout, stderr }; stdout is read like a
 * pipe reader would (kept as text when `keep`, else only counted).
 */
export function run(cmd, args, { env, cwd, keep = true, input, onSpawn } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const child = spawn(cmd, args, { env, cwd, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    onSpawn?.(child.pid);
    const out = [];
    const err = [];
    let outBytes = 0;
    child.stdout.on('data', (b) => {
      outBytes += b.length;
      if (keep) out.push(b);
    });
    child.stderr.on('data', (b) => err.push(b));
    if (input !== undefined) child.stdin.end(input);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({
        ms: now() - t0,
        code: code ?? (signal ? 128 : 1),
        signal,
        stdout: keep ? Buffer.concat(out).toString('utf8') : '',
        outBytes,
        stderr: Buffer.concat(err).toString('utf8'),
        pid: child.pid,
      });
    });
  });
}

/** Like run, but throws with the stderr when the command fails. */
export async function runOk(cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    const e = new Error(`${[cmd, ...args].join(' ')} exited ${r.code}: ${r.stderr.trim().slice(-2000)}`);
    e.result = r;
    throw e;
  }
  return r;
}

export const HAS_GNU_TIME = (() => {
  try {
    return existsSync('/usr/bin/time') && readFileSync('/usr/bin/time').includes('Maximum resident set size');
  } catch {
    return false;
  }
})();

/**
 * Runs a command and reports its peak RSS in bytes with the wall time. With GNU time the
 * kernel's own maximum (ru_maxrss) is read; otherwise VmHWM is sampled from /proc every 10 ms.
 */
export async function runWithPeakRss(cmd, args, opts = {}) {
  if (HAS_GNU_TIME) {
    // With `breakdown`, what the resident memory is made of at its largest (anonymous: heaps;
    // file: mapped files and code; shmem: shared mappings such as SQLite's WAL index).
    let top = null;
    let timer = null;
    const onSpawn = (timePid) => {
      timer = setInterval(() => {
        try {
          const child = readFileSync(`/proc/${timePid}/task/${timePid}/children`, 'utf8').trim().split(' ')[0];
          const st = readFileSync(`/proc/${child}/status`, 'utf8');
          const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(st)?.[1] ?? NaN) * 1024;
          const cur = { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile'), shmem: kb('RssShmem') };
          if (!top || cur.rss > top.rss) top = cur;
        } catch {
          /* not started yet, or gone */
        }
      }, 250);
    };
    const r = await run('/usr/bin/time', ['-v', cmd, ...args], {
      ...opts,
      onSpawn: opts.breakdown ? onSpawn : undefined,
    });
    if (timer) clearInterval(timer);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    // CPU time moves far less than wall time when other work shares the cores.
    const u = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
    const s = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
    const cpuMs = u && s ? (Number(u[1]) + Number(s[1])) * 1000 : NaN;
    return { ...r, peakRss: m ? Number(m[1]) * 1024 : NaN, cpuMs, rssBreakdown: top, rssMethod: '/usr/bin/time -v' };
  }
  let peak = 0;
  const t0 = now();
  const child = spawn(cmd, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const timer = setInterval(() => {
    try {
      const s = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+) kB/.exec(s);
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      /* exited */
    }
  }, 10);
  const err = [];
  const out = [];
  child.stdout.on('data', (b) => opts.keep && out.push(b));
  child.stderr.on('data', (b) => err.push(b));
  const code = await new Promise((res) => child.on('close', (c) => res(c ?? 1)));
  clearInterval(timer);
  return {
    ms: now() - t0,
    cpuMs: NaN,
    code,
    stdout: Buffer.concat(out).toString('utf8'),
    stderr: Buffer.concat(err).toString('utf8'),
    peakRss: peak || NaN,
    rssMethod: '/proc VmHWM sampler (10 ms)',
  };
}

/** Times a synchronous function `reps` times after `warmup` calls; returns the list of ms. */
export function timeSync(fn, { reps = 5, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const out = [];
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    fn();
    out.push(now() - t0);
  }
  return out;
}

/**
 * Times several synchronous functions interleaved (a, b, a, b, …) so that a burst of load from
 * other processes hits them alike; returns { name: [ms, …] }.
 */
export function timeInterleaved(fns, { reps = 5, warmup = 1 } = {}) {
  const out = Object.fromEntries(Object.keys(fns).map((k) => [k, []]));
  for (let i = -warmup; i < reps; i++) {
    for (const [k, fn] of Object.entries(fns)) {
      const t0 = now();
      fn();
      if (i >= 0) out[k].push(now() - t0);
    }
  }
  return out;
}

export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return '—';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function fmtBytes(b) {
  if (!Number.isFinite(b)) return '—';
  if (b >= 1e9) return `${(b / 1e9).toFixed(2)} GB`;
  if (b >= 1e6) return `${(b / 1e6).toFixed(1)} MB`;
  if (b >= 1e3) return `${(b / 1e3).toFixed(1)} kB`;
  return `${b} B`;
}

export function fmtNum(n) {
  if (!Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString('en-US');
}
