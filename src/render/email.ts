/**
 * A digest as an email that `sendmail -t` sends as it is: an RFC 5322 message (CRLF line
 * ends, every line under 78 characters) with a MIME multipart/alternative body, the plain
 * text (the Markdown digest, which reads as text) and the HTML page. Each part is base64
 * (UTF-8 text of any line length goes through any MTA), the boundary cannot occur in
 * base64, and the headers are checked (no line breaks: nothing can be injected) and
 * encoded (RFC 2047) where they hold non-ASCII text.
 */
import { crypto } from '../shims/builtins.js';
import { UsageError } from '../errors.js';

export interface EmailHeaders {
  from: string;
  to: string;
  subject: string;
  date: Date;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** RFC 5322 date-time, in UTC: `Tue, 08 Dec 2026 07:00:00 +0000`. */
export function rfc5322Date(d: Date): string {
  return (
    `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

/** An encoded-word for a header's text where it is not plain ASCII (RFC 2047), folded. */
function headerText(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return s;
  const words: string[] = [];
  // Whole characters per word: at most 45 bytes of UTF-8 keeps each encoded word under 75.
  let chunk = '';
  for (const ch of s) {
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/** An address header's value: ASCII and one line (`Ada <ada@example.org>`, or several, comma-separated). */
export function checkAddress(value: string, name: string): string {
  const v = value.trim();
  if (!v || /[\r\n]/.test(v) || !/^[\x20-\x7e]+$/.test(v) || !/@/.test(v)) {
    throw new UsageError(`${name} is not an email address: ${JSON.stringify(value)}`, {
      hint: `give an address such as ada@example.org or "Ada <ada@example.org>" (ASCII, one line)`,
    });
  }
  return v;
}

function base64Lines(text: string): string {
  const b64 = Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64');
  return (b64.match(/.{1,76}/g) ?? []).join('\r\n');
}

/** The message: headers, then the text and HTML parts. */
export function renderEmail(h: EmailHeaders, text: string, html: string): string {
  const from = checkAddress(h.from, 'From');
  const to = checkAddress(h.to, 'To');
  if (/[\r\n]/.test(h.subject)) throw new UsageError('the subject must be one line');
  const hash = crypto().createHash('sha256').update(text).update(html).update(h.date.toISOString()).digest('hex');
  const boundary = `=_papers_${hash.slice(0, 24)}`;
  const domain = /@([A-Za-z0-9.-]+)/.exec(from)?.[1] ?? 'localhost';
  const part = (type: string, body: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: base64',
      '',
      base64Lines(body),
    ].join('\r\n');
  return `${[
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${headerText(h.subject)}`,
    `Date: ${rfc5322Date(h.date)}`,
    `Message-ID: <${hash.slice(0, 32)}@${domain}>`,
    'MIME-Version: 1.0',
    // Folded: the boundary would take the line past 78 characters.
    `Content-Type: multipart/alternative;\r\n boundary="${boundary}"`,
    '',
    'This is a MIME message: a plain-text and an HTML version of the digest.',
    part('text/plain', text),
    part('text/html', html),
    `--${boundary}--`,
  ].join('\r\n')}\r\n`;
}
