/** Full-text hits: the best passage of each paper, with its page (search --full-text). */
import type { FullTextHit, GrepFullTextPaper } from '../core/fulltext.js';
import { cleanLine } from '../text.js';
import type { IO } from './io.js';
import type { Output } from './output.js';
import { renderSnippet } from './papers.js';
import { wrap } from './text.js';

export const FULL_TEXT_EMPTY =
  'no passage matches; `papers fetch` stores the text of more papers (--starred, --since 7d, ...)';

const plain = (s: string) => cleanLine(s.replace(/[\uE000\uE001]/g, ''));

/**
 * JSON: each hit's paper (or its id alone when the archive has no record of it), page,
 * passage and score. Terminal: numbered, title and id, then the page and the passage with
 * its matches marked. Piped: id, page, title, passage, tab-separated.
 */
export function printFullTextHits(io: IO, out: Output, hits: Iterable<FullTextHit>, abstract = false): number {
  if (out.json) {
    return out.jsonArray(
      (function* () {
        for (const h of hits)
          yield { ...(h.paper ?? { id: h.id }), page: h.page, passage: plain(h.passage), score: h.score };
      })(),
    );
  }
  let n = 0;
  const c = out.color;
  for (const h of hits) {
    n++;
    const title = h.paper ? cleanLine(h.paper.title) : '';
    if (!out.tty) {
      out.line([h.id, h.page, title, plain(h.passage)].map((x) => String(x).replace(/\t/g, ' ')).join('\t'));
      continue;
    }
    if (n > 1) out.line('');
    const num = `${n}. `;
    const pad = ' '.repeat(num.length);
    const width = io.width - num.length;
    const head = wrap(title || h.id, width);
    head.forEach((l, i) =>
      out.line(`${i ? pad : c.dim(num)}${c.bold(l)}${i === head.length - 1 && title ? `  ${c.cyan(h.id)}` : ''}`),
    );
    if (abstract && h.paper?.abstract)
      for (const l of wrap(cleanLine(h.paper.abstract), width)) out.line(pad + c.dim(l));
    out.line(`${pad}${c.green(`page ${h.page}`)}`);
    for (const l of renderSnippet(io, h.passage, width - 2)) out.line(`${pad}${c.dim('│ ')}${l}`);
  }
  return n;
}

/**
 * `grep --full-text`: piped, `id:page:line:text` per matching paragraph (as grep -n and rg
 * print, the page added); `-l`/`-L` ids, `-c` id:count; JSON the papers with their lines.
 * On a terminal, each paper under its id and title, the match marked, long paragraphs cut
 * to the part around the first match.
 */
export function printGrepFullText(
  out: Output,
  papers: Iterable<GrepFullTextPaper>,
  opts: {
    mode: 'lines' | 'with' | 'without' | 'count';
    highlight: RegExp | null;
    title?: (id: string) => string | undefined;
  },
): number {
  const c = out.color;
  if (out.json) {
    return out.jsonArray(
      (function* () {
        for (const p of papers) {
          if (opts.mode === 'with' || opts.mode === 'without') yield { id: p.id };
          else if (opts.mode === 'count') yield { id: p.id, count: p.lines.length };
          else yield { id: p.id, matches: p.lines.map((l) => ({ ...l, text: cleanLine(l.text) })) };
        }
      })(),
    );
  }
  const mark = (s: string) => {
    const re = opts.highlight;
    if (!re || !(out.tty || c.level)) return s;
    re.lastIndex = 0;
    return s.replace(re, (m) => (m ? c.bold.red(m) : m));
  };
  let n = 0;
  for (const p of papers) {
    if (opts.mode === 'with' || opts.mode === 'without') out.line(out.tty ? c.cyan(p.id) : p.id);
    else if (opts.mode === 'count')
      out.line(out.tty ? `${c.cyan(p.id)}${c.dim(':')}${p.lines.length}` : `${p.id}:${p.lines.length}`);
    else if (out.tty) {
      if (n > 0) out.line('');
      const title = opts.title?.(p.id);
      out.line(`${c.cyan(p.id)}${title ? ` ${c.bold(cleanLine(title))}` : ''}`);
      for (const l of p.lines) {
        const where = `${c.green(String(l.page))}${c.dim(':')}${c.green(String(l.line))}${c.dim(':')}`;
        out.line(where + mark(around(cleanLine(l.text), opts.highlight)));
      }
    } else {
      for (const l of p.lines) out.line(`${p.id}:${l.page}:${l.line}:${mark(cleanLine(l.text))}`);
    }
    n++;
  }
  return n;
}

/** A long paragraph cut to about 240 characters around its first match. */
function around(text: string, re: RegExp | null, max = 240): string {
  if (text.length <= max) return text;
  let at = 0;
  if (re) {
    re.lastIndex = 0;
    at = re.exec(text)?.index ?? 0;
  }
  const start = Math.max(0, at - max / 3);
  const end = Math.min(text.length, start + max);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}
