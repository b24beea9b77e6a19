/**
 * Paths and settings. The environment is read here and nowhere else (test/docs.test.ts
 * holds that: no other module of src/ names a variable of it); the CLI passes
 * `process.env` in, tests pass their own. Precedence: flag > env > default.
 */
import { os } from './shims/builtins.js';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import { arxivDelayMs, arxivEndpoints, type ArxivEndpoints } from './sources/arxiv/endpoints.js';
import { visibleControls } from './text.js';

export type Env = Record<string, string | undefined>;

export interface Config {
  dbPath: string;
  home: string; // PAPERS_HOME or the XDG data dir: where state lives
  endpoint: string;
  token: string | undefined;
  debug: boolean;
  /** Where arXiv requests go: ARXIV_ENDPOINT replaces the host of all three, or arXiv's own hosts. */
  arxivEndpoints: ArxivEndpoints;
  /** Between arXiv requests: 3 s, or PAPERS_ARXIV_DELAY_MS (for tests only). */
  arxivDelayMs: number;
  /** ARXIV_ENDPOINT as given (trimmed), checked when the first arXiv request is made. */
  arxivEndpoint: string | undefined;
  /** HTTP(S)_PROXY and NO_PROXY (either case, lower first, as curl and undici read them). */
  proxy: ProxyConfig;
  terminal: TerminalConfig;
  /** `digest --format email`: the From and To when --from/--to are not given. */
  mailFrom: string | undefined;
  mailTo: string | undefined;
  /** `papers open`: the reader's browser command ($BROWSER), else the system opener. */
  browser: string | undefined;
}

/** What undici's EnvHttpProxyAgent would read from process.env, read here instead ('' for none). */
export interface ProxyConfig {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

/** What the terminal side takes from the environment: colour, screen size, the pager. */
export interface TerminalConfig {
  /** NO_COLOR set to anything but empty. */
  noColor: boolean;
  /** FORCE_COLOR as given. */
  forceColor: string | undefined;
  term: string | undefined;
  colorTerm: string | undefined;
  /** LINES and COLUMNS, when they are positive numbers: the screen size when the tty does not say. */
  lines: number | undefined;
  columns: number | undefined;
  /** The pager (`$PAPERS_PAGER`, else `$PAGER`, else `less -FRX`), or null when paging is off. */
  pager: PagerCommand | null;
  /** The pager's environment: papers' own, with LESS=FRX and LV=-c unless they are set. */
  pagerEnv: Env;
}

export interface PagerCommand {
  command: string;
  /** A command line for `sh -c` (what PAGER holds), or one program run with -FRX (less). */
  shell: boolean;
}

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export function resolveConfig(env: Env, flags: { db?: string } = {}): Config {
  const home = env.PAPERS_HOME
    ? env.PAPERS_HOME
    : join(env.XDG_DATA_HOME || join(homeDir(env), '.local', 'share'), 'papers');
  // `--db "$UNSET_VAR"` must not quietly become the default archive.
  if (flags.db !== undefined && !flags.db.trim()) {
    throw new UsageError('--db is empty', {
      hint: 'pass the archive file: --db PATH (or leave --db out for the default)',
    });
  }
  const dbPath = flags.db || env.PAPERS_DB || join(home, 'papers.db');
  const endpoint = (env.HF_ENDPOINT || DEFAULT_ENDPOINT).replace(/\/+$/, '');
  return {
    dbPath,
    home,
    endpoint,
    // `export HF_TOKEN=$(cat token.txt)` from a file saved with CRLF keeps a CR: trimmed.
    token: env.HF_TOKEN?.trim() || undefined,
    debug: debugEnabled(env),
    arxivEndpoints: arxivEndpoints(env.ARXIV_ENDPOINT),
    arxivDelayMs: arxivDelayMs(env.PAPERS_ARXIV_DELAY_MS),
    arxivEndpoint: env.ARXIV_ENDPOINT?.trim() || undefined,
    proxy: {
      httpProxy: env.http_proxy ?? env.HTTP_PROXY ?? '',
      httpsProxy: env.https_proxy ?? env.HTTPS_PROXY ?? '',
      noProxy: env.no_proxy ?? env.NO_PROXY ?? '',
    },
    terminal: terminalConfig(env),
    // EMAIL is the sender's address mutt and git read too.
    mailFrom: env.PAPERS_MAIL_FROM?.trim() || env.EMAIL?.trim() || undefined,
    mailTo: env.PAPERS_MAIL_TO?.trim() || undefined,
    browser: env.BROWSER?.trim() || undefined,
  };
}

/** PAPERS_DEBUG: stack traces and request logs (cli.ts needs it before any config is made). */
export function debugEnabled(env: Env): boolean {
  return !!env.PAPERS_DEBUG && env.PAPERS_DEBUG !== '0';
}

export function terminalConfig(env: Env): TerminalConfig {
  const size = (v: string | undefined) => {
    const n = Number(v);
    return Number.isFinite(n) && n > 0 ? n : undefined;
  };
  return {
    noColor: env.NO_COLOR !== undefined && env.NO_COLOR !== '',
    forceColor: env.FORCE_COLOR,
    term: env.TERM,
    colorTerm: env.COLORTERM,
    lines: size(env.LINES),
    columns: size(env.COLUMNS),
    pager: pagerCommand(env.PAPERS_PAGER ?? env.PAGER),
    pagerEnv: { ...env, LESS: env.LESS ?? 'FRX', LV: env.LV ?? '-c' },
  };
}

/** The pager PAGER names, or null when paging is off (`PAGER=cat`, an empty PAGER). */
function pagerCommand(chosen: string | undefined): PagerCommand | null {
  if (chosen === undefined) return { command: 'less', shell: false };
  const trimmed = chosen.trim();
  if (trimmed === '' || trimmed === 'cat') return null;
  return { command: trimmed, shell: true };
}

/**
 * A URL without the credentials in it (`http://user:pass@host/` -> `http://***@host/`),
 * for messages, logs and stored errors. Works on text that does not parse as a URL.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@');
}

/**
 * HF_TOKEN goes into a header: after trimming, a control or space left inside it is a
 * mistake to name, not a request error from deep in the HTTP client.
 */
export function checkToken(token: string | undefined): void {
  if (token === undefined) return;
  const bad = /[^\x21-\x7e]/.exec(token);
  if (bad) {
    const what = visibleControls(JSON.stringify(bad[0]));
    throw new UsageError(
      `HF_TOKEN has a character that cannot be sent in a header (${what} at position ${bad.index + 1})`,
      { hint: 'set HF_TOKEN to the token alone, e.g. export HF_TOKEN="$(tr -d \'\\r\\n \' < token.txt)"' },
    );
  }
}

/** HF_ENDPOINT (or ARXIV_ENDPOINT) must be an http(s) URL: anything else is the user's mistake, not a failed day. */
export function checkEndpoint(endpoint: string, name = 'HF_ENDPOINT', example = DEFAULT_ENDPOINT): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new UsageError(`${name} is not an http(s) URL: ${visibleControls(JSON.stringify(redactUrl(endpoint)))}`, {
      hint: `set it to a base URL such as ${example}, or unset it`,
    });
  }
}

