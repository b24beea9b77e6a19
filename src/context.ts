/**
 * The context a command runs in, built once by cli.ts from the process (or by a test
 * from fakes): IO, config, clock, archive and HTTP client. Nothing below commands/
 * sees process.* directly.
 */
import type { Dispatcher } from 'undici';
import { checkEndpoint, checkToken, resolveConfig, type Config, type Env } from './config.js';
import type { SyncDeps } from './core/sync.js';
import type { RunnerDeps } from './core/runner.js';
import type { ArxivSourceOptions } from './sources/arxiv/source.js';
import { existsSync } from 'node:fs';
import type { Access } from './cmdutil/spec.js';
import { lockPathFor } from './db/lock.js';
import { PapersError, errorMessage } from './errors.js';
import type { DB, MigrateEvent, OpenOptions } from './db/open.js';
import type { HttpClient, HttpEvent, HttpOptions } from './http/client.js';
import type { IO, ColorChoice, Stream } from './render/io.js';
import { visibleControls } from './text.js';
import { VERSION } from './version.js';

export interface RunEnv {
  env: Env;
  stdout: Stream;
  stderr: Stream;
  now?: () => Date;
  /** undici dispatcher for tests (a MockAgent); production uses the proxy-aware agent. */
  dispatcher?: Dispatcher;
  /** Overrides for retry timings in tests. */
  http?: Partial<HttpOptions>;
  pid?: number;
  signal?: AbortSignal;
}

export interface GlobalFlags {
  db?: string;
  color?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  /** `--no-pager` sets false. */
  pager?: boolean;
}

/**
 * An upgrade of an existing archive, on a terminal: one line that says which migration runs
 * and how far it is (a long one reports its progress), cleared when it is done.
 */
function migrationProgress(io: IO): ((e: MigrateEvent) => void) & { done(): void } {
  let shown = false;
  const report = (e: MigrateEvent) => {
    if (e.from === 0) return; // a new archive: nothing to upgrade
    const part = e.total ? ` (${e.done!.toLocaleString('en-US')} of ${e.total.toLocaleString('en-US')})` : '';
    io.stderr.write(`\r\u001b[Kupgrading the archive to schema ${e.to}: step ${e.step}, ${e.name}${part}…`);
    shown = true;
  };
  return Object.assign(report, {
    done: () => {
      if (shown) io.stderr.write('\r\u001b[K');
    },
  });
}

export interface Context {
  config: Config;
  io: IO;
  now: () => Date;
  quiet: boolean;
  /** --verbose (or PAPERS_DEBUG): say what a fallback or a failure swallowed. */
  verbose: boolean;
  pid: number;
  signal: AbortSignal | undefined;
  /** Opens (creating and migrating) the archive; the same handle on repeated calls. */
  db(opts?: OpenOptions): Promise<DB>;
  /** The HTTP client; with --verbose it logs each request on stderr. */
  http(opts?: { timeoutMs?: number }): Promise<HttpClient>;
  /** What core's sync needs: the archive, the client, the endpoint, the clock, the lock. */
  syncDeps(opts?: { timeoutMs?: number }): Promise<SyncDeps>;
  /** What the sync runner needs (every source): the archive, the client, the clock, the lock. */
  runnerDeps(opts?: { timeoutMs?: number }): Promise<RunnerDeps>;
  /** arXiv's endpoints and the one PoliteGate of this run (one request at a time per host, 3 s apart). */
  arxiv(): Promise<ArxivSourceOptions>;
  /** The file whose lock one sync at a time holds. */
  lockPath: string;
  close(): Promise<void>;
}

export interface ContextOptions {
  /**
   * 'read': the command only reads the archive. It may open an archive it cannot write,
   * and it reads one snapshot: every query of the command sees the archive as it was at
   * its first read, never a day that a concurrent sync commits halfway through it.
   * 'update': the command writes an archive that must already exist (a mark, a watch,
   * the index). 'write': it may create the archive (sync, import, today).
   */
  access?: Access;
  /** The command's output may be long: page it on a terminal (unless --no-pager or PAGER=cat). */
  pager?: boolean;
}

