/**
 * `papers grep PATTERN`: a regular expression over titles and abstracts, for what FTS
 * cannot express. Prints each matching paper with its matching lines, like `grep -n`;
 * an abstract's "lines" are its sentences (arXiv's hard wraps are gone once normalised).
 */
import type { Context } from '../context.js';
import type { Paper } from '../core/papers.js';
import { listPapers } from '../core/query.js';
import { InterruptedError, UsageError, checkAborted } from '../errors.js';
import { runInNewContext } from 'node:vm';
import { printJsonArray } from '../render/papers.js';
import { cleanLine, quoteArg } from '../text.js';
import { emptyHint } from './list.js';
import { resolveDayRange, type DayFlags } from './options.js';

export interface GrepFlags extends DayFlags {
  ignoreCase?: boolean;
  wordRegexp?: boolean;
  field: 'title' | 'abstract' | 'all';
  maxCount?: number;
  limit?: number;
  lineNumber?: boolean;
  json?: boolean;
}

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

export function matchingLines(p: Paper, re: RegExp, field: GrepFlags['field']): GrepLine[] {
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

export async function runGrep(ctx: Context, pattern: string, flags: GrepFlags): Promise<number> {
  const re = compilePattern(pattern, !!flags.ignoreCase, !!flags.wordRegexp);
  const limit = flags.maxCount ?? flags.limit;
  const range = resolveDayRange(flags, ctx.now());
  const db = await ctx.db();
  const io = ctx.io;
  const c = io.color;
  const highlight = (s: string) => {
    re.lastIndex = 0;
    return s.replace(re, (m) => (m ? c.bold.red(m) : m));
  };
  let n = 0;
  const matches = function* () {
    for (const p of listPapers(db, { ...range, sort: 'date' })) {
      const lines = matchingLines(p, re, flags.field);
      if (lines.length === 0) continue;
      yield { paper: p, lines };
      if (limit !== undefined && ++n >= limit) return;
    }
  };
  if (limit === 0) return 0;
  // A Ctrl-C that came while the archive opened; one during the loop breaks it (below).
  checkAborted(ctx.signal);
  const count = interruptible(() => print());
  if (count === 0 && io.errTty && !ctx.quiet && !flags.json) emptyHint(ctx);
  return 0;

  function print(): number {
    let count = 0;
    if (flags.json) {
      count = printJsonArray(
        io,
        (function* () {
          for (const m of matches()) yield { ...m.paper, matches: m.lines };
        })(),
      );
    } else {
      for (const { paper, lines } of matches()) {
        if (io.tty) {
          if (count > 0) io.out('');
          io.out(`${c.cyan(paper.id)} ${c.dim(paper.day ?? '')} ${c.bold(cleanLine(paper.title))}`);
          for (const l of lines) io.out(`${c.green(l.field)}${c.dim(':')}${c.green(String(l.line))}${c.dim(':')}${highlight(l.text)}`);
        } else {
          // Piped, colour only when forced (--color, FORCE_COLOR): the match, as rg does.
          for (const l of lines) {
            const text = l.text.replace(/\t/g, ' ');
            io.out(`${paper.id}:${l.field}:${l.line}:${c.level ? highlight(text) : text}`);
          }
        }
        count++;
      }
    }
    return count;
  }
}

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
