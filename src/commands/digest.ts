/**
 * `papers digest`: the new matches of each watch, for cron. Written to stdout or, with
 * -o, atomically (export's writer: a temp file in the same folder, then a rename), so a
 * reader never sees half a digest. `--mark-seen` moves the marks only once it is delivered.
 */
import type { Context } from '../context.js';
import { safeJson } from '../render/json.js';
import { visibleControls } from '../text.js';
import { buildDigest, digestJson, digestPaperCount, markDigestSeen, type Digest } from '../core/digest.js';
import { parseDay } from '../dates.js';
import { renderDigestHtml } from '../render/digest-html.js';
import { renderDigestMarkdown } from '../render/digest-markdown.js';
import { outputFile, writeFileAtomic } from './export.js';

export interface DigestFlags {
  watch?: string[];
  since?: string;
  format?: 'markdown' | 'html' | 'json';
  output?: string;
  markSeen?: boolean;
}

export function renderDigest(d: Digest, format: DigestFlags['format']): string {
  if (format === 'html') return renderDigestHtml(d);
  if (format === 'json') return safeJson(digestJson(d), 2) + '\n';
  return renderDigestMarkdown(d);
}

export async function runDigest(ctx: Context, flags: DigestFlags): Promise<number> {
  const now = ctx.now();
  const since = flags.since !== undefined ? parseDay(flags.since, now, '--since') : undefined;
  const file = outputFile(flags.output, ctx.config.dbPath, 'digest');
  const db = await ctx.db();
  const digest = buildDigest(db, { watches: flags.watch, since, now });
  const body = renderDigest(digest, flags.format);
  if (file) await writeFileAtomic(file, [body], { pid: ctx.pid, signal: ctx.signal });
  else ctx.io.stdout.write(body);
  if (flags.markSeen) markDigestSeen(db, digest);
  const io = ctx.io;
  if (io.errTty && !ctx.quiet) {
    const n = digestPaperCount(digest);
    const where = file ? ` to ${visibleControls(file)}` : '';
    io.err(
      io.errColor.dim(
        `digest${where}: ${n} new paper${n === 1 ? '' : 's'} in ${digest.sections.length} section${digest.sections.length === 1 ? '' : 's'}${flags.markSeen ? ', marked as seen' : ''}`,
      ),
    );
  }
  return 0;
}
