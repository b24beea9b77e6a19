/**
 * arXiv as a source of `sync` and `today`: `arxiv:CATS` syncs its latest announcement
 * (the feed) and, with `--since`, the days before it (an OAI-PMH harvest).
 */
import type { SourceTask } from '../../core/runner.js';
import { feedTask, harvestTask } from '../../core/sources.js';
import { UsageError } from '../../errors.js';
import type { SourceDef } from '../source-def.js';
import { arxivSource } from './source.js';

export const arxivSourceDef: SourceDef = {
  matches: (name) => name.startsWith('arxiv:'),

  check(name, req) {
    // Day flags are HF's unless the source is named: `papers sync --date D` syncs HF's day and the feeds.
    if (req.named && req.explicitDays && !req.sinceOnly) {
      throw new UsageError('an arXiv source takes --since only: the feed holds the latest announcement', {
        hint: `papers sync --source ${name} --since 2025-01-01`,
      });
    }
  },

  async syncTasks(name, req, env) {
    const source = arxivSource(name, await env.arxiv());
    const tasks: SourceTask[] = [feedTask(source)];
    const since = req.named && req.sinceOnly ? req.since : undefined;
    if (since !== undefined) tasks.push(harvestTask(source, since, (e) => req.onPages?.(name, e)));
    return { tasks, notes: [] };
  },

  async refreshTasks(name, _db, _day, _now, _maxAgeMs, env) {
    return [feedTask(arxivSource(name, await env.arxiv()))];
  },
};
