/**
 * The one HTTP client: undici with an injectable dispatcher, a deadline on every
 * request, bounded retries with exponential backoff and full jitter on network errors,
 * 5xx, 429 and bodies that fail validation (truncated or not what we asked for).
 * 429 and 503 honour `Retry-After` and the IETF `RateLimit` header (`t=` seconds);
 * other 4xx are never retried. A 429 pauses every request of this client, not just
 * the one that saw it, so parallel workers do not hammer a rate-limited host.
 */
import type { Dispatcher } from 'undici';
import type { ProxyConfig } from '../config.js';
import { InterruptedError, NetworkError, ParseError, isAbortError, errorMessage } from '../errors.js';
import { sleep as defaultSleep } from '../sleep.js';
import { importPackage } from '../shims/import.js';
import { formatBytes } from '../text.js';
import { setFlagsFromString } from 'node:v8';

export interface HttpEvent {
  url: string;
  attempt: number;
  status?: number;
  ms: number;
  error?: string;
  retryInMs?: number;
}

export interface HttpOptions {
  dispatcher?: Dispatcher;
  /** The proxies (config.ts reads them), for the agent made when no dispatcher is given. */
  proxy?: ProxyConfig;
  /** Largest body read (bytes); a bigger one fails the request at once, without a retry. */
  maxBodyBytes?: number;
  userAgent: string;
  token?: string;
  /** Deadline for one request, headers and body together. */
  timeoutMs?: number;
  /** Attempts per request, the first included. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A server asking us to wait longer than this fails the request instead. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  onEvent?: (e: HttpEvent) => void;
}

export interface HttpResponse {
  /** The URL as it may be shown: any credentials in it redacted. */
  url: string;
  status: number;
  headers: Record<string, string>;
  /** The body as text ('' when `binary` was asked for). */
  body: string;
  /** The body's bytes, when `binary` was asked for (a PDF). */
  bytes?: Buffer;
}

/** Shared request counter, so a caller can cap the requests spent on one unit of work. */
export interface RequestBudget {
  used: number;
  max: number;
}

export interface GetOptions {
  accept?: string;
  signal?: AbortSignal;
  /** Statuses returned to the caller instead of thrown (e.g. 404 to trigger a fallback). */
  passStatus?: number[];
  /** Throw a RetryableBodyError to have the request retried; other errors propagate. */
  validate?: (res: HttpResponse) => void | Promise<void>;
  budget?: RequestBudget;
  /** Overrides the client's body limit for this request. */
  maxBodyBytes?: number;
  /** Extra request headers (conditional requests: If-None-Match, If-Modified-Since). */
  headers?: Record<string, string>;
  /** A floor under every retry delay: hosts that ask for one request every N seconds (arXiv: 3 s). */
  minRetryDelayMs?: number;
  /** Send no token: the request goes to a host the token is not for (arXiv). */
  anonymous?: boolean;
  /** Keep the body as bytes (`bytes`), not text: a PDF. */
  binary?: boolean;
  /** Attempts for this request, the first included (default: the client's). */
  attempts?: number;
  /** The hint of the error for a body over the limit (what a body of this kind should weigh). */
  tooLargeHint?: string;
}

const RATE_LIMITED = 'rate limited: try again later, or set HF_TOKEN for a higher limit';
const RATE_LIMITED_ANONYMOUS = 'rate limited: try again later (papers already waits between requests to this host)';

/** A request made ready once for all its attempts. */
interface Prepared {
  url: string;
  headers: Record<string, string>;
  /** The URL without credentials: what messages and events name. */
  shown: string;
  origin: string;
  maxBody: number;
  dispatcher: Dispatcher;
}

/** What one attempt got to: when it started, the status if one came. */
interface Tried {
  started: number;
  status: number | undefined;
}

/** A day or a feed is a few MB at most; 64 MiB leaves room and still protects the heap. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The URL without the userinfo a user may have put in HF_ENDPOINT
 * (`http://user:pass@host`): what logs, errors and the archive may show.
 */
export function redactUrl(url: string): string {
  return redactText(url);
}

