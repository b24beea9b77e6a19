// A local stand-in for the Hugging Face endpoints, serving listing days from memory the
// way the real API answers (limit defaults to 50, at most 100; p is 0-based), plus the
// HTML page, with injectable faults. Used by tests and benchmarks; listens on 127.0.0.1.
import { createServer } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Loads `YYYY-MM-DD.json` files of a folder into a Map day -> entries. */
export function loadDays(dir) {
  const days = new Map();
  for (const f of readdirSync(dir).sort()) {
    const m = /^(\d{4}-\d{2}-\d{2})\.json$/.exec(f);
    if (m) days.set(m[1], JSON.parse(readFileSync(join(dir, f), 'utf8')));
  }
  return days;
}

export function escapeAttr(s) {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Daily Papers page in the real shape: the data in DailyPapers' data-props. */
export function renderPage(day, entries) {
  const props = {
    canSubmit: false,
    date: `${day}T00:00:00.000Z`,
    dailyPapers: entries,
    nextDate: null,
    prevDate: null,
  };
  return `<!doctype html><html><head><title>Daily Papers - Hugging Face</title></head><body>
<div class="SVELTE_HYDRATER contents" data-target="MainHeader" data-props="{&quot;authLight&quot;:null}"></div>
<main><div class="SVELTE_HYDRATER contents" data-target="DailyPapers" data-props="${escapeAttr(JSON.stringify(props))}">
${entries.map((e) => `<article><a href="/papers/${e.paper?.id}">${escapeAttr(String(e.title ?? ''))}</a></article>`).join('\n')}
</div></main></body></html>`;
}

/**
 * Starts the server. `days` is a Map day -> entries (or a function day -> entries|undefined).
 * Faults: push { match: RegExp|string, kind, times?, status?, headers?, body? } on `faults`;
 * kinds: 'status' (status, headers, body), 'reset' (drop the socket), 'truncate' (cut the
 * body), 'hang' (never answer), 'html200' (an HTML error page with status 200), 'slow-body',
 * 'delay' (answer normally after `ms`), 'truncate-eof' (a close-delimited body cut short).
 * `times` defaults to 1; use Infinity for a lasting fault.
 */
export async function startHfServer(days, opts = {}) {
  const faults = [];
  const requests = [];
  const lookup = typeof days === 'function' ? days : (d) => days.get(d);
  const sockets = new Set();
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    requests.push({
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      at: Date.now(),
    });
    const fault = faults.find(
      (f) => (f.times ?? 1) > 0 && (typeof f.match === 'string' ? req.url.includes(f.match) : f.match.test(req.url)),
    );
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      fault.hits = (fault.hits ?? 0) + 1;
      if (fault.kind === 'delay') {
        // A slow upstream: answer normally after `ms`.
        setTimeout(() => serve(req, res, url), fault.ms ?? 100);
        return;
      }
      if (applyFault(fault, req, res)) return;
    }
    serve(req, res, url);
  });
  function serve(_req, res, url) {
    if (res.destroyed) return;
    if (url.pathname === '/api/daily_papers') {
      const date = url.searchParams.get('date');
      let limit = Number(url.searchParams.get('limit') ?? 50);
      if (!Number.isFinite(limit) || limit < 1) limit = 50;
      limit = Math.min(limit, 100);
      const p = Number(url.searchParams.get('p') ?? 0);
      const all = (date && lookup(date)) || [];
      const page = all.slice(p * limit, p * limit + limit);
      return send(res, 200, { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify(page));
    }
    const m = /^\/papers\/date\/(\d{4}-\d{2}-\d{2})$/.exec(url.pathname);
    if (m && !opts.noHtml) {
      return send(res, 200, { 'content-type': 'text/html; charset=utf-8' }, renderPage(m[1], lookup(m[1]) || []));
    }
    send(
      res,
      404,
      { 'content-type': 'application/json' },
      JSON.stringify({ error: "Sorry, we can't find the page you are looking for." }),
    );
  }
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    requests,
    /**
     * Faults no request ever met (gh's httpmock Verify): a test that sets one up and never
     * makes the request tests nothing. `optional: true` exempts a fault that may not be met.
     */
    unmet() {
      return faults.filter((f) => !f.hits && !f.optional).map((f) => `${f.kind} for ${f.match}`);
    },
    reset() {
      faults.length = 0;
      requests.length = 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function send(res, status, headers, body) {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function applyFault(f, req, res) {
  switch (f.kind) {
    case 'status':
      send(
        res,
        f.status ?? 503,
        { 'content-type': 'application/json', ...(f.headers ?? {}) },
        f.body ?? JSON.stringify({ error: 'fault' }),
      );
      return true;
    case 'reset':
      req.socket.destroy();
      return true;
    case 'truncate': {
      const body = f.body ?? '[{"paper":{"id":"2401.00001","title":"cut';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) + 500 });
      res.write(body);
      setTimeout(() => req.socket.destroy(), 5);
      return true;
    }
    case 'truncate-close': {
      // No content-length: chunked, and the connection closes before the last chunk.
      res.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
      res.write(f.body ?? '[{"paper":{"id":"2401.00001","title":"cut');
      res.socket.end();
      return true;
    }
    case 'truncate-eof': {
      // A body delimited by the connection closing (no Content-Length, not chunked), cut
      // short: the response looks complete to HTTP, so only the body itself can tell.
      const body = f.body ?? '[{"paper":{"id":"2401.00001","title":"cut';
      req.socket.end(
        `HTTP/1.1 200 OK\r\ncontent-type: ${f.contentType ?? 'application/json'}\r\nconnection: close\r\n\r\n${body}`,
      );
      return true;
    }
    case 'html200':
      send(
        res,
        200,
        { 'content-type': 'text/html' },
        '<!doctype html><html><body><h1>Something went wrong</h1></body></html>',
      );
      return true;
    case 'hang':
      return true;
    case 'slow-body':
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      return true;
    default:
      return false;
  }
}
