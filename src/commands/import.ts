/** `papers import FILE...`: saved API bodies (.json) or pages (.html). */
import { argument, jsonOption, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { checkImportDay, importFile, type ImportResult } from '../core/import.js';
import { parseDay } from '../dates.js';
import { PapersError, UsageError, errorMessage } from '../errors.js';
import { createOutput } from '../render/output.js';
import { hfDaily } from '../sources/hf-adapter.js';
import { plural, visibleControls } from '../text.js';

export default defineCommand({
  name: 'import',
  summary: 'import saved API bodies (.json) or saved Daily Papers pages (.html)',
  access: 'write',
  args: { files: argument('<files...>', 'files to import') },
  options: {
    date: text('--date <day>', 'the listing day of the files (else a YYYY-MM-DD in the name, else the page)'),
    ...jsonOption,
  },
  examples: [
    'papers import 2025-03-14.json',
    'papers import --date 2025-03-14 page.html',
    'papers import saved/*.json',
  ],
  async run(ctx, o) {
    const day = o.date !== undefined ? parseDay(o.date, ctx.now(), '--date') : undefined;
    // One usage error for all the files, before the archive is opened (or created).
    if (day) checkImportDay(day, ctx.now(), hfDaily);
    const db = await ctx.db();
    const io = ctx.io;
    const results: ImportResult[] = [];
    for (const file of o.files) {
      try {
        results.push(await importFile({ db, now: ctx.now }, hfDaily, file, { day }));
      } catch (err) {
        if (err instanceof UsageError && o.files.length === 1) throw err;
        results.push({ file, papers: 0, inserted: 0, updated: 0, skipped: 0, error: errorMessage(err) });
        io.err(`${io.errColor.red('error:')} ${visibleControls(errorMessage(err))}`);
        if (err instanceof PapersError && err.hint) io.err(`hint: ${visibleControls(err.hint)}`);
      }
    }
    const ok = results.filter((r) => !r.error);
    const failed = results.length - ok.length;
    const notImported = ok.filter((r) => r.notImported).length;
    const warn = (r: ImportResult) =>
      io.err(`${io.errColor.yellow('warning:')} ${visibleControls(r.file)}: ${r.warning}`);
    if (o.json) {
      createOutput(ctx, o).value(results);
    } else if (ctx.quiet) {
      // A file skipped whole is never silent, even in cron.
      for (const r of ok) if (r.notImported) warn(r);
    } else {
      for (const r of ok) {
        // Its day cannot be a listing day: nothing was saved, the warning alone says why.
        if (r.notImported) {
          warn(r);
          continue;
        }
        const skipped = r.skipped ? `, ${plural(r.skipped, 'entry', 'entries')} without id or title skipped` : '';
        const counts = `${plural(r.papers, 'paper')} (${r.inserted} new, ${r.updated} updated${skipped})`;
        io.err(`${visibleControls(r.file)}: ${r.day}, ${counts}`);
        if (r.warning) warn(r);
      }
      const files = `${results.length} file${results.length === 1 ? '' : 's'}`;
      const notes = `${notImported ? `, ${notImported} not imported` : ''}${failed ? `, ${failed} failed` : ''}`;
      io.err(`imported ${ok.length - notImported} of ${files}${notes}`);
    }
    return failed ? 1 : 0;
  },
});