/** Every URL in a text with its userinfo replaced by `***`. */
export function redactText(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1***@');
}

/** The body is larger than the limit: no retry will make it smaller. */
export class BodyTooLargeError extends NetworkError {}

/**
 * Every attempt failed to reach the host at all (refused, not resolved, TLS, no answer
 * before the deadline): says nothing of one request, everything of the host.
 */
export class UnreachableError extends NetworkError {
  readonly host: string;
  readonly reason: string;
  constructor(message: string, opts: { url: string; host: string; reason: string; cause?: unknown }) {
    super(message, { url: opts.url, cause: opts.cause });
    this.host = opts.host;
    this.reason = opts.reason;
  }
}

/** Thrown by a validator when the body looks truncated or wrong: worth another try. */
export class RetryableBodyError extends ParseError {}

class RetryableStatus extends Error {
  constructor(
    readonly status: number,
    readonly waitMs: number | undefined,
  ) {
    super(`HTTP ${status}`);
  }
}

export { defaultSleep };

/** Seconds or an HTTP date in `Retry-After`, or `t=` in `RateLimit`, as milliseconds. */
export function parseWaitHeader(headers: Record<string, string>, now = Date.now()): number | undefined {
  const ra = headers['retry-after'];
  if (ra !== undefined) {
    const s = ra.trim();
    if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
    // An HTTP date has a weekday or month name; `-5` or `0.5e3` would parse as a year.
    const at = /[a-z]/i.test(s) ? Date.parse(s) : NaN;
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const rl = headers.ratelimit;
  if (rl !== undefined) {
    const m = /(?:^|[;,\s])t=(\d+(?:\.\d+)?)/.exec(rl);
    if (m) return Math.round(Number(m[1]) * 1000);
  }
  const reset = headers['ratelimit-reset'] ?? headers['x-ratelimit-reset'];
  if (reset !== undefined && /^\d+$/.test(reset.trim())) {
    const n = Number(reset.trim());
    // Either seconds to wait or an epoch second; epoch values are far larger.
    return n > 1e9 ? Math.max(0, n * 1000 - now) : n * 1000;
  }
  return undefined;
}

/** Failures that say the host itself cannot be reached, not that one request went wrong. */
const HOST_DOWN: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** Why an attempt did not reach the host, or undefined when the host answered something. */
function unreachableReason(err: unknown, deadline: AbortSignal, answered: boolean): string | undefined {
  if (answered || err instanceof RetryableStatus || err instanceof RetryableBodyError) return undefined;
  if (deadline.aborted || isTimeout(err)) return 'timed out';
  const code = errorCode(err) ?? '';
  if (HOST_DOWN[code]) return HOST_DOWN[code];
  if (/CERT|SSL|TLS|EPROTO/.test(code)) return `TLS failure: ${code}`;
  return undefined;
}

/**
 * undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it quickly (Liftoff),
 * then recompiles its hot functions with TurboFan in the background, and node waits for
 * that to finish before it exits: 60 ms added to every `papers today` and `sync`, more than
 * the whole parse of a day's pages. Liftoff alone parses HTTP fast enough (the 100k sync
 * runs at the same speed). The flag only concerns WebAssembly compiled after it is set,
 * and llhttp is the only WebAssembly papers runs.
 */
function loadUndici(): Promise<Undici> {
  setFlagsFromString('--liftoff-only');
  return importPackage<Undici>('undici');
}

/**
 * What papers uses of undici: the whole package under vitest, the part of it bundled in
 * dist/undici.cjs (src/shims/undici.cjs) when run from bin/. Requests go through
 * `dispatcher.request()`, which both have.
 */
type Undici = Pick<typeof import('undici'), 'EnvHttpProxyAgent' | 'interceptors'>;

export class HttpClient {
  private pauseUntil = 0;
  /**
   * Origins that refused (or could not be resolved for) every attempt of a request in
   * this run. Their next requests get one attempt each instead of a round of retries:
   * a backfill of a year against a host that is down fails in moments, not hours. Any
   * answer from the origin clears it.
   */
  private readonly down = new Set<string>();
  private readonly o: Required<Omit<HttpOptions, 'dispatcher' | 'token' | 'onEvent' | 'proxy'>> &
    Pick<HttpOptions, 'dispatcher' | 'token' | 'onEvent' | 'proxy'>;
  private undici: Promise<Undici> | undefined;
  private composed: Dispatcher | undefined;
  private owned: Dispatcher | undefined;
  requests = 0;

  constructor(opts: HttpOptions) {
    this.o = {
      timeoutMs: 30_000,
      attempts: 6,
      baseDelayMs: 500,
      maxDelayMs: 8_000,
      maxRetryAfterMs: 120_000,
      maxBodyBytes: MAX_BODY_BYTES,
      sleep: defaultSleep,
      random: Math.random,
      ...opts,
    };
  }

  private async dispatcher(): Promise<Dispatcher> {
    // undici is loaded on first use: commands that never touch the network stay fast.
    this.undici ??= loadUndici();
    const u = await this.undici;
    if (!this.o.dispatcher) {
      // Honour HTTP(S)_PROXY / NO_PROXY like curl does. Given explicitly, so that undici
      // reads nothing from process.env itself (config.ts is the one reader).
      this.o.dispatcher = this.owned = new u.EnvHttpProxyAgent(this.o.proxy ?? {});
    }
    // Follow a few redirects (mirrors and pages move); undici 7 does it by interceptor.
    this.composed ??= this.o.dispatcher.compose(u.interceptors.redirect({ maxRedirections: 3 }));
    return this.composed;
  }

  /** Closes the agent this client made (an injected dispatcher belongs to the caller). */
  async close(): Promise<void> {
    if (this.owned) await this.owned.close().catch(() => {});
  }

  /** A GET with retries: one attempt after another, as `retryAfter` decides. */
  async get(url: string, opts: GetOptions = {}): Promise<HttpResponse> {
    const req = await this.prepare(url, opts);
    // A host known down gets one attempt; once it answers (even a 503) the full round again.
    const attempts = () => (this.down.has(req.origin) ? 1 : (opts.attempts ?? this.o.attempts));
    let lastError: unknown;
    let unreachable: string | undefined;
    for (let attempt = 1; attempt <= attempts(); attempt++) {
      await this.beforeAttempt(req, opts);
      const deadline = AbortSignal.timeout(this.o.timeoutMs);
      const tried: Tried = { started: Date.now(), status: undefined };
      try {
        const out = await this.attempt(req, opts, deadline, tried);
        this.o.onEvent?.({ url: req.shown, attempt, status: out.status, ms: Date.now() - tried.started });
        return out;
      } catch (err) {
        if (opts.signal?.aborted) throw new InterruptedError();
        lastError = err;
        // Unreachable only while no attempt reached the host: one answer says it is up.
        const why = unreachableReason(err, deadline, tried.status !== undefined);
        unreachable = why && (attempt === 1 || unreachable) ? why : undefined;
        let delay: number | undefined;
        try {
          delay = this.retryAfter(err, req, opts, { attempt, last: attempt >= attempts(), deadline, tried });
        } catch (stop) {
          if (unreachable) this.down.add(req.origin); // the budget ran out on a host that never answered
          throw stop;
        }
        if (delay === undefined) break;
        await this.o.sleep(delay, opts.signal);
      }
    }
    if (unreachable) this.down.add(req.origin);
    const final = finalError(req.shown, lastError, this.o.timeoutMs, !!opts.anonymous);
    if (!unreachable) throw final;
    throw new UnreachableError(final.message, {
      url: req.shown,
      host: hostOf(url),
      reason: unreachable,
      cause: lastError,
    });
  }

  /** The request's headers, its URL as shown (no credentials), its origin and body limit. */
  private async prepare(url: string, opts: GetOptions): Promise<Prepared> {
    const headers: Record<string, string> = {
      'user-agent': this.o.userAgent,
      accept: opts.accept ?? '*/*',
    };
    if (this.o.token && !opts.anonymous) headers.authorization = `Bearer ${this.o.token}`;
    if (opts.headers) for (const [k, v] of Object.entries(opts.headers)) headers[k.toLowerCase()] = v;
    // Every message, event and error names the URL without its credentials.
    const shown = redactUrl(url);
    const maxBody = opts.maxBodyBytes ?? this.o.maxBodyBytes;
    return { url, headers, shown, origin: originOf(url), maxBody, dispatcher: await this.dispatcher() };
  }

  /** Before each attempt: Ctrl-C, a rate-limit pause, the request budget. */
  private async beforeAttempt(req: Prepared, opts: GetOptions): Promise<void> {
    if (opts.signal?.aborted) throw new InterruptedError();
    const wait = this.pauseUntil - Date.now();
    if (wait > 0) await this.o.sleep(wait, opts.signal);
    if (opts.budget) {
      if (opts.budget.used >= opts.budget.max) {
        const why = `all ${opts.budget.max} requests one day may use are spent`;
        throw new NetworkError(`gave up before ${req.shown}: ${why}`, { url: req.shown });
      }
      opts.budget.used++;
    }
    this.requests++;
  }

  /** One attempt: the answer, or an error (RetryableStatus for 429 and 5xx). */
  private async attempt(req: Prepared, opts: GetOptions, deadline: AbortSignal, tried: Tried): Promise<HttpResponse> {
    const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
    const target = new URL(req.url);
    const res = await req.dispatcher.request({
      origin: target.origin,
      path: target.pathname + target.search,
      method: 'GET',
      headers: req.headers,
      signal,
      headersTimeout: this.o.timeoutMs,
      bodyTimeout: this.o.timeoutMs,
    });
    const status = res.statusCode;
    tried.status = status;
    this.down.delete(req.origin);
    const resHeaders = flattenHeaders(res.headers);
    if (status === 429 || status >= 500) {
      await res.body.dump().catch(() => {});
      throw new RetryableStatus(status, parseWaitHeader(resHeaders));
    }
    const raw = await readBody(res.body, resHeaders, req.maxBody, req.shown, opts.tooLargeHint);
    const binary = opts.binary && status < 300;
    // TextDecoder drops a UTF-8 byte order mark, as undici's text() does.
    const body = binary ? '' : new TextDecoder().decode(raw);
    const out: HttpResponse = { url: req.shown, status, headers: resHeaders, body };
    if (binary) out.bytes = raw;
    if (status >= 200 && status < 300) {
      await opts.validate?.(out);
    } else if (!opts.passStatus?.includes(status)) {
      throw new NetworkError(`${req.shown} answered HTTP ${status}${describeBody(body)}`, { url: req.shown, status });
    }
    return out;
  }

  /**
   * The retry policy: how long to wait before the next attempt after `err`, or undefined
   * when there is none (the last attempt, or the budget spent); throws what is not retried
   * (a 4xx, a parse error, a Retry-After longer than papers waits).
   */
  private retryAfter(
    err: unknown,
    req: Prepared,
    opts: GetOptions,
    at: { attempt: number; last: boolean; deadline: AbortSignal; tried: Tried },
  ): number | undefined {
    const { attempt, tried } = at;
    const { status } = tried;
    const ms = Date.now() - tried.started;
    const shown = req.shown;
    if (err instanceof NetworkError || (err instanceof ParseError && !(err instanceof RetryableBodyError))) {
      this.o.onEvent?.({ url: shown, attempt, status, ms, error: err.message });
      throw err;
    }
    let delay = this.backoff(attempt);
    // `Retry-After: 0`, a negative number or a past date is no reason to hammer: normal backoff.
    if (err instanceof RetryableStatus && err.waitMs !== undefined && err.waitMs > 0) {
      if (err.waitMs > this.o.maxRetryAfterMs) {
        this.o.onEvent?.({ url: shown, attempt, status, ms, error: err.message });
        const wait = `asks to wait ${Math.ceil(err.waitMs / 1000)}s, longer than papers waits`;
        throw new NetworkError(`${shown} answered HTTP ${err.status} and ${wait}`, {
          url: shown,
          status: err.status,
          hint: RATE_LIMITED,
          cause: err,
        });
      }
      delay = err.waitMs;
      if (err.status === 429) this.pauseUntil = Math.max(this.pauseUntil, Date.now() + delay);
    }
    delay = Math.max(delay, opts.minRetryDelayMs ?? 0);
    const spent = opts.budget !== undefined && opts.budget.used >= opts.budget.max;
    const last = at.last || spent;
    const error = describeError(err, at.deadline);
    this.o.onEvent?.({ url: shown, attempt, status, ms, error, retryInMs: last ? undefined : delay });
    if (!last) return delay;
    if (spent && !at.last) {
      const spentOn = `${opts.budget!.used} requests, all that one day may use (the last: ${error})`;
      throw new NetworkError(`gave up on ${shown} after ${spentOn}`, { url: shown, status, cause: err });
    }
    return undefined;
  }

  private backoff(attempt: number): number {
    const cap = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** (attempt - 1));
    // Full jitter, with a floor so retries never fire back-to-back.
    return Math.round(cap / 2 + (this.o.random() * cap) / 2);
  }
}