function homeDir(env: Env): string {
  return env.HOME || os().homedir();
}

/** The environment variables papers reads, for `--help`. */
export const ENV_HELP = `Environment:
  PAPERS_HOME      where papers keeps its data (default: $XDG_DATA_HOME/papers,
                   i.e. ~/.local/share/papers)
  PAPERS_DB        the archive file (default: $PAPERS_HOME/papers.db); --db wins
  HF_ENDPOINT      Hugging Face base URL (default: ${DEFAULT_ENDPOINT})
  HF_TOKEN         optional token, sent as "Authorization: Bearer" (higher rate limits)
  ARXIV_ENDPOINT   base URL replacing rss.arxiv.org, export.arxiv.org, oaipmh.arxiv.org
                   and arxiv.org (/rss, /api/query, /oai, /pdf)
  PAPERS_ARXIV_DELAY_MS  milliseconds between arXiv requests, for tests only (default
                   3000, arXiv's terms)
  PAPERS_PAGER, PAGER  the pager for long output on a terminal (default: less -FRX;
                   PAGER=cat or --no-pager: none)
  HTTPS_PROXY      proxy for requests (also HTTP_PROXY, NO_PROXY)
  NO_COLOR         disable colour; FORCE_COLOR=1 forces it when piped (grep matches, show)
  LINES, COLUMNS   the screen's size when the terminal does not say
  PAPERS_DEBUG     print stack traces and request logs
  PAPERS_MAIL_FROM digest --format email: the From address (else $EMAIL)
  PAPERS_MAIL_TO   digest --format email: the To address
  BROWSER          papers open: the browser (else xdg-open, or open on macOS)
  XDG_DATA_HOME    the standard base directory for data`;

export const EXIT_HELP = `Exit status:
  0    success, including no results
  1    runtime failure: network after retries, upstream error, parse, database,
       no archive at the path, a full disk
  2    usage error: bad flag, bad date, bad id, a flag given twice
  130  interrupted (Ctrl-C, SIGTERM)
  143  grep ended by SIGTERM inside one regular expression (no handler can run
       there: the signal ends it at once, as it would any program)`;
