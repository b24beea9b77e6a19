/** `papers import FILE...`: saved API bodies (.json) or pages (.html). */
import { argument, jsonOption, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { checkImportDay, importFile, readImportFile, type ImportResult } from '../core/import.js';
import type { DB } from '../db/open.js';
import { parseDay } from '../dates.js';
import { InterruptedError, PapersError, UsageError, errorMessage } from '../errors.js';
import { createOutput } from '../render/output.js';
import { hfDaily } from '../sources/hf-adapter.js';
import { plural, visibleControls } from '../text.js';

// A day in the file's name is what people name captures by: not worth a note.
const DAY_FROM = {
  name: 'from the file name',
  page: 'from the page',
  entries: "from the entries' submittedOnDailyAt",
} as const;

export default defineCommand({
  name: 'import',
  summary: 'import saved API bodies (.json) or saved Daily Papers pages (.html)',
  description: `Reads regular files of at most 64 MiB (not a device, FIFO or socket). A file
that lists a day with less than half the papers the archive has for it, or with
entries left out, keeps every listing of the day and says so.`,
  access: 'write',
  args: { files: argument('<files...>', 'files to import') },
  options: {
    date: text(
      '--date <day>',
      "the listing day of the files (else a YYYY-MM-DD in the name, else the page, else each entry's own day)",
    ),
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
    const io = ctx.io;
    const results: ImportResult[] = [];
    let db: DB | undefined;
    const fail = (file: string, err: unknown) => {
      if (err instanceof InterruptedError) throw err;
      if (err instanceof UsageError && o.files.length === 1) throw err;
      results.push({ file, papers: 0, inserted: 0, updated: 0, skipped: 0, error: errorMessage(err) });
      io.err(`${io.errColor.red('error:')} ${visibleControls(errorMessage(err))}`);
      if (err instanceof PapersError && err.hint) io.err(`hint: ${visibleControls(err.hint)}`);
    };
    for (const file of o.files) {
      let body: string;
      try {
        // Read before the archive is opened: a file refused or interrupted leaves it untouched.
        body = await readImportFile(file, ctx.signal);
      } catch (err) {
        fail(file, err);
        continue;
      }
      // An archive that cannot be opened fails the command, not one file.
      db ??= await ctx.db();
      try {
        results.push(await importFile({ db, now: ctx.now }, hfDaily, file, { day, body, signal: ctx.signal }));
      } catch (err) {
        fail(file, err);
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
      // A file skipped whole, or a day kept whole, is never silent, even in cron.
      for (const r of ok) if (r.warning) warn(r);
    } else {
      for (const r of ok) {
        // Its day cannot be a listing day: nothing was saved, the warning alone says why.
        if (r.notImported) {
          warn(r);
          continue;
        }
        const skipped = r.skipped ? `, ${plural(r.skipped, 'entry', 'entries')} without id or title skipped` : '';
        const gone = r.gone ? `, ${r.gone} no longer listed` : '';
        const counts = `${plural(r.papers, 'paper')} (${r.inserted} new, ${r.updated} updated${skipped}${gone})`;
        // Say what was inferred: never put a multi-day capture on one day silently.
        const perDay = r.days?.map((d) => `${d.day}: ${d.papers}`).join(', ');
        const where = r.days
          ? `${r.days.length} days by each entry's submittedOnDailyAt (${perDay})`
          : `${r.day}${r.dayFrom && r.dayFrom !== 'name' ? ` (${DAY_FROM[r.dayFrom]})` : ''}`;
        io.err(`${visibleControls(r.file)}: ${where}, ${counts}`);
        if (r.warning) warn(r);
      }
      const files = `${results.length} file${results.length === 1 ? '' : 's'}`;
      const notes = `${notImported ? `, ${notImported} not imported` : ''}${failed ? `, ${failed} failed` : ''}`;
      io.err(`imported ${ok.length - notImported} of ${files}${notes}`);
    }
    return failed ? 1 : 0;
  },
});