export async function createContext(run: RunEnv, flags: GlobalFlags, copts: ContextOptions = {}): Promise<Context> {
  const { createIO } = await import('./render/io.js');
  const choice: ColorChoice = flags.color === true ? 'always' : flags.color === false ? 'never' : 'auto';
  const config = resolveConfig(run.env, { db: flags.db });
  const verbose = !!flags.verbose || config.debug;
  const { terminal } = config;
  // Long output of a paging command on a terminal goes through $PAGER (render/pager.ts).
  let paged: import('./render/pager.js').PagedStream | undefined;
  let stdout = run.stdout;
  // Set below; the pager only fails once output is written, after io exists.
  let io: IO | undefined;
  if (copts.pager && flags.pager !== false && run.stdout.isTTY && terminal.pager) {
    const { PagedStream } = await import('./render/pager.js');
    const rows = run.stdout.rows || terminal.lines || 24;
    const pager = terminal.pager;
    // -v: why the output was not paged (a missing pager is silent: PagedStream says so).
    const onFailure = (err: unknown) => {
      if (verbose)
        io?.err(io.errColor.dim(`pager ${visibleControls(pager.command)} did not start: ${errorMessage(err)}`));
    };
    stdout = paged = new PagedStream(run.stdout, pager, Math.max(2, rows - 1), terminal.pagerEnv, onFailure);
  }
  io = await createIO(stdout, run.stderr, terminal, choice);
  let db: DB | undefined;
  let http: HttpClient | undefined;
  let arxiv: ArxivSourceOptions | undefined;
  let hosts: import('./db/host-clock.js').FileHostClock | undefined;
  const now = run.now ?? (() => new Date());
  const pid = run.pid ?? process.pid;
  const lockPath = lockPathFor(config.dbPath);
  // -v: one line per request on stderr (the URL and the server's words may carry controls).
  const logRequest = (e: HttpEvent) => {
    const what = e.error ? `${e.status ? `HTTP ${e.status}` : e.error}` : `HTTP ${e.status}`;
    const retry = e.retryInMs !== undefined ? `, retry in ${(e.retryInMs / 1000).toFixed(1)}s` : '';
    const line = `GET ${visibleControls(e.url)} → ${visibleControls(what)} (${e.ms} ms, attempt ${e.attempt}${retry})`;
    io.err(io.errColor.dim(line));
  };
  const ctx: Context = {
    config,
    io,
    verbose,
    now,
    quiet: !!flags.quiet,
    pid,
    signal: run.signal,
    lockPath,
    async db(opts) {
      if (!db) {
        const { openDb } = await import('./db/open.js');
        const read = copts.access === 'read';
        // Only commands that fill an archive create one: a mistyped --db is an error, not a new file.
        if (copts.access !== 'write' && config.dbPath !== ':memory:' && !existsSync(config.dbPath)) {
          throw new PapersError(`no archive at ${visibleControls(config.dbPath)}`, {
            hint: '`papers sync` creates it; or check --db and PAPERS_DB',
          });
        }
        const onMigrate = io.errTty && !flags.quiet ? migrationProgress(io) : undefined;
        try {
          db = openDb(config.dbPath, { ...(read ? { readonly: true, reader: true } : {}), onMigrate, ...opts });
        } finally {
          onMigrate?.done(); // the line cleared, also before an error says why the upgrade stopped
        }
        // A deferred transaction: the snapshot is taken by the first read and kept to the end.
        if (read) db.exec('BEGIN');
      }
      return db;
    },
    async http(opts = {}) {
      if (!http) {
        checkEndpoint(config.endpoint);
        checkToken(config.token);
        const { HttpClient } = await import('./http/client.js');
        http = new HttpClient({
          userAgent: `papers/${VERSION}`,
          token: config.token,
          dispatcher: run.dispatcher,
          onEvent: verbose ? logRequest : undefined,
          proxy: config.proxy,
          ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }),
          ...run.http,
        });
      }
      return http;
    },
    async syncDeps(opts = {}) {
      const client = await ctx.http(opts);
      return { db: await ctx.db(), http: client, endpoint: config.endpoint, now, pid, lockPath };
    },
    async runnerDeps(opts = {}) {
      const client = await ctx.http(opts);
      return { db: await ctx.db(), http: client, now, pid, lockPath };
    },
    async arxiv() {
      if (!arxiv) {
        const endpoint = config.arxivEndpoint;
        if (endpoint) checkEndpoint(endpoint, 'ARXIV_ENDPOINT', 'https://export.arxiv.org');
        const { PoliteGate } = await import('./sources/arxiv/adapter.js');
        const { FileHostClock, hostClockPath } = await import('./db/host-clock.js');
        // The delay holds across processes on one archive (an in-memory one has no neighbours).
        if (config.dbPath !== ':memory:') hosts = new FileHostClock(hostClockPath(config.dbPath), config.arxivDelayMs);
        const gate = new PoliteGate(config.arxivDelayMs, undefined, undefined, hosts);
        arxiv = { endpoints: config.arxivEndpoints, gate };
      }
      return arxiv;
    },
    async close() {
      if (db?.open && db.inTransaction) db.exec('ROLLBACK');
      db?.close();
      db = undefined;
      await http?.close();
      http = undefined;
      hosts?.close();
      hosts = undefined;
      // Last: the reader may take their time in the pager; the archive is closed by then.
      await paged?.end();
      paged = undefined;
    },
  };
  return ctx;
}
