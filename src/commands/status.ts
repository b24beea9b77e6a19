/** `papers status`: the archive at a glance. */
import { safeJson } from '../render/json.js';
import type { Context } from '../context.js';
import { archiveStatus } from '../core/status.js';
import { lockPathFor, syncLockHeld } from '../db/lock.js';
import { cleanLine } from '../text.js';
import { relativeTime } from '../render/text.js';

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

export async function runStatus(ctx: Context, flags: { json?: boolean }): Promise<number> {
  const db = await ctx.db();
  const s = archiveStatus(db, ctx.config.dbPath, () => syncLockHeld(lockPathFor(ctx.config.dbPath)));
  const io = ctx.io;
  if (flags.json) {
    io.out(safeJson(s, 2));
    return 0;
  }
  const c = io.color;
  const when = (iso: string) => (io.tty ? `${iso.slice(0, 16).replace('T', ' ')} UTC (${relativeTime(iso, ctx.now())})` : iso);
  const rows: [string, string][] = [
    ['archive', `${s.db} (${bytes(s.size)})`],
    ['papers', String(s.papers)],
    ['listings', `${s.listings} on ${s.days} days`],
    ['first day', s.firstDay ?? '-'],
    ['last day', s.lastDay ?? '-'],
    [
      'last sync',
      s.lastSync
        ? `${when(s.lastSync.startedAt)}: ${s.lastSync.status}, ${s.lastSync.days} days${s.lastSync.status === 'running' ? ' so far' : ''}, ${s.lastSync.papers} papers (${s.lastSync.newPapers} new)`
        : 'never (run `papers sync`)',
    ],
    ['failed days', s.failedDays.length ? s.failedDays.map((f) => f.day).join(', ') : 'none'],
  ];
  if (io.tty) {
    for (const [k, v] of rows) io.out(`${c.dim(k.padEnd(12))}${k === 'failed days' && s.failedDays.length ? c.red(v) : v}`);
    for (const f of s.failedDays.slice(0, 10)) io.out(`${' '.repeat(12)}${c.dim(`${f.day}: ${cleanLine(f.error ?? '')}`)}`);
    if (s.failedDays.length) io.out(`${' '.repeat(12)}${c.dim('retry with: papers sync')}`);
  } else {
    for (const [k, v] of rows) io.out(`${k}\t${v}`);
  }
  return 0;
}
