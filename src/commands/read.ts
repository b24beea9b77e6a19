/** `papers read ID`: a paper's full text from the archive (fetched with `papers fetch`). */
import { argument, int, jsonOption } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { getFullTextInfo, lastFailure, readPages } from '../core/fulltext.js';
import { getPaper } from '../core/query.js';
import { PapersError, UsageError } from '../errors.js';
import { isHeading } from '../fulltext/layout.js';
import { checkPaperIds, parsePaperId } from '../ids.js';
import { createOutput } from '../render/output.js';
import { wrap } from '../render/text.js';
import { cleanLine, plural } from '../text.js';

export default defineCommand({
  name: 'read',
  summary: "a paper's full text, page by page (after `papers fetch ID`)",
  description: `Prints the text \`papers fetch\` extracted from the paper's PDF: paragraphs in
reading order, page by page. On a terminal it is paged and wrapped, with the
title, the authors and section headings marked; piped, plain text: one paragraph
per line, a form feed between pages.`,
  pager: true,
  access: 'read',
  args: { id: argument('<id>', 'an arXiv id or link: 2501.12948, arxiv.org/abs/2501.12948v1') },
  options: {
    page: int('--page <n>', 'only this page', { min: 1 }),
    ...jsonOption,
  },
  examples: ['papers read 2501.12948', 'papers read 2501.12948 --page 3', 'papers read 2501.12948 | grep -i gsm8k'],
  async run(ctx, o) {
    checkPaperIds([o.id]);
    const db = await ctx.db();
    const id = parsePaperId(o.id, (x) => getFullTextInfo(db, x) !== undefined || getPaper(db, x) !== undefined);
    const info = getFullTextInfo(db, id);
    if (!info) {
      const failed = lastFailure(db, id);
      throw new PapersError(`no text of ${id} yet${failed ? ` (the last fetch failed: ${cleanLine(failed)})` : ''}`, {
        hint: `papers fetch ${id}`,
      });
    }
    if (o.page !== undefined && o.page > info.pages) {
      throw new UsageError(`--page ${o.page}: ${id} has ${plural(info.pages, 'page')}`);
    }
    const pages = readPages(db, id, o.page);
    const paper = getPaper(db, id);
    const out = createOutput(ctx, o);
    if (out.json) {
      const { pages: pageCount, ...rest } = info;
      out.value({ ...rest, title: paper?.title ?? null, pageCount, pages });
      return 0;
    }
    if (!out.tty) {
      pages.forEach((p, i) => {
        if (i > 0) out.line('\f');
        for (const para of p.text.split('\n')) out.line(cleanLine(para));
      });
      return 0;
    }
    const c = out.color;
    const width = Math.max(20, Math.min(ctx.io.width, 100));
    if (paper) {
      for (const l of wrap(cleanLine(paper.title), width)) out.line(c.bold(l));
      if (paper.authors.length) for (const l of wrap(cleanLine(paper.authors.join(', ')), width)) out.line(c.dim(l));
      out.line(c.dim(`${id}${info.version ? `v${info.version}` : ''} · ${plural(info.pages, 'page')}`));
      out.line('');
    }
    pages.forEach((p, i) => {
      if (i > 0 || o.page !== undefined) out.line(c.dim(`── page ${p.page} ${'─'.repeat(Math.max(0, width - 12))}`));
      for (const para of p.text.split('\n')) {
        const text = cleanLine(para);
        if (!text) continue;
        if (isHeading(text)) {
          out.line('');
          out.line(c.bold.underline(text));
          continue;
        }
        for (const l of wrap(text, width)) out.line(l);
        out.line('');
      }
    });
    return 0;
  },
});
