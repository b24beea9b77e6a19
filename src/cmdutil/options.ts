/**
 * Option builders, typed, and the groups commands share (days, filters, output, paging),
 * so that a flag and its default are written once. A value option given twice
 * (`--date A --date B`) is refused rather than silently resolved; repeatable ones say so.
 */
import { InvalidArgumentError } from 'commander';
import { SORT_KEYS, type SortKey } from '../core/query.js';
import type { ArgDef, OptionDef } from './spec.js';

/** A value option's parser that refuses a second occurrence (defaults are applied after parsing). */
function once<T>(flags: string, parse: (value: string) => T): (value: string, previous: unknown) => T {
  const long = /--[\w-]+/.exec(flags)?.[0] ?? flags;
  return (value, previous) => {
    if (previous !== undefined) throw new InvalidArgumentError(`${long} was given twice; give it once`);
    return parse(value);
  };
}

const withDefault = (description: string, shown: unknown) =>
  shown === undefined ? description : `${description} (default: ${String(shown)})`;

/** `--json`: true when given. */
export function flag(
  flags: string,
  description: string,
  opts: { conflicts?: string[]; hidden?: boolean } = {},
): OptionDef<boolean | undefined> {
  return { flags, description, conflicts: opts.conflicts, hidden: opts.hidden };
}

/** `--no-abstract`: true unless given. */
export function negatable(flags: string, description: string): OptionDef<boolean> {
  return { flags, description };
}

export function text(
  flags: string,
  description: string,
  opts?: { conflicts?: string[] },
): OptionDef<string | undefined>;
export function text(
  flags: string,
  description: string,
  opts: { default: string; conflicts?: string[] },
): OptionDef<string>;
export function text(
  flags: string,
  description: string,
  opts: { default?: string; conflicts?: string[] } = {},
): OptionDef<unknown> {
  return {
    flags,
    description: withDefault(description, opts.default),
    parse: once(flags, (v) => v),
    defaultValue: opts.default,
    conflicts: opts.conflicts,
  };
}

/** A whole number in [min, max]; the message names the flag. */
export function intParser(name: string, min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER
          ? `${name} must be a whole number of at least ${min}`
          : `${name} must be a whole number from ${min} to ${max}`,
      );
    }
    return n;
  };
}

interface IntOpts {
  min: number;
  max?: number;
  conflicts?: string[];
}
export function int(flags: string, description: string, opts: IntOpts): OptionDef<number | undefined>;
export function int(flags: string, description: string, opts: IntOpts & { default: number }): OptionDef<number>;
export function int(flags: string, description: string, opts: IntOpts & { default?: number }): OptionDef<unknown> {
  const long = /--[\w-]+/.exec(flags)![0];
  return {
    flags,
    description: withDefault(description, opts.default),
    parse: once(flags, intParser(long, opts.min, opts.max)),
    defaultValue: opts.default,
    conflicts: opts.conflicts,
  };
}

/** Repeatable: every occurrence is kept, in order. */
export function list(flags: string, description: string): OptionDef<string[] | undefined> {
  return { flags, description, parse: (v, prev) => [...((prev as string[] | undefined) ?? []), v] };
}

