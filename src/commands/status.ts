/** `papers status`: the archive at a glance. */
import { jsonOption } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { archiveStatus, type SourceRun, type Status } from '../core/status.js';
import { syncLockHeld } from '../db/lock.js';
import { createOutput } from '../render/output.js';
import { relativeTime } from '../render/text.js';
import { cleanLine, plural } from '../text.js';

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

function fullTextLine(f: Status['fullText']): string {
  if (f.papers === 0 && f.failed === 0) return 'none (papers fetch ID)';
  const kept = f.pdfs ? `; ${plural(f.pdfs, 'PDF')} kept (${bytes(f.pdfBytes)})` : '';
  const failed = f.failed ? `; ${f.failed} failed` : '';
  const index = f.indexBytes === null ? '' : ` (+${bytes(f.indexBytes)} of index)`;
  const text = `${bytes(f.textBytes)} of text${index}`;
  return `${plural(f.papers, 'paper')}, ${plural(f.pages, 'page')}, ${text}${kept}${failed}`;
}

const KIND_NAMES: Record<string, string> = { days: 'days', feed: 'feed', harvest: 'backfill', add: 'add' };

/** `arxiv:cs.CL backfill 2025-...: ok, 12 days, 3068 papers (3068 new); unsettled: ...` */
function sourceLine(run: SourceRun, when: (iso: string) => string): string {
  const failed = run.failedDays ? `, ${run.failedDays} failed` : '';
  const error = run.error && run.status !== 'ok' ? ` (${cleanLine(run.error)})` : '';
  const unsettled = run.unsettled.length ? `; unsettled: ${run.unsettled.join(', ')}` : '';
  return (
    `${run.source} ${KIND_NAMES[run.kind] ?? run.kind} ${when(run.startedAt)}: ${run.status}${error}, ` +
    `${plural(run.days, 'day')}${failed}, ${plural(run.papers, 'paper')} (${run.newPapers} new)${unsettled}`
  );
}

export default defineCommand({
  name: 'status',
  summary: 'the archive at a glance: size, papers, days, last run of each source, failed days, full text',
  access: 'read',
  options: { ...jsonOption },
  examples: ['papers status', 'papers status --json | jq .papers'],
  async run(ctx, o) {
    const db = await ctx.db();
    const s = archiveStatus(db, ctx.config.dbPath, () => syncLockHeld(ctx.lockPath));
    const out = createOutput(ctx, o);
    if (out.json) {
      out.value(s);
      return 0;
    }
    const c = out.color;
    const when = (iso: string) =>
      out.tty ? `${iso.slice(0, 16).replace('T', ' ')} UTC (${relativeTime(iso, ctx.now())})` : iso;
    const last = s.lastSync;
    const failed = s.failedDays.length ? s.failedDays.map((f) => f.day).join(', ') : 'none';
    // Saved whole, but the last list looked cut short: later syncs fetch them again (doctor says why).
    const suspect = s.suspectDays.length ? s.suspectDays.map((d) => d.day).join(', ') : 'none';
    out.fields([
      ['archive', `${s.db} (${bytes(s.size)})`],
      ['papers', String(s.papers)],
      ['listings', `${s.listings} on ${plural(s.days, 'day')}`],
      ['first day', s.firstDay ?? '-'],
      ['last day', s.lastDay ?? '-'],
      [
        'last sync',
        last
          ? `${when(last.startedAt)}: ${last.status}, ` +
            `${plural(last.days, 'day')}${last.status === 'running' ? ' so far' : ''}, ` +
            `${plural(last.papers, 'paper')} (${last.newPapers} new)`
          : 'never (run `papers sync`)',
      ],
      // The last run of each source and kind: an OAI-PMH backfill counts as well as a feed.
      ...s.sources.map((run): [string, string] => ['source', sourceLine(run, when)]),
      ['unsettled days', String(s.unsettledDays)],
      ['full text', fullTextLine(s.fullText)],
      ['suspect days', out.tty && s.suspectDays.length ? c.yellow(suspect) : suspect],
      // Last: its details follow it.
      ['failed days', out.tty && s.failedDays.length ? c.red(failed) : failed],
    ]);
    // Details go under the values, which start after the longest label and a space.
    const pad = ' '.repeat('unsettled days'.length + 1);
    if (out.tty && s.failedDays.length) {
      for (const f of s.failedDays.slice(0, 10)) out.line(`${pad}${c.dim(`${f.day}: ${cleanLine(f.error ?? '')}`)}`);
      out.line(`${pad}${c.dim('retry with: papers sync')}`);
    }
    return 0;
  },
});
