/**
 * Width-aware text for the terminal: display width (wide CJK and emoji count two),
 * truncation and wrapping. Inputs are already sanitised.
 */

const ZERO_WIDTH = /[\u0300-\u036f\u200b-\u200d\ufe00-\ufe0f\u20d0-\u20ff]/u;

function charWidth(cp: number, ch: string): number {
  if (ZERO_WIDTH.test(ch)) return 0;
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
  for (const ch of s) w += charWidth(ch.codePointAt(0)!, ch);
  return w;
}

export function truncate(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch.codePointAt(0)!, ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return out + '…';
}

/** Greedy word wrap to `width` columns; words longer than a line are split. */
export function wrap(s: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let w = 0;
  for (const word of s.split(/\s+/).filter(Boolean)) {
    let ww = displayWidth(word);
    if (w > 0 && w + 1 + ww > width) {
      lines.push(line);
      line = '';
      w = 0;
    }
    let rest = word;
    while (ww > width) {
      const head = truncate(rest, width + 1).slice(0, -1);
      lines.push(head);
      rest = rest.slice(head.length);
      ww = displayWidth(rest);
    }
    line += (w > 0 ? ' ' : '') + rest;
    w += (w > 0 ? 1 : 0) + ww;
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
