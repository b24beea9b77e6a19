/**
 * A PDF page's text items (what pdf.js gives: strings with their positions) to text that
 * reads as the paper: rotated text dropped (arXiv's margin stamp), running heads and page
 * numbers dropped, two-column pages read column by column, lines joined into paragraphs
 * (one per line of the result), words hyphenated at line ends joined, ligatures and other
 * compatibility characters NFKC-normalised. Pure: no PDF library here, so it is tested and
 * benchmarked on its own.
 */

export interface TextItem {
  s: string;
  /** Left edge and baseline, in PDF points from the page's bottom-left corner. */
  x: number;
  y: number;
  w: number;
  /** Font size (points). */
  size: number;
  /** Rotated or skewed (the arXiv stamp runs up the left margin). */
  rot?: boolean;
  font?: string;
}

export interface PageItems {
  width: number;
  height: number;
  items: TextItem[];
}

/** A run of items on one baseline without a column-sized gap. */
interface Segment {
  x0: number;
  x1: number;
  y: number;
  size: number;
  text: string;
}

interface Line extends Segment {}

/** The stamp arXiv prints up the left margin of page 1: `arXiv:2305.14962v1 [cs.CV] 24 May 2023`. */
const STAMP = new RegExp(
  String.raw`^\s*arXiv:\s?(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?` +
    String.raw`\s*\[[^\]]{1,30}\]\s*\d{1,2}\s*[A-Za-z]{3}\s*\d{4}\s*$`,
);

/** Characters dropped from extracted text: controls, soft hyphens, zero-width and bidi marks. */
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/[\t\u00a0\u2000-\u200a\u3000]/g, ' ');
}

const median = (xs: number[]): number => {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
};

/** Items to segments: same baseline (within half the font size) and no gap wider than `gap` ems. */
function segments(items: TextItem[], gapEms: number): Segment[] {
  const kept = items
    .filter((it) => !it.rot)
    .map((it) => ({ ...it, s: normalizeText(it.s) }))
    .filter((it) => it.s.trim() !== '' || it.w > 0);
  // Top to bottom, then left to right; near baselines are sorted as one.
  kept.sort((a, b) => b.y - a.y || a.x - b.x);
  const rows: (typeof kept)[] = [];
  for (const it of kept) {
    const row = rows[rows.length - 1];
    const ref = row?.[0];
    if (row && ref && Math.abs(ref.y - it.y) < 0.5 * Math.max(ref.size, it.size, 1)) row.push(it);
    else rows.push([it]);
  }
  const out: Segment[] = [];
  for (const row of rows) {
    row.sort((a, b) => a.x - b.x);
    let cur: Segment | null = null;
    for (const it of row) {
      const size = it.size;
      const x1 = it.x + Math.max(it.w, 0);
      if (it.s.trim() === '') {
        if (cur) cur.text = cur.text.endsWith(' ') ? cur.text : cur.text + ' ';
        continue;
      }
      const gap = cur ? it.x - cur.x1 : 0;
      if (!cur || gap > gapEms * Math.max(size, cur.size)) {
        if (cur) out.push(cur);
        cur = { x0: it.x, x1, y: it.y, size, text: it.s };
        continue;
      }
      // A space where the PDF leaves room for one and the strings do not already have it.
      const space = gap > 0.15 * size && !cur.text.endsWith(' ') && !it.s.startsWith(' ');
      cur.text += (space ? ' ' : '') + it.s;
      cur.x1 = Math.max(cur.x1, x1);
      // The line's size and baseline are its body text's, not a superscript's.
      if (it.s.trim().length > 2 && size >= cur.size) {
        if (size > cur.size) cur.y = it.y;
        cur.size = size;
      }
    }
    if (cur) out.push(cur);
  }
  for (const s of out) {
    // A spacing accent before its letter (TeX's \"\i: `na ̈ıve`) as the letter it marks: naïve.
    s.text = s.text
      .replace(/\s+/g, ' ')
      .replace(/ ([\u0300-\u036f])([ıȷ]|\p{L})/gu, (_, mark: string, base: string) => {
        return (base === 'ı' ? 'i' : base === 'ȷ' ? 'j' : base) + mark;
      })
      .normalize('NFC')
      .trim();
  }
  return out.filter((s) => s.text !== '');
}

/**
 * The x of the gutter of a two-column page, or null for one column: the place near the
 * middle that the fewest segments cross, when few cross it and many lie on each side.
 */
function gutterOf(segs: Segment[], width: number): number | null {
  const body = segs.filter((s) => s.text.length >= 8);
  if (body.length < 12) return null;
  let best: { x: number; n: number } | null = null;
  for (let x = width * 0.35; x <= width * 0.65; x += 2) {
    let n = 0;
    for (const s of body) if (s.x0 < x && s.x1 > x) n++;
    if (!best || n < best.n || (n === best.n && Math.abs(x - width / 2) < Math.abs(best.x - width / 2)))
      best = { x, n };
  }
  if (!best || best.n > body.length * 0.2) return null;
  const left = body.filter((s) => s.x1 <= best.x).length;
  const right = body.filter((s) => s.x0 >= best.x).length;
  return left >= 5 && right >= 5 ? best.x : null;
}

