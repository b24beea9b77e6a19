/** Hugging Face Daily Papers as a source of `sync` and `today`: listing days. */
import { daysTask, daysToRefresh } from '../core/sync.js';
import { UsageError } from '../errors.js';
import { hfDaily } from './hf-adapter.js';
import type { SourceDef } from './source-def.js';
import { HF_SOURCE } from './source-name.js';

export const hfSourceDef: SourceDef = {
  matches: (name) => name === HF_SOURCE,

  check(_name, req) {
    if (req.prune && !req.days) {
      throw new UsageError('--prune needs the days it prunes: --date, --since or a range', {
        hint: 'papers sync --date 2025-02-04 --prune',
      });
    }
  },

  async syncTasks(_name, req, env) {
    const notes: string[] = [];
    let days = req.days;
    const first = hfDaily.firstDay;
    if (days && first && days[0]! < first) {
      const kept = days.filter((d) => d >= first);
      if (kept.length === 0) {
        throw new UsageError(`${days[days.length - 1]} is before the first Daily Papers list (${first})`, {
          hint: `papers sync --since ${first}`,
        });
      }
      const skipped = days.length - kept.length;
      notes.push(`note: Daily Papers lists start in ${first.slice(0, 7)}: skipping ${skipped} days before ${first}`);
      days = kept;
    }
    const { force, concurrency, via, prune, onDays: onEvent } = req;
    const opts = { source: hfDaily, days, force, concurrency, via, prune, onEvent };
    return { tasks: [daysTask(env.endpoint, opts)], notes };
  },

  async refreshTasks(_name, db, day, now, maxAgeMs, env) {
    const days = daysToRefresh(db, hfDaily.name, day, now, maxAgeMs);
    if (days.length === 0) return [];
    return [daysTask(env.endpoint, { source: hfDaily, days, force: true, concurrency: 4 })];
  },
};
