/**
 * `papers digest`: the new matches of each watch, for cron. Written to stdout or, with
 * -o, atomically, so a reader never sees half a digest. `--mark-seen` moves the marks
 * only once it is delivered.
 */
import { filterFromFlags, resolveDayRange } from '../cmdutil/filters.js';
import { choice, flag, int, list, sourceOptions, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import {
  buildDigest,
  digestJson,
  digestNotice,
  digestPaperCount,
  digestSummary,
  markDigestSeen,
  type Digest,
} from '../core/digest.js';
import { dayOf } from '../dates.js';
import { UsageError } from '../errors.js';
import { renderEmail } from '../render/email.js';
import { renderDigestHtml } from '../render/digest-html.js';
import { renderDigestMarkdown } from '../render/digest-markdown.js';
import { outputFile, writeFileAtomic } from '../render/file.js';
import { chooseFormat, formatName } from '../render/formats.js';
import { safeJson } from '../render/json.js';
import { createOutput } from '../render/output.js';
import { visibleControls } from '../text.js';

export const DIGEST_FORMATS = ['markdown', 'html', 'json', 'email'] as const;
export type DigestFormat = (typeof DIGEST_FORMATS)[number];

export function renderDigest(d: Digest, format: Exclude<DigestFormat, 'email'>): string {
  if (format === 'html') return renderDigestHtml(d);
  if (format === 'json') return safeJson(digestJson(d), 2) + '\n';
  return renderDigestMarkdown(d);
}

/** An address the email needs: given, or a usage error that says where it comes from. */
function mailAddress(value: string | undefined, flag: string, env: string): string {
  if (value === undefined || !value.trim()) {
    throw new UsageError(`--format email needs ${flag === '--from' ? 'a sender' : 'a recipient'}: give ${flag}`, {
      hint: `papers digest --format email ${flag} ada@example.org, or set ${env}`,
    });
  }
  return value;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export default defineCommand({
  name: 'digest',
  summary: 'the new matches of your watches, a section per watch, for cron: Markdown, HTML, JSON or email',
  description: `Each section holds what its watch matches among papers listed since the watch's mark and
not shown before (with no watches, one section of every new paper against the global mark).
A first digest, with no mark yet, covers the latest listing day only. Day options pick listing
days instead. The count counts distinct papers: one in two watches is listed in both sections.
With 3 or more starred papers (\`papers star\`), a "For you" section comes first: the top new
papers by a model of your stars, as \`papers recommend\` ranks them (--for-you 0 drops it).`,
  access: (o) => (o.markSeen ? 'update' : 'read'),
  options: {
    watch: list('--watch <name>', 'only these watches (repeatable)'),
    date: text('--date <day>', 'papers listed on this day, instead of since each watch last reported'),
    since: text('--since <day>', 'papers listed since this day, instead of since each watch last reported'),
    until: text('--until <day>', 'with --since: up to this listing day'),
    format: choice(
      '-f, --format <format>',
      "output format (default: -o FILE's extension, else markdown)",
      DIGEST_FORMATS,
    ),
    output: text('-o, --output <file>', 'write to this file (atomically) instead of stdout'),
    from: text('--from <address>', 'email: the From (default: $PAPERS_MAIL_FROM, else $EMAIL)'),
    to: text('--to <address>', 'email: the To (default: $PAPERS_MAIL_TO)'),
    subject: text('--subject <text>', 'email: the Subject (default: papers digest, its day and count)'),
    forYou: int('--for-you <n>', 'the top N papers by your stars in a "For you" section; 0 drops it', {
      min: 0,
      default: 10,
    }),
    markSeen: flag('--mark-seen', "after writing, move each watch's mark to now"),
    ...sourceOptions,
  },
  examples: [
    'papers digest',
    'papers digest --format html -o ~/digest.html',
    'papers digest --for-you 5          # five papers for you, by your stars',
    '# a crontab line (cron needs % written as \\%):',
    '0 7 * * * papers sync -q && papers digest --mark-seen -o ~/digest.md',
    'papers digest --source arxiv --cat cs.CL   # the arXiv announcements only, in cs.CL',
    '# by mail each morning (PAPERS_MAIL_FROM and PAPERS_MAIL_TO set in the crontab):',
    '0 7 * * * papers sync -q && papers digest --format email --mark-seen | sendmail -t',
  ],
  async run(ctx, o) {
    const now = ctx.now();
    const { since, until } = resolveDayRange({ date: o.date, since: o.since, until: o.until }, now);
    const file = outputFile(o.output, ctx.config.dbPath, 'digest');
    const { format } = chooseFormat(DIGEST_FORMATS, o.format, file, 'markdown');
    const db = await ctx.db();
    const { sources, categories, types } = filterFromFlags({ source: o.source, cat: o.cat, type: o.type }, now);
    const digest = buildDigest(db, {
      watches: o.watch,
      since,
      until,
      forYou: o.forYou,
      now,
      filter: { sources, categories, types },
    });
    const body =
      format === 'email'
        ? renderEmail(
            {
              from: mailAddress(o.from ?? ctx.config.mailFrom, '--from', 'PAPERS_MAIL_FROM'),
              to: mailAddress(o.to ?? ctx.config.mailTo, '--to', 'PAPERS_MAIL_TO'),
              subject: o.subject ?? `papers digest ${dayOf(now)}: ${plural(digestPaperCount(digest), 'paper')}`,
              date: now,
            },
            renderDigestMarkdown(digest),
            renderDigestHtml(digest),
          )
        : renderDigest(digest, format);
    if (file) await writeFileAtomic(file, [body], { pid: ctx.pid, signal: ctx.signal });
    else ctx.io.stdout.write(body);
    if (o.markSeen) markDigestSeen(db, digest);
    // A first run covers the latest day only: say so wherever stderr goes (cron mails it once).
    const notice = digestNotice(digest, { markSeen: o.markSeen });
    if (notice && !ctx.quiet) ctx.io.err(notice);
    const where = file ? ` to ${visibleControls(file)} as ${formatName(format)}` : '';
    createOutput(ctx).note(`digest${where}: ${digestSummary(digest)}${o.markSeen ? '; marked as seen' : ''}`);
    return 0;
  },
});
