/**
 * JSON and NDJSON export: exactly the paper shape of `--json` (`toPaper`), streamed one
 * paper at a time. JSON.stringify already escapes C0 controls (ESC becomes `\u001b`);
 * this also escapes DEL, the C1 controls (8-bit CSI/OSC), the bidi controls and the
 * line/paragraph separators, so the bytes are safe on a terminal and for line-based
 * tools while JSON.parse gives back the same values.
 */
import { asPaper, type Paper } from '../core/papers.js';

const UNSAFE = /[\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** Any value as JSON text, terminal-safe. */
export function safeJson(v: unknown, indent?: number): string {
  return JSON.stringify(v, null, indent).replace(UNSAFE, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/** One paper as JSON text, terminal-safe. */
export function paperJson(p: Paper): string {
  return safeJson(p);
}

/** A JSON array, one element per chunk: `[]` when empty. */
export function* renderJson(papers: Iterable<Paper>): Generator<string> {
  let n = 0;
  for (const p of papers) yield (n++ ? ',\n' : '[\n') + paperJson(asPaper(p));
  yield n ? '\n]\n' : '[]\n';
}

/** NDJSON: one object per line, nothing at all when empty. */
export function* renderNdjson(papers: Iterable<Paper>): Generator<string> {
  for (const p of papers) yield paperJson(asPaper(p)) + '\n';
}
