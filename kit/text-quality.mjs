// How close extracted text is to an independent extractor's (poppler's pdftotext): shared
// by the full-text tests and the benchmark. Pure functions of two texts, plus a runner of
// pdftotext (a Debian package, poppler-utils: the tests' oracle, never the product's).
import { spawnSync } from 'node:child_process';

/** Words as both sides are compared: NFKC, lower case, runs of letters and digits. */
export function words(text) {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** pdftotext keeps a word hyphenated at a line end as two lines: joined, as a reader would. */
export function dehyphenate(text) {
  return text.replace(/(\p{L})-\n\s*(\p{Ll})/gu, '$1$2');
}

/**
 * The share of pdftotext's words (counted with repeats) that the text has too: 1 when every
 * word of the oracle is there, as often.
 */
export function wordOverlap(text, oracle) {
  const have = new Map();
  for (const w of words(text)) have.set(w, (have.get(w) ?? 0) + 1);
  const want = words(dehyphenate(oracle));
  if (want.length === 0) return 1;
  let hit = 0;
  for (const w of want) {
    const n = have.get(w) ?? 0;
    if (n > 0) {
      hit++;
      have.set(w, n - 1);
    }
  }
  return hit / want.length;
}

/** Words left split at a line end in the text: `repre- sentation` (a hyphen, a space, lower case). */
export function hyphenSplits(text) {
  return (text.match(/\p{L}- \p{Ll}/gu) ?? []).length;
}

/**
 * The abstract as pdftotext prints it: the paragraph after a line reading "Abstract" (or
 * starting with it), up to the first blank line or section heading. Null when not found.
 */
export function oracleAbstract(oracle) {
  const lines = dehyphenate(oracle).split('\n');
  const i = lines.findIndex((l) => /^\s*(?:a\s?b\s?s\s?t\s?r\s?a\s?c\s?t)\b[\s.:—-]*/i.test(l));
  if (i < 0) return null;
  const first = lines[i].replace(/^\s*a\s?b\s?s\s?t\s?r\s?a\s?c\s?t\b[\s.:—-]*/i, '');
  const out = first.trim() ? [first] : [];
  for (let j = i + 1; j < lines.length; j++) {
    const l = lines[j];
    if (!l.trim()) {
      if (out.length) break;
      continue;
    }
    if (/^\s*(?:\d+\.?|I\.)\s+[A-Z]/.test(l) || /^\s*(?:keywords|index terms)\b/i.test(l)) break;
    out.push(l);
  }
  const text = out.join(' ').trim();
  return words(text).length >= 20 ? text : null;
}

/**
 * Whether the passage comes out as one run of the text: its words in order, allowing a few
 * words that differ (`slack`, plus 2% of its length: a footnote mark, a word split by a
 * hyphen one way here and the other way there), never a stretch of other text inside it.
 */
export function contiguous(text, passage, slack = 3) {
  const want = words(passage);
  const have = words(text);
  if (want.length === 0) return false;
  const allowed = slack + Math.floor(want.length * 0.02);
  for (let start = 0; start < have.length; start++) {
    if (have[start] !== want[0]) continue;
    let i = start;
    let j = 0;
    let misses = 0;
    while (j < want.length && misses <= allowed) {
      if (have[i] === want[j]) {
        i++;
        j++;
      } else if (have[i + 1] === want[j]) {
        i++;
        misses++;
      } else if (have[i] === want[j + 1]) {
        j++;
        misses++;
      } else if (have[i] + have[i + 1] === want[j]) {
        i += 2;
        j++;
      } else {
        i++;
        j++;
        misses++;
      }
    }
    if (j >= want.length && misses <= allowed) return true;
  }
  return false;
}

/** pdftotext's text of a PDF file, or null when pdftotext is not installed or fails. */
export function pdftotext(file) {
  const r = spawnSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  return r.status === 0 ? r.stdout : null;
}
