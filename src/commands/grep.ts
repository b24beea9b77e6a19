/**
 * `papers grep PATTERN`: a regular expression over titles and abstracts, for what FTS
 * cannot express. Prints each matching paper with its matching lines, like `grep -n`;
 * an abstract's "lines" are its sentences (arXiv's hard wraps are gone once normalised).
 */
import { runInNewContext } from 'node:vm';
import { filterFromFlags, resolveDayRange } from '../cmdutil/filters.js';
import { argument, choice, dayOptions, flag, int, jsonOption, sourceOptions } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import type { Paper } from '../core/papers.js';
import { listPapers } from '../core/query.js';
import { InterruptedError, UsageError, checkAborted } from '../errors.js';
import { createOutput } from '../render/output.js';
import { cleanLine, quoteArg } from '../text.js';

export type GrepField = 'title' | 'abstract' | 'all';

export interface GrepLine {
  field: 'title' | 'abstract';
  line: number;
  text: string;
}

export function compilePattern(pattern: string, ignoreCase: boolean, word = false): RegExp {
  if (!pattern) throw new UsageError('the pattern is empty');
  const flags = ignoreCase ? 'giu' : 'gu';
  try {
    // The user's own pattern first, so that an error names it, not the -w wrapper.
    let re = new RegExp(pattern, flags);
    // -w: the pattern between non-word characters (or the ends), as grep -w does.
    if (word) re = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${pattern})(?![\\p{L}\\p{N}_])`, flags);
    // V8 compiles on first use, and only then says a pattern is too large: use it once here.
    re.test('');
    re.lastIndex = 0;
    return re;
  } catch (err) {
    const why = (err as Error).message.replace(/^Invalid regular expression: /, '').replace(/^\/.*\/[a-z]*: /s, '');
    throw new UsageError(`invalid regular expression ${quoteArg(pattern)}: ${why}`, {
      hint: 'papers grep uses JavaScript regular expressions; escape ( [ { * + ? with a backslash to match them literally',
    });
  }
}

export function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}$\\(])/u).filter(Boolean);
}

export function matchingLines(p: Paper, re: RegExp, field: GrepField): GrepLine[] {
  const out: GrepLine[] = [];
  const test = (s: string) => {
    re.lastIndex = 0;
    return re.test(s);
  };
  if (field !== 'abstract') {
    const t = cleanLine(p.title);
    if (test(t)) out.push({ field: 'title', line: 1, text: t });
  }
  if (field !== 'title') {
    sentences(cleanLine(p.abstract)).forEach((s, i) => {
      if (test(s)) out.push({ field: 'abstract', line: i + 1, text: s });
    });
  }
  return out;
}

export default defineCommand({
  name: 'grep',
  summary: 'regular-expression search over titles and abstracts, printing matching lines',
  description: "Piped, one line per match: id:field:line:text (the abstract's lines are its sentences).",
  access: 'read',
  args: { pattern: argument('<pattern>', 'a JavaScript regular expression') },
  options: {
    ...dayOptions,
    ignoreCase: flag('-i, --ignore-case', 'match case-insensitively'),
    wordRegexp: flag('-w, --word-regexp', 'match whole words only'),
    field: choice('--field <field>', 'where to look', ['title', 'abstract', 'all'] as const, 'all'),
    maxCount: int('-m, --max-count <n>', 'stop after this many papers', { min: 0 }),
    limit: int('--limit <n>', 'the same as --max-count (the name other commands use)', { min: 0 }),
    lineNumber: flag('-n, --line-number', 'print line numbers (always on; accepted as grep and rg take it)'),
    ...sourceOptions,
    ...jsonOption,
  },
  examples: [
    'papers grep -i "state[- ]space model"',
    'papers grep -w --field title LoRA',
    'papers grep -i "(?:RLHF|DPO)" --since 30d -m 20',
    'papers grep -w --source arxiv --cat cs.CL "in-context"',
  ],
  async run(ctx, o) {
    const re = compilePattern(o.pattern, !!o.ignoreCase, !!o.wordRegexp);
    const limit = o.maxCount ?? o.limit;
    const range = resolveDayRange(o, ctx.now());
    const { sources, categories, types } = filterFromFlags({ source: o.source, cat: o.cat, type: o.type }, ctx.now());
    const db = await ctx.db();
    const out = createOutput(ctx, o);
    const c = out.color;
    const highlight = (s: string) => {
      re.lastIndex = 0;
      return s.replace(re, (m) => (m ? c.bold.red(m) : m));
    };
    let n = 0;
    const matches = function* () {
      for (const p of listPapers(db, { ...range, sources, categories, types, sort: 'date' })) {
        const lines = matchingLines(p, re, o.field);
        if (lines.length === 0) continue;
        yield { paper: p, lines };
        if (limit !== undefined && ++n >= limit) return;
      }
    };
    if (limit === 0) return 0;
    // A Ctrl-C that came while the archive opened; one during the loop breaks it (below).
    checkAborted(ctx.signal);
    const print = (): number => {
      if (out.json) {
        return out.jsonArray(
          (function* () {
            for (const m of matches()) yield { ...m.paper, matches: m.lines };
          })(),
        );
      }
      let count = 0;
      for (const { paper, lines } of matches()) {
        if (out.tty) {
          if (count > 0) out.line('');
          out.line(`${c.cyan(paper.id)} ${c.dim(paper.day ?? '')} ${c.bold(cleanLine(paper.title))}`);
          for (const l of lines) {
            out.line(`${c.green(l.field)}${c.dim(':')}${c.green(String(l.line))}${c.dim(':')}${highlight(l.text)}`);
          }
        } else {
          // Piped, colour only when forced (--color, FORCE_COLOR): the match, as rg does.
          for (const l of lines) {
            const text = l.text.replace(/\t/g, ' ');
            out.line(`${paper.id}:${l.field}:${l.line}:${c.level ? highlight(text) : text}`);
          }
        }
        count++;
      }
      return count;
    };
    if (interruptible(print) === 0) out.empty();
    return 0;
  },
});

/**
 * Runs `fn` so that Ctrl-C stops it even inside one regular expression match: a pattern
 * that backtracks catastrophically (`(\w+\s?)+$x`) blocks the event loop, so no signal
 * handler could run. vm's breakOnSigint interrupts the running code itself.
 */
function interruptible<T>(fn: () => T): T {
  try {
    return runInNewContext('run()', { run: fn }, { breakOnSigint: true }) as T;
  } catch (err) {
    if ((err as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') throw new InterruptedError('interrupted by SIGINT');
    throw err;
  }
}
