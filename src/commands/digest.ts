/**
 * `papers digest`: the new matches of each watch, for cron. Written to stdout or, with
 * -o, atomically, so a reader never sees half a digest. `--mark-seen` moves the marks
 * only once it is delivered.
 */
import { choice, flag, list, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { buildDigest, digestJson, digestPaperCount, markDigestSeen, type Digest } from '../core/digest.js';
import { parseDay } from '../dates.js';
import { renderDigestHtml } from '../render/digest-html.js';
import { renderDigestMarkdown } from '../render/digest-markdown.js';
import { outputFile, writeFileAtomic } from '../render/file.js';
import { safeJson } from '../render/json.js';
import { createOutput } from '../render/output.js';
import { visibleControls } from '../text.js';

export const DIGEST_FORMATS = ['markdown', 'html', 'json'] as const;
export type DigestFormat = (typeof DIGEST_FORMATS)[number];

export function renderDigest(d: Digest, format: DigestFormat): string {
  if (format === 'html') return renderDigestHtml(d);
  if (format === 'json') return safeJson(digestJson(d), 2) + '\n';
  return renderDigestMarkdown(d);
}

export default defineCommand({
  name: 'digest',
  summary: 'the new matches of your watches, a section per watch, for cron: Markdown, HTML or JSON',
  access: (o) => (o.markSeen ? 'write' : 'read'),
  options: {
    watch: list('--watch <name>', 'only these watches (repeatable)'),
    since: text('--since <day>', 'papers first seen since this day, instead of since each watch last reported'),
    format: choice('-f, --format <format>', 'output format', DIGEST_FORMATS, 'markdown'),
    output: text('-o, --output <file>', 'write to this file (atomically) instead of stdout'),
    markSeen: flag('--mark-seen', "after writing, move each watch's mark to now"),
  },
  examples: [
    'papers digest',
    'papers digest --format html -o ~/digest.html',
    '0 7 * * * papers sync -q && papers digest --format markdown -o ~/notes/papers-$(date +%F).md',
  ],
  async run(ctx, o) {
    const now = ctx.now();
    const since = o.since !== undefined ? parseDay(o.since, now, '--since') : undefined;
    const file = outputFile(o.output, ctx.config.dbPath, 'digest');
    const db = await ctx.db();
    const digest = buildDigest(db, { watches: o.watch, since, now });
    const body = renderDigest(digest, o.format);
    if (file) await writeFileAtomic(file, [body], { pid: ctx.pid, signal: ctx.signal });
    else ctx.io.stdout.write(body);
    if (o.markSeen) markDigestSeen(db, digest);
    const n = digestPaperCount(digest);
    const sections = digest.sections.length;
    const where = file ? ` to ${visibleControls(file)}` : '';
    createOutput(ctx).note(
      `digest${where}: ${n} new paper${n === 1 ? '' : 's'} in ${sections} section${sections === 1 ? '' : 's'}` +
        (o.markSeen ? ', marked as seen' : ''),
    );
    return 0;
  },
});