/**
 * The body, never more than `limit` bytes: a declared length over it fails before a byte
 * is read, an endless body fails once it passes it.
 */
async function readBody(
  body: Dispatcher.ResponseData['body'],
  headers: Record<string, string>,
  limit: number,
  shown: string,
  hint = 'a listing day is a few MB at most: check HF_ENDPOINT',
): Promise<Buffer> {
  const tooLarge = (what: string) =>
    new BodyTooLargeError(`${shown} sent ${what}, over the ${formatBytes(limit)} limit of papers`, {
      url: shown,
      hint,
    });
  const drop = () => {
    // Destroyed without a reader, undici's body emits an AbortError nobody would catch.
    body.on('error', () => {});
    body.destroy();
  };
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    drop();
    throw tooLarge(`a body of ${formatBytes(declared)} (Content-Length)`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      drop();
      throw tooLarge(`more than ${formatBytes(limit)}`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

function describeBody(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (!text) return '';
  try {
    const j = JSON.parse(text) as { error?: unknown };
    if (j && typeof j.error === 'string') return `: ${j.error.slice(0, 200)}`;
  } catch {
    /* not JSON */
  }
  return '';
}

function describeError(err: unknown, deadline: AbortSignal): string {
  if (err instanceof RetryableStatus) return `HTTP ${err.status}`;
  if (deadline.aborted || isTimeout(err)) return 'timed out';
  const code = (err as { code?: string })?.code;
  return redactText(code ? `${code}: ${errorMessage(err)}` : errorMessage(err));
}

function errorCode(err: unknown): string | undefined {
  return (err as { code?: string })?.code ?? (err as { cause?: { code?: string } })?.cause?.code;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return redactUrl(url);
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function isTimeout(err: unknown): boolean {
  const code = (err as { code?: string; name?: string })?.code;
  const name = (err as { name?: string })?.name;
  return (
    name === 'TimeoutError' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    (isAbortError(err) && /timeout/i.test(errorMessage(err)))
  );
}

/** `anonymous`: a request that never carries HF_TOKEN (arXiv's), where the token cannot help. */
function finalError(url: string, err: unknown, timeoutMs: number, anonymous: boolean): Error {
  if (err instanceof RetryableBodyError) return err;
  if (err instanceof RetryableStatus) {
    return new NetworkError(`${url} answered HTTP ${err.status} after retries`, {
      url,
      status: err.status,
      hint:
        err.status === 429
          ? anonymous
            ? RATE_LIMITED_ANONYMOUS
            : RATE_LIMITED
          : 'the server is having trouble; try again later',
      cause: err,
    });
  }
  if (isTimeout(err)) {
    const within = `${Math.round(timeoutMs / 1000)}s`;
    return new NetworkError(`${url} did not answer within ${within} (after retries)`, { url, cause: err });
  }
  const what = HOST_DOWN[errorCode(err) ?? ''] ?? redactText(errorMessage(err));
  return new NetworkError(`cannot fetch ${url}: ${what}`, { url, cause: err });
}
