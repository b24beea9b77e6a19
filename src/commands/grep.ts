/**
 * `papers grep PATTERN`: a regular expression over titles and abstracts, for what FTS
 * cannot express. Prints each matching paper with its matching lines, like `grep -n`;
 * an abstract's "lines" are its sentences (arXiv's hard wraps are gone once normalised).
 */
import { runInNewContext } from 'node:vm';
import { filterFromFlags, resolveDayRange } from '../cmdutil/filters.js';
import { argument, choice, dayOptions, flag, int, jsonOption, list, sourceOptions } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import type { Paper } from '../core/papers.js';
import { grepFullText, pagesOf } from '../core/fulltext.js';
import { getPaper, listPapers } from '../core/query.js';
import { InterruptedError, UsageError, checkAborted } from '../errors.js';
import { FULL_TEXT_EMPTY, printGrepFullText } from '../render/fulltext.js';
import { createOutput } from '../render/output.js';
import { cleanLine, quoteArg } from '../text.js';

export type GrepField = 'title' | 'abstract' | 'all';

export interface GrepLine {
  field: 'title' | 'abstract';
  line: number;
  text: string;
}

/** Regular-expression metacharacters escaped: `-F` patterns match as typed. */
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A RegExp error in words, without the (possibly huge) pattern V8 repeats in it. */
const regexpWhy = (err: unknown) =>
  (err as Error).message.replace(/^Invalid regular expression: /, '').replace(/^\/.*\/[a-z]*: /s, '');

/**
 * One expression for every pattern (a line matches when any does, as with grep -e A -e B):
 * `fixed` takes them literally (-F), `word` puts each between non-word characters (-w).
 * Each pattern is tried on its own first, so an error names the one at fault.
 */
export function compilePatterns(
  patterns: readonly string[],
  opts: { ignoreCase?: boolean; word?: boolean; fixed?: boolean } = {},
): RegExp {
  if (patterns.length === 0 || patterns.some((p) => !p)) throw new UsageError('the pattern is empty');
  const flags = opts.ignoreCase ? 'giu' : 'gu';
  const hint =
    'papers grep uses JavaScript regular expressions; escape ( [ { * + ? with a backslash, or match as typed with -F';
  const sources = patterns.map((pattern) => {
    const source = opts.fixed ? escapeRegExp(pattern) : pattern;
    try {
      // V8 compiles on first use, and only then says a pattern is too large: use it once.
      new RegExp(source, flags).test('');
    } catch (err) {
      throw new UsageError(`invalid regular expression ${quoteArg(pattern)}: ${regexpWhy(err)}`, { hint });
    }
    // -w: the pattern between non-word characters (or the ends), as grep -w does.
    return opts.word ? `(?<![\\p{L}\\p{N}_])(?:${source})(?![\\p{L}\\p{N}_])` : `(?:${source})`;
  });
  try {
    const re = new RegExp(sources.join('|'), flags);
    re.test('');
    re.lastIndex = 0;
    return re;
  } catch (err) {
    throw new UsageError(`invalid regular expression ${quoteArg(patterns.join(' | '))}: ${regexpWhy(err)}`, { hint });
  }
}

export function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}$\\(])/u).filter(Boolean);
}

