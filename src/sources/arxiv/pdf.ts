/**
 * A paper's PDF from arXiv (`/pdf/ID` or `/pdf/IDvN`), through the same politeness as every
 * arXiv request: the run's PoliteGate (one request at a time per host, 3 s apart, retries
 * too), Retry-After honoured by the HTTP client, papers' User-Agent, no HF token. A body
 * that is not a whole PDF (an HTML error page, a body cut short) is refused here, before
 * anything reads it.
 */
import { ParseError } from '../../errors.js';
import { ARXIV_USER_AGENT, type ArxivDeps } from './adapter.js';

function pdfRequestUrl(base: string, id: string, version: number | null): string {
  return `${base}/pdf/${id}${version ? `v${version}` : ''}`;
}

/** Why a body is not a whole PDF, or null when it is one. */
function notAPdf(bytes: Uint8Array, contentType = ''): string | null {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (!head.includes('%PDF-')) {
    if (/text\/html/i.test(contentType) || /<(?:!doctype html|html)\b/i.test(head)) {
      const title = /<title>([^<]{1,120})/i.exec(head)?.[1]?.trim();
      return `an HTML page, not a PDF${title ? ` (${JSON.stringify(title)})` : ''}`;
    }
    return bytes.length === 0 ? 'an empty body, not a PDF' : 'not a PDF (no %PDF- header)';
  }
  // A PDF ends with %%EOF (within its last kilobyte, as readers allow for trailing bytes).
  const tail = Buffer.from(bytes.subarray(Math.max(0, bytes.length - 1024))).toString('latin1');
  if (!tail.includes('%%EOF')) return 'a PDF cut short (it does not end with %%EOF)';
  return null;
}

/** The PDF's bytes; a body over `maxBytes`, or one that is not a whole PDF, fails. */
export async function fetchPdf(
  id: string,
  version: number | null,
  deps: ArxivDeps,
  opts: { maxBytes: number },
): Promise<{ url: string; bytes: Buffer }> {
  const url = pdfRequestUrl(deps.endpoints.pdf, id, version);
  const res = await deps.gate.run(
    url,
    () =>
      deps.http.get(url, {
        accept: 'application/pdf, */*;q=0.1',
        headers: { 'user-agent': ARXIV_USER_AGENT },
        anonymous: true,
        binary: true,
        // A body that stalls or never ends costs a request's deadline per attempt: fewer of them.
        attempts: 3,
        maxBodyBytes: opts.maxBytes,
        tooLargeHint: 'raise the cap with --max-size, or skip this paper',
        signal: deps.signal,
        budget: deps.budget,
        minRetryDelayMs: deps.gate.delayMs,
      }),
    deps.signal,
  );
  const bytes = res.bytes ?? Buffer.alloc(0);
  const why = notAPdf(bytes, res.headers['content-type']);
  if (why) throw new ParseError(`${res.url} sent ${why}`, { url: res.url });
  return { url: res.url, bytes };
}
