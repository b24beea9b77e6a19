/** `papers doctor`: what is wrong with the archive, and the command that repairs it. */
import { flag, jsonOption } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { checkArchive, damagedFinding, isCorruption, rebuildIndex, type Finding } from '../core/doctor.js';
import type { DB } from '../db/open.js';
import { errorMessage } from '../errors.js';
import { createOutput } from '../render/output.js';
import { cleanLine } from '../text.js';

export default defineCommand({
  name: 'doctor',
  summary: 'check the archive: integrity, permissions, FTS index, schema, gaps, failed and unsettled days',
  access: 'update',
  options: {
    rebuildIndex: flag('--rebuild-index', 'rebuild the full-text index from the papers table'),
    ...jsonOption,
  },
  examples: ['papers doctor', 'papers doctor --rebuild-index'],
  async run(ctx, o) {
    const out = createOutput(ctx, o);
    let db: DB | undefined;
    let findings: Finding[];
    try {
      // Checking needs no writes: a read-only archive is checked too.
      db = await ctx.db({ readonly: !o.rebuildIndex });
    } catch (err) {
      // Too damaged to open is the finding itself, not a reason to fail without one.
      if (!isCorruption(err)) throw err;
      const why = errorMessage((err as { cause?: unknown }).cause ?? err);
      findings = [damagedFinding(`the archive cannot be opened: ${why}`, ctx.config.dbPath)];
    }
    if (db) {
      if (o.rebuildIndex) {
        rebuildIndex(db);
        if (!ctx.quiet && !o.json) ctx.io.err('rebuilt the full-text index');
      }
      findings = checkArchive(db, ctx.now(), { path: ctx.config.dbPath });
    }
    const problems = findings!.filter((f) => !f.ok);
    if (out.json) {
      out.value({ ok: problems.length === 0, db: ctx.config.dbPath, findings: findings! });
    } else {
      const c = out.color;
      for (const f of findings!) {
        const mark = f.ok ? c.green(out.tty ? '✓' : 'ok') : c.red(out.tty ? '✗' : 'FAIL');
        out.line(`${mark} ${f.check}: ${cleanLine(f.detail)}`);
        if (!f.ok && f.repair) out.line(`  ${c.dim('repair:')} ${cleanLine(f.repair)}`);
      }
    }
    return problems.length ? 1 : 0;
  },
});