/** Segments on one baseline within a column joined into lines (left to right), top to bottom. */
function toLines(segs: Segment[]): Line[] {
  const sorted = [...segs].sort((a, b) => b.y - a.y || a.x0 - b.x0);
  const rows: Segment[][] = [];
  for (const s of sorted) {
    const row = rows[rows.length - 1];
    const ref = row?.[0];
    if (row && ref && Math.abs(ref.y - s.y) < 0.5 * Math.max(ref.size, s.size)) row.push(s);
    else rows.push([s]);
  }
  return rows.map((row) => {
    row.sort((a, b) => a.x0 - b.x0);
    const line: Line = { ...row[0]! };
    for (const s of row.slice(1)) {
      line.text += ` ${s.text}`;
      line.x1 = Math.max(line.x1, s.x1);
      if (s.size > line.size && s.text.length > 2) line.size = s.size;
    }
    return line;
  });
}

/** Reading order: on two columns, each band between full-width lines is its left column, then its right. */
function readingOrder(segs: Segment[], width: number): Line[][] {
  const gutter = gutterOf(segs, width);
  if (gutter === null) return [toLines(segs)];
  const sorted = [...segs].sort((a, b) => b.y - a.y || a.x0 - b.x0);
  const blocks: Line[][] = [];
  let left: Segment[] = [];
  let right: Segment[] = [];
  let span: Segment[] = [];
  const flushColumns = () => {
    if (left.length) blocks.push(toLines(left));
    if (right.length) blocks.push(toLines(right));
    left = [];
    right = [];
  };
  const flushSpan = () => {
    if (span.length) blocks.push(toLines(span));
    span = [];
  };
  // A row with a segment across the gutter is read as one (a title, authors side by side).
  const spans = sorted.filter((s) => s.x0 < gutter && s.x1 > gutter);
  // The short last line of a full-width paragraph (an abstract's) goes with it: just below
  // a full-width line, starting where it starts.
  for (const s of sorted) {
    if (spans.includes(s)) continue;
    const above = spans.find((t) => t.y > s.y && t.y - s.y <= 2 * t.size && Math.abs(t.x0 - s.x0) < t.size);
    if (above && above.x1 - above.x0 > 0.6 * width) spans.push(s);
  }
  const spanning = (s: Segment) => spans.some((t) => t === s || Math.abs(t.y - s.y) < 0.5 * Math.max(t.size, s.size));
  for (const s of sorted) {
    if (spanning(s)) {
      flushColumns();
      span.push(s);
    } else {
      flushSpan();
      (s.x1 <= gutter ? left : right).push(s);
    }
  }
  flushSpan();
  flushColumns();
  return blocks;
}

const HYPHEN_MARK = '\u0000';

/** A block's lines joined into paragraphs; a line-end hyphen before a lower-case letter is marked. */
function paragraphs(lines: Line[]): string[] {
  if (lines.length === 0) return [];
  const gaps: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const g = lines[i - 1]!.y - lines[i]!.y;
    if (g > 0) gaps.push(g);
  }
  const lineGap = median(gaps) || lines[0]!.size * 1.2;
  // Edges are local (the lines around): an abstract set narrower than the column, a list
  // indented under its item, still read as paragraphs.
  const edge = (i: number) => {
    const near = lines.slice(Math.max(0, i - 3), i + 4);
    return { left: Math.min(...near.map((l) => l.x0)), right: Math.max(...near.map((l) => l.x1)) };
  };
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const prev = lines[i - 1];
    let join = false;
    if (prev && cur) {
      const { left, right } = edge(i - 1);
      const gap = prev.y - l.y;
      const sameSize = Math.abs(prev.size - l.size) <= Math.max(0.6, 0.1 * prev.size);
      // Full: it reaches the right edge, or (a line set narrower than its neighbours, an
      // abstract under a wider affiliation) it is long and the next line reaches no further.
      const long = prev.x1 - prev.x0 >= 0.6 * (right - left);
      const prevFull = prev.x1 >= right - 2.5 * prev.size || (long && prev.x1 >= l.x1 - 0.5 * prev.size);
      const indented = l.x0 > left + 0.6 * l.size && l.x0 < left + 4 * l.size && l.x0 > prev.x0 + 0.6 * l.size;
      join = gap > 0 && gap < 1.6 * lineGap && sameSize && prevFull && !indented && !isHeading(prev.text);
    }
    if (!join) {
      if (cur) out.push(cur);
      cur = l.text;
      continue;
    }
    if (/\p{L}-$/u.test(cur) && /^\p{Ll}/u.test(l.text)) cur = cur.slice(0, -1) + HYPHEN_MARK + l.text;
    // `DeepSeek-` `R1`, `Koncel-` `Kedziorski`: a compound broken after its hyphen.
    else if (/\p{L}-$/u.test(cur) && /^[\p{Lu}\p{N}]/u.test(l.text)) cur += l.text;
    else cur += ` ${l.text}`;
  }
  if (cur) out.push(cur);
  return out;
}

