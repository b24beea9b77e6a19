/** `papers import FILE...`: saved API bodies (.json) or pages (.html). */
import { argument, jsonOption, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { importFile, type ImportResult } from '../core/import.js';
import { parseDay } from '../dates.js';
import { PapersError, UsageError, errorMessage } from '../errors.js';
import { createOutput } from '../render/output.js';
import { hfDaily } from '../sources/hf-daily.js';
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
  examples: ['papers import 2025-03-14.json', 'papers import --date 2025-03-14 page.html', 'papers import saved/*.json'],
  async run(ctx, o) {
    const day = o.date !== undefined ? parseDay(o.date, ctx.now(), '--date') : undefined;
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
    if (o.json) {
      createOutput(ctx, o).value(results);
    } else if (!ctx.quiet) {
      for (const r of ok) {
        const skipped = r.skipped ? `, ${plural(r.skipped, 'entry', 'entries')} without id or title skipped` : '';
        io.err(`${visibleControls(r.file)}: ${r.day}, ${plural(r.papers, 'paper')} (${r.inserted} new, ${r.updated} updated${skipped})`);
        if (r.warning) io.err(`${io.errColor.yellow('warning:')} ${visibleControls(r.file)}: ${r.warning}`);
      }
      const files = `${results.length} file${results.length === 1 ? '' : 's'}`;
      io.err(`imported ${ok.length} of ${files}${failed ? `, ${failed} failed` : ''}`);
    }
    return failed ? 1 : 0;
  },
});
