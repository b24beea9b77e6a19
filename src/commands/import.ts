/** `papers import FILE...`: saved API bodies (.json) or pages (.html). */
import { safeJson } from '../render/json.js';
import { parseDay } from '../dates.js';
import type { Context } from '../context.js';
import { importFile, type ImportResult } from '../core/import.js';
import { errorMessage, PapersError, UsageError } from '../errors.js';
import { hfDaily } from '../sources/hf-daily.js';
import { visibleControls } from '../text.js';

export async function runImport(ctx: Context, files: string[], flags: { date?: string; json?: boolean }): Promise<number> {
  const day = flags.date !== undefined ? parseDay(flags.date, ctx.now(), '--date') : undefined;
  const db = await ctx.db();
  const io = ctx.io;
  const results: ImportResult[] = [];
  for (const file of files) {
    try {
      results.push(await importFile({ db, now: ctx.now }, hfDaily, file, { day }));
    } catch (err) {
      if (err instanceof UsageError && files.length === 1) throw err;
      results.push({ file, papers: 0, inserted: 0, updated: 0, skipped: 0, error: errorMessage(err) });
      io.err(`${io.errColor.red('error:')} ${visibleControls(errorMessage(err))}`);
      if (err instanceof PapersError && err.hint) io.err(`hint: ${visibleControls(err.hint)}`);
    }
  }
  const ok = results.filter((r) => !r.error);
  const failed = results.length - ok.length;
  if (flags.json) {
    io.out(safeJson(results, 2));
  } else if (!ctx.quiet) {
    for (const r of ok) {
      io.err(`${visibleControls(r.file)}: ${r.day}, ${r.papers} papers (${r.inserted} new, ${r.updated} updated${r.skipped ? `, ${r.skipped} entries without id or title skipped` : ''})`);
      if (r.warning) io.err(`${io.errColor.yellow('warning:')} ${visibleControls(r.file)}: ${r.warning}`);
    }
    io.err(`imported ${ok.length} of ${results.length} file${results.length === 1 ? '' : 's'}${failed ? `, ${failed} failed` : ''}`);
  }
  return failed ? 1 : 0;
}