const HEADING = new RegExp(
  String.raw`^(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?|[A-H](?:\.\d{1,2}){0,2}\.?|[IVX]{1,5}\.)\s+` +
    String.raw`\p{Lu}[\p{L}\p{N} ,:&'’()/-]{1,70}$`,
  'u',
);

/** A section heading: `1 Introduction`, `3.2 Results`, `A Appendix`, `IV. METHODS`, `Abstract`. */
export function isHeading(line: string): boolean {
  const t = line.trim();
  if (t.length > 80 || t.length < 3) return false;
  if (
    /^(abstract|references|bibliography|acknowledge?ments?|appendix|contents|introduction|conclusions?)\.?$/i.test(t)
  ) {
    return true;
  }
  return HEADING.test(t) && !/[.,;:]$/.test(t);
}

/** Text with digits as one symbol: running heads that carry the page number compare equal. */
const shape = (s: string) => s.replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().toLowerCase();
const PAGE_NUMBER = /^(?:page\s*)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—]?(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/**
 * Whole documents: pages of items to pages of text (paragraphs one per line). Running
 * heads and feet are lines at the top or bottom of a page whose shape recurs on other
 * pages; page numbers are lone numbers there.
 */
export function layoutDocument(pages: PageItems[]): string[] {
  const segPages = pages.map((p) => segments(p.items, 1.2));
  // The outermost lines of each page, set apart from the text by more than a line's space:
  // candidates for running heads and feet.
  const edges = segPages.map((segs) => {
    const rows = new Map<number, number>();
    for (const s of segs) rows.set(Math.round(s.y), Math.max(rows.get(Math.round(s.y)) ?? 0, s.size));
    const ys = [...rows.keys()].sort((a, b) => b - a);
    const apart = (i: number, j: number) =>
      i >= 0 &&
      j >= 0 &&
      i < ys.length &&
      j < ys.length &&
      Math.abs(ys[i]! - ys[j]!) > 1.5 * Math.max(rows.get(ys[i]!)!, 6);
    // One or two lines set apart from the rest, at the top and at the bottom.
    const n = ys.length;
    const top = apart(0, 1) ? ys.slice(0, 1) : apart(1, 2) ? ys.slice(0, 2) : [];
    const bottom = apart(n - 1, n - 2) ? ys.slice(n - 1) : apart(n - 2, n - 3) ? ys.slice(n - 2) : [];
    return { top, bottom };
  });
  const counts = new Map<string, number>();
  segPages.forEach((segs, i) => {
    const seen = new Set<string>();
    for (const s of segs) {
      const y = Math.round(s.y);
      if (edges[i]!.top.includes(y) || edges[i]!.bottom.includes(y)) seen.add(shape(s.text));
    }
    for (const k of seen) counts.set(k, (counts.get(k) ?? 0) + 1);
  });
  const repeats = Math.max(2, Math.ceil(pages.length * 0.3));
  const texts = segPages.map((segs, i) => {
    const page = pages[i]!;
    const kept = segs.filter((s) => {
      if (i === 0 && STAMP.test(s.text)) return false;
      const y = Math.round(s.y);
      const edge = edges[i]!.top.includes(y) || edges[i]!.bottom.includes(y);
      if (!edge) return true;
      if (PAGE_NUMBER.test(s.text)) return false;
      return pages.length < 3 || (counts.get(shape(s.text)) ?? 0) < repeats;
    });
    return readingOrder(kept, page.width).flatMap(paragraphs);
  });
  return resolveHyphens(texts);
}

/**
 * A word split by a hyphen at a line end is joined (`im-` `proves`: improves), unless the
 * document writes it with its hyphen elsewhere and never without (`state-` `of-the-art`).
 */
function resolveHyphens(pages: string[][]): string[] {
  const words = new Set<string>();
  for (const page of pages) {
    for (const p of page)
      for (const w of p.toLowerCase().match(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)*/gu) ?? []) words.add(w);
  }
  const re = new RegExp(`([\\p{L}\\p{N}-]*)${HYPHEN_MARK}([\\p{L}\\p{N}]*(?:-[\\p{L}\\p{N}]+)*)`, 'gu');
  return pages.map((page) =>
    page
      .map((p) =>
        p.replace(re, (_, a: string, b: string) => {
          const joined = `${a}${b}`.toLowerCase();
          const hyphened = `${a}-${b}`.toLowerCase();
          // `FLAN-` `based`, `markup-` `and-mask`: an acronym or a chain of hyphens is a compound.
          const compound = /[\p{Lu}\p{N}]$/u.test(a) || a.includes('-') || /^[\p{L}\p{N}]+-/u.test(b);
          if (words.has(joined) && !words.has(hyphened)) return `${a}${b}`;
          return compound || words.has(hyphened) ? `${a}-${b}` : `${a}${b}`;
        }),
      )
      .join('\n'),
  );
}
