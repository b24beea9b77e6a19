/**
 * Width-aware text for the terminal: display width (wide CJK and emoji count two),
 * truncation and wrapping. Inputs are already sanitised.
 */

/**
 * Characters examined by the functions below. Layout must stay linear in the text (a
 * 300k-character title once took a minute per paper): tests bound this count instead of
 * timing a run.
 */
export const layoutWork = { chars: 0 };

function charWidth(cp: number): number {
  layoutWork.chars++;
  // Combining marks, zero-width space/joiners, variation selectors: no column of their own.
  if (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x200b && cp <= 0x200d) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x20d0 && cp <= 0x20ff)
  )
    return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2;
  return 1;
}

export function displayWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    w += charWidth(cp);
  }
  return w;
}

/** At most `width` columns, `…` last when cut. Reads no further than the cut needs. */
export function truncate(s: string, width: number): string {
  let w = 0;
  let cut = -1; // where the text stops when an ellipsis must follow it
  for (let i = 0; i < s.length; i++) {
    const at = i;
    const cp = s.codePointAt(i)!;
    if (cp > 0xffff) i++;
    w += charWidth(cp);
    if (cut < 0 && w > width - 1) cut = at;
    if (w > width) return s.slice(0, cut) + '…';
  }
  return s;
}

/** Greedy word wrap to `width` columns; words longer than a line are split. Linear in `s`. */
export function wrap(s: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  for (const word of s.split(/\s+/)) {
    if (!word) continue;
    const ww = displayWidth(word);
    if (w > 0 && w + 1 + ww > width) {
      lines.push(line);
      line = '';
      w = 0;
    }
    if (ww <= width) {
      line += (w > 0 ? ' ' : '') + word;
      w += (w > 0 ? 1 : 0) + ww;
      continue;
    }
    // Wider than a line (so the line is empty here): cut in one pass, at least one
    // character a line; the last piece stays open for the next word.
    let start = 0;
    let cw = 0;
    for (let i = 0; i < word.length; i++) {
      const at = i;
      const cp = word.codePointAt(i)!;
      if (cp > 0xffff) i++;
      const c = charWidth(cp);
      if (cw > 0 && cw + c > width) {
        lines.push(word.slice(start, at));
        start = at;
        cw = 0;
      }
      cw += c;
    }
    line = word.slice(start);
    w = cw;
  }
  if (line) lines.push(line);
  return lines;
}

export function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - displayWidth(s)));
}

export function padStart(s: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(s))) + s;
}

/** "3 hours ago", "2 days ago": for TTY only; pipes get ISO times. */
export function relativeTime(iso: string, now: Date): string {
  const ms = now.getTime() - Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const s = Math.round(ms / 1000);
  if (s < 0) return 'just now';
  if (s < 60) return `${s}s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}
