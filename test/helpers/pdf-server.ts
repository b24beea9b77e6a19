// A local stand-in for arxiv.org/pdf/ID: serves the real PDFs of ../shared/arxiv-samples/pdf
// (read at run time, never copied), the hostile ones, and made-up faults; records each
// request (path, User-Agent, when it started and ended) and how many were ever in flight.
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createDeflate } from 'node:zlib';
import { ARXIV_SAMPLES } from './arxiv.js';

export const PDF_DIR = join(ARXIV_SAMPLES, 'pdf');
export const HOSTILE_DIR = join(PDF_DIR, 'hostile');

/** The real samples: `{ file, id, version }` from names like `2212.08410v3.pdf`. */
export function realPdfs(): { file: string; id: string; version: number }[] {
  return readdirSync(PDF_DIR)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((f) => {
      const m = /^(.+)v(\d+)\.pdf$/.exec(f)!;
      return { file: join(PDF_DIR, f), id: m[1]!, version: Number(m[2]) };
    });
}

export type PdfAnswer =
  | { file: string }
  | { body: Buffer; type?: string }
  | { endless: true }
  | { status: number; body?: string; headers?: Record<string, string> }
  /** Each request takes the next answer; the last one repeats. */
  | { sequence: PdfAnswer[] };

export interface PdfRequest {
  path: string;
  userAgent: string | undefined;
  authorization: string | undefined;
  start: number;
  end: number;
}

/** `routes` maps a path (`/pdf/2212.08410v3`) to its answer; anything else is a 404 page. */
export async function startPdfServer(routes: Record<string, PdfAnswer>) {
  const requests: PdfRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const served = new Map<string, number>();
  const server = createServer((req, res) => {
    const seen: PdfRequest = {
      path: req.url ?? '',
      userAgent: req.headers['user-agent'],
      authorization: req.headers.authorization,
      start: Date.now(),
      end: 0,
    };
    requests.push(seen);
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    res.on('close', () => {
      inFlight--;
      seen.end = Date.now();
    });
    let a = routes[seen.path];
    if (a && 'sequence' in a) {
      const n = (served.get(seen.path) ?? 0) + 1;
      served.set(seen.path, n);
      a = a.sequence[Math.min(n, a.sequence.length) - 1];
    }
    if (!a) return send(res, 404, 'text/html', '<html><title>Not found</title><body>no such paper</body></html>');
    if ('file' in a) return send(res, 200, 'application/pdf', readFileSync(a.file));
    if ('body' in a && !('status' in a)) return send(res, 200, a.type ?? 'application/pdf', a.body);
    if ('endless' in a) {
      res.writeHead(200, { 'content-type': 'application/pdf' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      res.write('%PDF-1.4\n');
      const pump = () => {
        while (!res.destroyed && res.write(chunk)) {}
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
      return;
    }
    if ('sequence' in a) return;
    res.writeHead(a.status, { 'content-type': 'text/html', ...a.headers });
    res.end(a.body ?? '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * A small PDF whose one content stream inflates to `mib` MiB of spaces: a zip bomb (a few
 * hundred KB on the wire). Built by streaming zeros through deflate, never held inflated.
 */
export async function zipBombPdf(mib: number): Promise<Buffer> {
  const deflate = createDeflate({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const done = new Promise<void>((r) => deflate.on('end', () => r()));
  const chunk = Buffer.alloc(2 ** 20, 0x20);
  for (let i = 0; i < mib; i++) if (!deflate.write(chunk)) await new Promise((r) => deflate.once('drain', r));
  deflate.end();
  await done;
  const data = Buffer.concat(parts);
  return pdfWithStream(data, '/Filter /FlateDecode');
}

/** A one-page PDF with one content stream (`data`, with its filter entries), xref and all. */
export function pdfWithStream(data: Buffer, filter: string): Buffer {
  const objs: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R ' +
        '/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>',
    ),
    Buffer.concat([Buffer.from(`<< /Length ${data.length} ${filter} >>\nstream\n`), data, Buffer.from('\nendstream')]),
  ];
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let pos = chunks[0]!.length;
  objs.forEach((o, i) => {
    offsets.push(pos);
    const b = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
    chunks.push(b);
    pos += b.length;
  });
  const xref =
    `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${pos}\n%%EOF\n`;
  chunks.push(Buffer.from(xref));
  return Buffer.concat(chunks);
}
