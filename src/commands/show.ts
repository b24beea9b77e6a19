/** `papers show ID`: everything known about one paper. */
import { safeJson } from '../render/json.js';
import type { Context } from '../context.js';
import { getPaper } from '../core/query.js';
import { sparkline, upvoteHistory } from '../core/signals.js';
import { PapersError } from '../errors.js';
import { canonicalId, parsePaperId } from '../ids.js';
import { wrap } from '../render/text.js';
import { cleanLine } from '../text.js';

export async function runShow(ctx: Context, input: string, flags: { json?: boolean }): Promise<number> {
  canonicalId(input) ?? parsePaperId(input); // a malformed id fails before the archive opens
  const db = await ctx.db();
  const id = parsePaperId(input, (x) => getPaper(db, x) !== undefined);
  const p = getPaper(db, id);
  if (!p) {
    throw new PapersError(`${id} is not in the archive`, {
      hint: `sync the days that list it (papers sync --since ...), or open https://huggingface.co/papers/${id}`,
    });
  }
  const io = ctx.io;
  const history = upvoteHistory(db, id);
  if (flags.json) {
    io.out(safeJson({ ...p, history }, 2));
    return 0;
  }
  const c = io.color;
  const width = io.tty ? io.width : 100;
  const field = (label: string, value: string | null | undefined) => {
    if (value === null || value === undefined || value === '') return;
    const lines = io.tty ? wrap(value, Math.max(20, width - 14)) : [value];
    lines.forEach((l, i) => io.out(`${i === 0 ? c.dim(label.padEnd(13)) : ' '.repeat(13)}${l}`));
  };
  const block = (label: string, value: string | null | undefined) => {
    if (!value) return;
    io.out('');
    io.out(c.bold(label));
    for (const l of io.tty ? wrap(value, width) : [value]) io.out(l);
  };
  for (const l of io.tty ? wrap(cleanLine(p.title), width) : [cleanLine(p.title)]) io.out(c.bold(l));
  io.out('');
  field('id', p.id);
  field('authors', p.authors.map(cleanLine).join(', '));
  field('listed', p.days.join(', '));
  field('upvotes', String(p.upvotes));
  if (history.length > 1) {
    const first = history[0]!;
    const trend = io.tty
      ? `${sparkline(history.map((h) => h.upvotes), 40)}  ${first.upvotes} → ${p.upvotes} since ${first.at.slice(0, 10)} (${history.length} snapshots)`
      : history.map((h) => `${h.at} ${h.upvotes}`).join(', ');
    field('history', trend);
  }
  field('comments', p.comments === null ? null : String(p.comments));
  field('published', p.publishedAt);
  field('arXiv', p.url);
  field('PDF', p.pdfUrl);
  field('Hugging Face', p.hfUrl);
  field('GitHub', p.githubRepo ? cleanLine(p.githubRepo) + (p.githubStars !== null ? `  (★ ${p.githubStars})` : '') : null);
  field('project', p.projectPage ? cleanLine(p.projectPage) : null);
  field('organization', p.organization ? cleanLine(p.organization) : null);
  field('submitted by', p.submitter ? cleanLine(p.submitter) : null);
  field('keywords', p.aiKeywords.map(cleanLine).join(', '));
  block('AI summary', p.aiSummary ? cleanLine(p.aiSummary) : null);
  block('Abstract', cleanLine(p.abstract));
  return 0;
}
