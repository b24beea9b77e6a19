/** `papers doctor`: what is wrong with the archive, and the command that repairs it. */
import { safeJson } from '../render/json.js';
import type { Context } from '../context.js';
import { checkArchive, damagedFinding, isCorruption, rebuildIndex, type Finding } from '../core/doctor.js';
import type { DB } from '../db/open.js';
import { errorMessage } from '../errors.js';
import { cleanLine } from '../text.js';

export async function runDoctor(ctx: Context, flags: { rebuildIndex?: boolean; json?: boolean }): Promise<number> {
  const io = ctx.io;
  let db: DB | undefined;
  let findings: Finding[];
  try {
    // Checking needs no writes: a read-only archive is checked too.
    db = await ctx.db({ readonly: !flags.rebuildIndex });
  } catch (err) {
    // Too damaged to open is the finding itself, not a reason to fail without one.
    if (!isCorruption(err)) throw err;
    findings = [damagedFinding(`the archive cannot be opened: ${errorMessage((err as { cause?: unknown }).cause ?? err)}`, ctx.config.dbPath)];
  }
  if (db) {
    if (flags.rebuildIndex) {
      rebuildIndex(db);
      if (!ctx.quiet && !flags.json) io.err('rebuilt the full-text index');
    }
    findings = checkArchive(db, ctx.now(), { path: ctx.config.dbPath });
  }
  const problems = findings!.filter((f) => !f.ok);
  if (flags.json) {
    io.out(safeJson({ ok: problems.length === 0, db: ctx.config.dbPath, findings: findings! }, 2));
  } else {
    const c = io.color;
    for (const f of findings!) {
      const mark = f.ok ? c.green(io.tty ? '✓' : 'ok') : c.red(io.tty ? '✗' : 'FAIL');
      io.out(`${mark} ${f.check}: ${cleanLine(f.detail)}`);
      if (!f.ok && f.repair) io.out(`  ${c.dim('repair:')} ${cleanLine(f.repair)}`);
    }
  }
  return problems.length ? 1 : 0;
}
