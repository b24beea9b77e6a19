/**
 * Paths and settings. The environment is read here and nowhere else; the CLI passes
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
  configDir: string;
  endpoint: string;
  token: string | undefined;
  debug: boolean;
  /** Where arXiv requests go: ARXIV_ENDPOINT replaces the host of all three, or arXiv's own hosts. */
  arxivEndpoints: ArxivEndpoints;
  /** Between arXiv requests: 3 s, or PAPERS_ARXIV_DELAY_MS (for tests only). */
  arxivDelayMs: number;
  /** `digest --format email`: the From and To when --from/--to are not given. */
  mailFrom: string | undefined;
  mailTo: string | undefined;
  /** `papers open`: the reader's browser command ($BROWSER), else the system opener. */
  browser: string | undefined;
}

export const DEFAULT_ENDPOINT = 'https://huggingface.co';

export function resolveConfig(env: Env, flags: { db?: string } = {}): Config {
  const home = env.PAPERS_HOME
    ? env.PAPERS_HOME
    : join(env.XDG_DATA_HOME || join(homeDir(env), '.local', 'share'), 'papers');
  const configDir = env.PAPERS_HOME
    ? env.PAPERS_HOME
    : join(env.XDG_CONFIG_HOME || join(homeDir(env), '.config'), 'papers');
  const dbPath = flags.db || env.PAPERS_DB || join(home, 'papers.db');
  const endpoint = (env.HF_ENDPOINT || DEFAULT_ENDPOINT).replace(/\/+$/, '');
  return {
    dbPath,
    home,
    configDir,
    endpoint,
    // `export HF_TOKEN=$(cat token.txt)` from a file saved with CRLF keeps a CR: trimmed.
    token: env.HF_TOKEN?.trim() || undefined,
    debug: !!env.PAPERS_DEBUG && env.PAPERS_DEBUG !== '0',
    arxivEndpoints: arxivEndpoints(env.ARXIV_ENDPOINT),
    arxivDelayMs: arxivDelayMs(env.PAPERS_ARXIV_DELAY_MS),
    // EMAIL is the sender's address mutt and git read too.
    mailFrom: env.PAPERS_MAIL_FROM?.trim() || env.EMAIL?.trim() || undefined,
    mailTo: env.PAPERS_MAIL_TO?.trim() || undefined,
    browser: env.BROWSER?.trim() || undefined,
  };
}

/**
 * A URL without the credentials in it (`http://user:pass@host/` -> `http://***@host/`),
 * for messages, logs and stored errors. Works on text that does not parse as a URL.
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1***@');
}

/** Every URL in a message with its credentials redacted (see redactUrl). */
export function redactUrls(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@"']*@/gi, '$1***@');
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
  ARXIV_ENDPOINT   base URL replacing rss.arxiv.org, export.arxiv.org and oaipmh.arxiv.org
                   (/rss, /api/query, /oai)
  PAPERS_ARXIV_DELAY_MS  milliseconds between arXiv requests, for tests only (default
                   3000, arXiv's terms)
  PAPERS_PAGER, PAGER  the pager for long output on a terminal (default: less -FRX;
                   PAGER=cat or --no-pager: none)
  HTTPS_PROXY      proxy for requests (also HTTP_PROXY, NO_PROXY)
  NO_COLOR         disable colour; FORCE_COLOR=1 forces it when piped (grep matches, show)
  PAPERS_DEBUG     print stack traces and request logs
  PAPERS_MAIL_FROM, PAPERS_MAIL_TO  digest --format email: From (else $EMAIL) and To
  BROWSER          papers open: the browser (else xdg-open, or open on macOS)
  XDG_DATA_HOME, XDG_CONFIG_HOME   standard base directories`;

export const EXIT_HELP = `Exit status:
  0    success, including no results
  1    runtime failure: network after retries, upstream error, parse, database,
       no archive at the path, a full disk
  2    usage error: bad flag, bad date, bad id, a flag given twice
  130  interrupted (Ctrl-C, SIGTERM)`;
