/**
 * Every source `papers sync` and `papers today` know, one line each. A source is a folder
 * under src/sources/ that exports a SourceDef: which names it answers to, the tasks a
 * sync of it runs (each a unit of work the runner owns: lock, deadline, signals, run
 * record) and the tasks `today` runs to refresh a day. Adding one is its folder and a line
 * here; the runner, sync, today, status and doctor need no change.
 */
import { UsageError } from '../errors.js';
import { quoteArg } from '../text.js';
import { arxivSourceDef } from './arxiv/index.js';
import { hfSourceDef } from './hf-source.js';
import type { SourceDef } from './source-def.js';

export type { SourceDef, SyncRequest } from './source-def.js';

const SOURCES: readonly SourceDef[] = [hfSourceDef, arxivSourceDef];

/** The definition that answers to a (checked, canonical) source name. */
export function sourceDef(name: string): SourceDef {
  const def = SOURCES.find((s) => s.matches(name));
  if (!def) throw new UsageError(`unknown source ${quoteArg(name)}`);
  return def;
}
