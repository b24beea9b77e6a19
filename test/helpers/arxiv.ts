// The real arXiv bodies (../shared/arxiv-samples), found beside the HF samples the way the
// benchmark finds those; read at run time, never copied into the repo.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { arxivSamplesDir } from '../../kit/samples.mjs';
import { ROOT } from './fixtures.js';

export const ARXIV_SAMPLES = arxivSamplesDir();

export function readArxivSample(rel: string): string {
  return readFileSync(join(ARXIV_SAMPLES, rel), 'utf8');
}

/** The real bodies the CLI tests serve: an OAI-PMH harvest in two pages, the query API by id. */
export const OAI_FIRST = readArxivSample('oai/oai2-2014-01-16_ListRecords_arXivRaw_1000rec_2104191.xml');
export const OAI_LAST = readFileSync(join(ROOT, 'fixtures', 'arxiv', 'oai-arXivRaw-last-page.xml'), 'utf8');
export const NO_ENTRY = readArxivSample('api/api-2026_id_0000.0000_s0_m100_8b51d9633a68.xml');
export const BY_ID: Record<string, string> = {
  'quant-ph/0201082': readArxivSample('api/api-2026_id_quant-ph_0201082v1_s0_m100_86989fe779ef.xml'),
  '1707.08567': readArxivSample('api/api-2026_id_1707.08567_s0_m100_6a1afebfc6a3.xml'),
  '0808.05394': readArxivSample('api/api-2026_id_0808.05394_s0_m100_7b0c7d0a7cdd.xml'),
};

import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient } from '../../src/http/client.js';
import { PoliteGate } from '../../src/sources/arxiv/adapter.js';
import { arxivEndpoints } from '../../src/sources/arxiv/endpoints.js';
import { arxivSource } from '../../src/sources/arxiv/source.js';

export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  /** Text, or bytes (a PDF). */
  body?: string | Buffer;
  /** Drop the connection instead of answering. */
  reset?: boolean;
}
export interface Seen {
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
}

/**
 * A local stand-in for rss.arxiv.org, the query API and OAI-PMH (ARXIV_ENDPOINT): `route`
 * answers each request; every request is recorded.
 */
export async function startArxivServer(route: (req: Seen) => Answer) {
  const requests: Seen[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    const seen = { path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers };
    requests.push(seen);
    const a = route(seen);
    if (a.reset) {
      req.socket.destroy();
      return;
    }
    res.writeHead(a.status ?? 200, { 'content-type': 'application/xml; charset=utf-8', ...a.headers });
    res.end(a.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** An HTTP client and an arXiv source against a local server; sleeps are recorded, not slept. */
export function arxivRig(endpoint: string, name = 'arxiv:cs.LG+cs.AI+cs.CL+stat.ML', delayMs = 0) {
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  // HF_TOKEN set: it must not travel to arXiv.
  const http = new HttpClient({ userAgent: 'papers/test', token: 'hf-secret', sleep, attempts: 3, random: () => 0.5 });
  const gate = new PoliteGate(delayMs, sleep);
  return { http, gate, sleeps, source: arxivSource(name, { endpoints: arxivEndpoints(endpoint), gate }) };
}
