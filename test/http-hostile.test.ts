// The HTTP client against hostile or broken hosts: bodies too large to hold, waits that
// say "now" or the past, hosts that cannot be reached, credentials in the endpoint.
// Every server is local; sleeps are recorded, not slept, where the delay is asserted.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BodyTooLargeError,
  HttpClient,
  MAX_BODY_BYTES,
  UnreachableError,
  parseWaitHeader,
  redactText,
  redactUrl,
  type HttpEvent,
} from '../src/http/client.js';
import { NetworkError } from '../src/errors.js';
import { freePort } from './helpers/net.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function serve(handler: Handler): Promise<{ url: string; port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    handler(req, res);
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, port, hits: () => hits };
}

function client(extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  const events: HttpEvent[] = [];
  const sleeps: number[] = [];
  const http = new HttpClient({
    userAgent: 'papers/test',
    timeoutMs: 2000,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onEvent: (e) => events.push(e),
    ...extra,
  });
  closers.push(() => http.close());
  return { http, events, sleeps };
}

describe('bounded bodies', () => {
  it('a Content-Length over the limit (the default 64 MiB) fails at once: no body read, no retry', async () => {
    const s = await serve((_req, res) => {
      // 3 GiB declared; a few bytes sent, then the connection kept open.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(3 * 1024 ** 3) });
      res.write('[');
    });
    const { http } = client();
    const err = await http.get(`${s.url}/api/daily_papers?date=2025-01-02`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BodyTooLargeError);
    expect((err as Error).message).toBe(
      `${s.url}/api/daily_papers?date=2025-01-02 sent a body of 3 GiB (Content-Length), over the 64 MiB limit of papers`,
    );
    expect(s.hits()).toBe(1);
    expect(MAX_BODY_BYTES).toBe(64 * 1024 * 1024);
  });

  it('an endless body stops at the limit, with one clear error and one request', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const s = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const { http } = client({ maxBodyBytes: 1024 * 1024 });
    const err = await http.get(`${s.url}/endless`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BodyTooLargeError);
    expect((err as Error).message).toBe(`${s.url}/endless sent more than 1 MiB, over the 1 MiB limit of papers`);
    expect(s.hits()).toBe(1);
  });

  it('a body within the limit is read whole, per request limits too', async () => {
    const body = JSON.stringify([{ a: 'é'.repeat(1000) }]);
    const s = await serve((_req, res) => res.end(body));
    const { http } = client({ maxBodyBytes: 10 });
    await expect(http.get(s.url, { maxBodyBytes: 1_000_000 })).resolves.toMatchObject({ status: 200, body });
    await expect(http.get(s.url)).rejects.toBeInstanceOf(BodyTooLargeError);
  });
});