export function choice<C extends string>(
  flags: string,
  description: string,
  choices: readonly C[],
): OptionDef<C | undefined>;
export function choice<C extends string>(
  flags: string,
  description: string,
  choices: readonly C[],
  dflt: C,
): OptionDef<C>;
export function choice<C extends string>(
  flags: string,
  description: string,
  choices: readonly C[],
  dflt?: C,
): OptionDef<unknown> {
  // Help lists the values a fixed set takes (as gh's help does): nobody should have to guess.
  const values = `one of ${choices.join(', ')}`;
  return {
    flags,
    description: `${description} (${dflt === undefined ? values : `${values}; default: ${dflt}`})`,
    choices,
    defaultValue: dflt,
    parse: once(flags, (v) => {
      if (!choices.includes(v as C)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
      return v as C;
    }),
  };
}

export function argument(spec: `<${string}...>`, description: string): ArgDef<string[]>;
export function argument(spec: `[${string}...]`, description: string): ArgDef<string[] | undefined>;
export function argument(spec: `<${string}>`, description: string): ArgDef<string>;
export function argument(spec: `[${string}]`, description: string): ArgDef<string | undefined>;
export function argument(spec: string, description: string): ArgDef<unknown> {
  const variadic = spec.endsWith('...>') || spec.endsWith('...]');
  return { name: spec.replace(/^[<[]|(\.\.\.)?[>\]]$/g, ''), description, variadic, optional: spec.startsWith('[') };
}

// --- shared groups ---------------------------------------------------------------

/** The day options of list-like commands. */
export const dayOptions = {
  // One way to name one day: --date with another day option is refused, not resolved.
  date: text('--date <day>', 'one listing day (YYYY-MM-DD, today, yesterday, 3d)', {
    conflicts: ['since', 'until', 'week', 'month'],
  }),
  since: text('--since <day>', 'from this day on (YYYY-MM-DD, or 7d, 2w: days/weeks ago)'),
  until: text('--until <day>', 'up to this day, inclusive'),
  week: text('--week <week>', 'an ISO week, e.g. 2025-W07', { conflicts: ['month'] }),
  month: text('--month <month>', 'a month, e.g. 2025-03'),
};

/**
 * The listing types `--type` takes: arXiv's announce types, `submitted` (a backfill),
 * `added` (`papers add`) and `all`.
 */
export const TYPE_CHOICES = ['new', 'cross', 'replace', 'replace-cross', 'submitted', 'added', 'all'] as const;

/** Repeatable and checked: every occurrence kept, each one of `choices`. */
function choiceList<C extends string>(
  flags: string,
  description: string,
  choices: readonly C[],
): OptionDef<C[] | undefined> {
  const long = /--[\w-]+/.exec(flags)![0];
  return {
    flags,
    description,
    choices,
    parse: (v, prev) => {
      if (!choices.includes(v as C)) throw new InvalidArgumentError(`${long} takes ${choices.join(', ')}.`);
      return [...((prev as C[] | undefined) ?? []), v as C];
    },
  };
}

/** Which source listed a paper, its arXiv categories and how it was listed (issue 12). */
export const sourceOptions = {
  source: list('--source <name>', 'listed by this source: hf, arxiv (any arXiv source) or arxiv:CATS (repeatable)'),
  cat: list('--cat <category>', 'in this arXiv category; cs or cs.* is the whole archive (repeatable)'),
  type: choiceList(
    '--type <type>',
    'listed as new, cross, replace, replace-cross, submitted (backfilled) or all ' +
      '(repeatable; default: all but replacements)',
    TYPE_CHOICES,
  ),
};

/** The list filters (without days: a watch follows new papers). */
export const paperFilterOptions = {
  keyword: list(
    '-k, --keyword <text>',
    'word or phrase in title, abstract, AI summary or keywords (repeatable; all must match)',
  ),
  any: flag('--any', 'with several --keyword: any one may match'),
  exclude: list('--exclude <text>', 'drop papers matching this word or phrase (repeatable)'),
  author: text('--author <name>', 'an author name contains this (case and accents ignored)'),
  org: text('--org <name>', 'the organization contains this'),
  minUpvotes: int('--min-upvotes <n>', 'at least this many upvotes', { min: 0 }),
  hasCode: flag('--has-code', 'only papers with a known GitHub repository'),
  ...sourceOptions,
};

/** Days and filters: what list, search, export and new select with. */
export const filterOptions = { ...dayOptions, ...paperFilterOptions };

export const jsonOption = { json: flag('--json', 'print JSON on stdout') };
export const abstractOption = { abstract: flag('--abstract', 'add the abstracts') };

/** `-n/--limit`, with the command's default where it has one. */
export function limitOption(): { limit: OptionDef<number | undefined> };
export function limitOption(dflt: number): { limit: OptionDef<number> };
export function limitOption(dflt?: number): { limit: OptionDef<number | undefined> } {
  return {
    limit:
      dflt === undefined
        ? int('-n, --limit <n>', 'at most this many papers', { min: 0 })
        : int('-n, --limit <n>', 'at most this many papers', { min: 0, default: dflt }),
  };
}

/** `--sort`, with the keys every paper list takes and those a command adds (list's for-you). */
function sortChoice<E extends string = never>(extra: readonly { key: E; what: string }[] = []) {
  const keys: readonly string[] = [...SORT_KEYS, ...extra.map((e) => e.key)];
  const description =
    'order: date (newest day first, then upvotes), upvotes, github-stars (of the code), ' +
    `rising (upvote growth over --window)${extra.map((e) => `, ${e.key} (${e.what})`).join('')}`;
  return {
    ...choice('--sort <key>', description, keys),
    // `stars` was the name of github-stars before `papers star` made stars the reader's own: kept.
    parse: once('--sort', (v) => {
      const key = v === 'stars' ? 'github-stars' : v;
      if (!keys.includes(key)) throw new InvalidArgumentError(`Allowed choices are ${keys.join(', ')}.`);
      return key as SortKey | E;
    }),
  } as OptionDef<SortKey | E | undefined>;
}

export const sortOption = { sort: sortChoice() };

/** list's `--sort`: also for-you, the reader's model. */
export const sortOptionForYou = {
  sort: sortChoice([{ key: 'for-you', what: 'by a model of your stars, as papers recommend; with a relevance' }]),
};