/** A paper's lines (title, then the abstract's sentences) that match, or with `invert` that do not. */
export function matchingLines(p: Paper, re: RegExp, field: GrepField, invert = false): GrepLine[] {
  const out: GrepLine[] = [];
  const test = (s: string) => {
    re.lastIndex = 0;
    return re.test(s) !== invert;
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
  description: `A paper's lines are its title and its abstract's sentences. Piped, one line per match:
id:field:line:text. As in grep and ripgrep: -e for several patterns (any may match), -F to
match them as typed, -v for the lines that do not match, -l (-L) for the ids of papers with
(without) a matching line, -c for the count of matching lines per paper (papers with none
are left out, as rg does), -m to stop after N papers.`,
  pager: true,
  access: 'read',
  args: { pattern: argument('[pattern]', 'a JavaScript regular expression (or give them with -e)') },
  options: {
    ...dayOptions,
    regexp: list('-e, --regexp <pattern>', 'a pattern (repeatable: a line matches when any does)'),
    fixedStrings: flag('-F, --fixed-strings', 'the patterns are plain text, not regular expressions'),
    ignoreCase: flag('-i, --ignore-case', 'match case-insensitively'),
    wordRegexp: flag('-w, --word-regexp', 'match whole words only'),
    invertMatch: flag('-v, --invert-match', 'select the lines that do not match'),
    filesWithMatches: flag('-l, --files-with-matches', 'print only the ids of papers with a selected line'),
    filesWithoutMatch: flag('-L, --files-without-match', 'print only the ids of papers without one'),
    count: flag('-c, --count', 'print id:count of selected lines per paper'),
    field: choice('--field <field>', 'where to look', ['title', 'abstract', 'all'] as const, 'all'),
    maxCount: int('-m, --max-count <n>', 'stop after this many papers', { min: 0 }),
    limit: int('--limit <n>', 'the same as --max-count (the name other commands use)', { min: 0 }),
    lineNumber: flag('-n, --line-number', 'print line numbers (always on; accepted as grep and rg take it)'),
    fullText: flag('--full-text', "search the papers' full text (after `papers fetch`): id:page:line:text"),
    ...sourceOptions,
    ...jsonOption,
  },
  examples: [
    'papers grep -i "state[- ]space model"',
    'papers grep -w --field title LoRA',
    'papers grep -i "(?:RLHF|DPO)" --since 30d -m 20',
    'papers grep -F -e "C++" -e "C#" -l          # ids of papers naming either, as typed',
    'papers grep -ic diffusion | sort -t: -k2 -n',
    'papers grep -w --source arxiv --cat cs.CL "in-context"',
    'papers grep --full-text -w "GSM8K" -l     # fetched papers whose text names it',
  ],
  async run(ctx, o) {
    const patterns = [...(o.pattern !== undefined ? [o.pattern] : []), ...(o.regexp ?? [])];
    if (patterns.length === 0) {
      throw new UsageError('no pattern', { hint: 'papers grep PATTERN, or papers grep -e PATTERN [-e PATTERN...]' });
    }
    const modes = [o.filesWithMatches, o.filesWithoutMatch, o.count].filter(Boolean).length;
    if (modes > 1) throw new UsageError('-l, -L and -c are different outputs: give one of them');
    const re = compilePatterns(patterns, { ignoreCase: o.ignoreCase, word: o.wordRegexp, fixed: o.fixedStrings });
    const limit = o.maxCount ?? o.limit;
    const range = resolveDayRange(o, ctx.now());
    const { sources, categories, types } = filterFromFlags({ source: o.source, cat: o.cat, type: o.type }, ctx.now());
    const db = await ctx.db();
    const out = createOutput(ctx, o);
    const c = out.color;
    const highlight = (s: string) => {
      if (o.invertMatch) return s;
      re.lastIndex = 0;
      return s.replace(re, (m) => (m ? c.bold.red(m) : m));
    };
    if (o.fullText) {
      if (o.field !== 'all') throw new UsageError('--field is for titles and abstracts; --full-text searches the body');
      const filter = { ...range, sources, categories, types };
      const mode = o.filesWithMatches ? 'with' : o.filesWithoutMatch ? 'without' : o.count ? 'count' : 'lines';
      const papers = grepFullText(pagesOf(db, filter), re, {
        invert: !!o.invertMatch,
        mode,
        limit,
        signal: ctx.signal,
      });
      if (limit === 0) return 0;
      const lines = out.tty ? (id: string) => getPaper(db, id)?.title : undefined;
      if (
        interruptible(() =>
          printGrepFullText(out, papers, { mode, highlight: o.invertMatch ? null : re, title: lines }),
        ) === 0
      )
        out.empty(FULL_TEXT_EMPTY);
      return 0;
    }
    let n = 0;
    // The papers selected: with -L, those without a selected line (and no lines to show).
    const matches = function* () {
      for (const p of listPapers(db, { ...range, sources, categories, types, sort: 'date' })) {
        const lines = matchingLines(p, re, o.field, !!o.invertMatch);
        if (o.filesWithoutMatch ? lines.length > 0 : lines.length === 0) continue;
        yield { paper: p, lines };
        if (limit !== undefined && ++n >= limit) return;
      }
    };
    if (limit === 0) return 0;
    // A Ctrl-C that came while the archive opened; one during the loop breaks it (below).
    checkAborted(ctx.signal);
    const idsOnly = o.filesWithMatches || o.filesWithoutMatch;
    const print = (): number => {
      if (out.json) {
        return out.jsonArray(
          (function* () {
            for (const m of matches()) {
              if (idsOnly) yield { id: m.paper.id };
              else if (o.count) yield { id: m.paper.id, count: m.lines.length };
              else yield { ...m.paper, matches: m.lines };
            }
          })(),
        );
      }
      let count = 0;
      for (const { paper, lines } of matches()) {
        if (idsOnly) out.line(out.tty ? c.cyan(paper.id) : paper.id);
        else if (o.count)
          out.line(out.tty ? `${c.cyan(paper.id)}${c.dim(':')}${lines.length}` : `${paper.id}:${lines.length}`);
        else if (out.tty) {
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
 * Runs `fn` so that Ctrl-C and SIGTERM stop it even inside one regular expression match: a
 * pattern that backtracks catastrophically (`(\w+\s?)+$x`) blocks the event loop, so no
 * signal handler could run. vm's breakOnSigint interrupts the running code itself on
 * SIGINT; SIGTERM gets its default action back meanwhile (the process ends at once, which
 * is safe: grep only reads).
 */
function interruptible<T>(fn: () => T): T {
  const term = process.listeners('SIGTERM');
  for (const l of term) process.removeListener('SIGTERM', l);
  try {
    return runInNewContext('run()', { run: fn }, { breakOnSigint: true }) as T;
  } catch (err) {
    if ((err as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED') {
      throw new InterruptedError('interrupted by SIGINT');
    }
    throw err;
  } finally {
    for (const l of term) process.on('SIGTERM', l);
  }
}