describe('waits', () => {
  for (const [name, value] of [
    ['0', '0'],
    ['a negative number', '-5'],
    ['a past date', 'Wed, 01 Jan 2020 00:00:00 GMT'],
  ] as const) {
    it(`429 with Retry-After: ${name} waits the normal backoff, not 0`, async () => {
      let n = 0;
      const s = await serve((_req, res) => {
        if (n++ < 2) {
          res.writeHead(429, { 'retry-after': value });
          res.end('{}');
        } else res.end('[]');
      });
      const { http, sleeps } = client({ baseDelayMs: 500, maxDelayMs: 8000 });
      await expect(http.get(s.url)).resolves.toMatchObject({ status: 200 });
      // random() = 0.5: cap/2 + cap/4 for caps 500 and 1000
      expect(sleeps).toEqual([375, 750]);
    });
  }

  it('parseWaitHeader reads no wait from a signed number or a bare number-like date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseWaitHeader({ 'retry-after': '-5' }, now)).toBeUndefined();
    expect(parseWaitHeader({ 'retry-after': '-1' }, now)).toBeUndefined();
    expect(parseWaitHeader({ 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' }, now)).toBe(0);
  });
});

describe('unreachable hosts', () => {
  it('connection refused on every attempt: an UnreachableError naming the host and the reason', async () => {
    const port = await freePort();
    const { http, events } = client({ attempts: 3 });
    const err = await http.get(`http://127.0.0.1:${port}/api`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err).toMatchObject({
      host: `127.0.0.1:${port}`,
      reason: 'connection refused',
      message: `cannot fetch http://127.0.0.1:${port}/api: connection refused`,
    });
    expect(events).toHaveLength(3);
    // The host is known down: the next request gets one attempt.
    await expect(http.get(`http://127.0.0.1:${port}/api2`)).rejects.toBeInstanceOf(UnreachableError);
    expect(events).toHaveLength(4);
  });

  it('a host known down that answers again (a 503) gets its full round of retries back', async () => {
    const port = await freePort();
    const { http, events } = client({ attempts: 3 });
    await expect(http.get(`http://127.0.0.1:${port}/a`)).rejects.toBeInstanceOf(UnreachableError);
    let n = 0;
    const back = createServer((_req, res) => {
      res.writeHead(n++ < 2 ? 503 : 200);
      res.end('[]');
    });
    await new Promise<void>((r) => back.listen(port, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => back.close(() => r())));
    events.length = 0;
    await expect(http.get(`http://127.0.0.1:${port}/b`)).resolves.toMatchObject({ status: 200 });
    expect(events.map((e) => e.status)).toEqual([503, 503, 200]);
  });

  it('no answer on every attempt is unreachable too (timed out)', async () => {
    const s = await serve(() => {});
    const { http } = client({ attempts: 2, timeoutMs: 100 });
    const err = await http.get(s.url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect(err).toMatchObject({ reason: 'timed out' });
  });

  it('a TLS failure (https to a plain HTTP port) is unreachable, with the TLS code', async () => {
    const s = await serve((_req, res) => res.end('[]'));
    const { http } = client({ attempts: 2 });
    const err = await http.get(`https://127.0.0.1:${s.port}/api`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnreachableError);
    expect((err as UnreachableError).reason).toMatch(/^TLS failure: \S*(SSL|TLS|EPROTO)/);
  });

  it('a name that does not resolve is unreachable (host not found)', async () => {
    const { MockAgent } = await import('undici');
    const agent = new MockAgent();
    agent.disableNetConnect();
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND hf.example'), { code: 'ENOTFOUND' });
    agent.get('http://hf.example').intercept({ path: '/api' }).replyWithError(dns).times(2);
    const { http } = client({ attempts: 2, dispatcher: agent });
    const err = await http.get('http://hf.example/api').catch((e: unknown) => e);
    expect(err).toMatchObject({
      host: 'hf.example',
      reason: 'host not found',
      message: 'cannot fetch http://hf.example/api: host not found',
    });
    await agent.close();
  });

  it('a host that answered once (a 503, then refused) is not called unreachable', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const { http } = client({ attempts: 2 });
    const err = await http.get(s.url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).not.toBeInstanceOf(UnreachableError);
  });
});

describe('credentials in the endpoint', () => {
  it('redactUrl and redactText hide the userinfo of every URL', () => {
    expect(redactUrl('http://user:pass@host:8080/api?x=1')).toBe('http://***@host:8080/api?x=1');
    expect(redactUrl('https://token@huggingface.co')).toBe('https://***@huggingface.co');
    expect(redactUrl('https://huggingface.co/a@b')).toBe('https://huggingface.co/a@b');
    expect(redactText('cannot fetch http://u:p@h/x: and https://a:b@c/')).toBe(
      'cannot fetch http://***@h/x: and https://***@c/',
    );
  });

  it('never appear in request events, errors or responses', async () => {
    const s = await serve((req, res) => {
      res.writeHead(req.url === '/ok' ? 200 : 503);
      res.end('[]');
    });
    const endpoint = `http://alice:s3cret@127.0.0.1:${s.port}`;
    const { http, events } = client({ attempts: 2 });
    const ok = await http.get(`${endpoint}/ok`);
    const err = (await http.get(`${endpoint}/bad`).catch((e: unknown) => e)) as NetworkError;
    const port = await freePort();
    const down = (await http.get(`http://alice:s3cret@127.0.0.1:${port}/x`).catch((e: unknown) => e)) as NetworkError;
    const seen = JSON.stringify([ok.url, events, err.message, err.url, err.hint, down.message, down.url]);
    expect(seen).not.toContain('s3cret');
    expect(seen).not.toContain('alice');
    expect(ok.url).toBe(`http://***@127.0.0.1:${s.port}/ok`);
    expect(err.message).toBe(`http://***@127.0.0.1:${s.port}/bad answered HTTP 503 after retries`);
  });
});
