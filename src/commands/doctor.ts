/** `papers doctor`: what is wrong with the archive, and the command that repairs it. */
import { safeJson } from '../render/json.js';
import type { Context } from '../context.js';
import { checkArchive, rebuildIndex } from '../core/doctor.js';

export async function runDoctor(ctx: Context, flags: { rebuildIndex?: boolean; json?: boolean }): Promise<number> {
  const db = await ctx.db();
  const io = ctx.io;
  if (flags.rebuildIndex) {
    rebuildIndex(db);
    if (!ctx.quiet && !flags.json) io.err('rebuilt the full-text index');
  }
  const findings = checkArchive(db, ctx.now());
  const problems = findings.filter((f) => !f.ok);
  if (flags.json) {
    io.out(safeJson({ ok: problems.length === 0, db: ctx.config.dbPath, findings }, 2));
  } else {
    const c = io.color;
    for (const f of findings) {
      const mark = f.ok ? c.green(io.tty ? '✓' : 'ok') : c.red(io.tty ? '✗' : 'FAIL');
      io.out(`${mark} ${f.check}: ${f.detail}`);
      if (!f.ok && f.repair) io.out(`  ${c.dim('repair:')} ${f.repair}`);
    }
  }
  return problems.length ? 1 : 0;
}
