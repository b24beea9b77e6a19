/**
 * The list filters, each declared once (issue 21.5): the flag that sets it, how its value
 * is read from the parsed flags, whether it is set, what a watch stores of it and reads
 * back from its JSON, and the flags that say it. filterFromFlags, hasFilter, the watch
 * codec and describeWatch are loops over FIELDS. A new filter is an entry here, its
 * option (cmdutil/options.ts, commander's side) and its SQL (query.ts buildFilter).
 */
import { visibleControls } from '../text.js';
import type { PaperFilter } from './query.js';

/** The filter keys a field may declare: everything a watch may keep. */
export type FieldKey = Exclude<keyof PaperFilter, 'since' | 'until' | 'ids' | 'minPk' | 'maxPk'>;

export interface FilterField<K extends FieldKey = FieldKey> {
  key: K;
  /** The key of the parsed flags (`keyword` for `keywords`). */
  flagKey: string;
  /** The long flag, as describeWatch writes it. */
  flag: string;
  /** From the parsed flag to the filter's value; undefined when not given. */
  fromFlag(v: unknown): PaperFilter[K] | undefined;
  /** Whether the value is given (and says something). */
  isSet(v: PaperFilter[K] | undefined): boolean;
  /** It only changes how another filter matches (`--any`): alone it selects nothing. */
  modifier?: true;
  /** What a watch stores: trimmed, blanks dropped; undefined drops the field. */
  store(v: PaperFilter[K] | undefined, f: PaperFilter): PaperFilter[K] | undefined;
  /** Back from a watch's stored JSON (whatever its shape). */
  load(v: unknown): PaperFilter[K] | undefined;
  /** The flags that say it. */
  describe(v: NonNullable<PaperFilter[K]>): string[];
}

/** A flag's argument, quoted where the shell would need it. */
export function shellArg(s: string): string {
  return /^[\w.@:/+-]+$/u.test(s) ? s : visibleControls(JSON.stringify(s));
}

/** Checks a name flag's value (its length); returns it. */
type NameCheck = (flag: string, v: string | undefined) => string | undefined;

const strings = (x: unknown) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : undefined);
const nonEmpty = <T>(a: T[] | undefined) => (a?.length ? a : undefined);

/** A repeatable text flag (`-k a -k b`): blanks dropped when stored. */
function texts(key: 'keywords' | 'exclude', flagKey: string, flag: string): FilterField<'keywords' | 'exclude'> {
  return {
    ...{ key, flagKey, flag },
    fromFlag: (v) => v as string[] | undefined,
    isSet: (v) => !!v?.some((k) => k.trim()),
    store: (v) => nonEmpty(v?.map((k) => k.trim()).filter(Boolean)),
    load: (v) => nonEmpty(strings(v)),
    describe: (v) => v.map((k) => `${flag} ${shellArg(k)}`),
  };
}

/** One text flag (`--author NAME`). */
function text(key: 'author' | 'org', flag: string, check: NameCheck): FilterField<'author' | 'org'> {
  return {
    ...{ key, flagKey: key, flag },
    fromFlag: (v) => check(flag, v as string | undefined),
    isSet: (v) => !!v?.trim(),
    store: (v) => v?.trim() || undefined,
    load: (v) => (typeof v === 'string' ? v : undefined),
    describe: (v) => [`${flag} ${shellArg(v)}`],
  };
}

/** A switch (`--has-code`). */
function flagField(
  key: 'any' | 'hasCode',
  flag: string,
  when = (_f: PaperFilter) => true,
): FilterField<'any' | 'hasCode'> {
  return {
    ...{ key, flagKey: key, flag },
    fromFlag: (v) => (v ? true : undefined),
    isSet: (v) => !!v,
    store: (v, f) => (v && when(f) ? true : undefined),
    load: (v) => (v === true ? true : undefined),
    describe: () => [flag],
  };
}

/** A repeatable name flag (`--source`, `--cat`, `--type`), read by `parse`. */
function names(
  key: 'sources' | 'categories' | 'types',
  flagKey: string,
  flag: string,
  parse: (v: string[] | undefined) => readonly string[] | undefined,
): FilterField<'sources' | 'categories' | 'types'> {
  return {
    ...{ key, flagKey, flag },
    fromFlag: (v) => parse(v as string[] | undefined),
    isSet: (v) => !!v?.length,
    store: (v) => (v?.length ? [...v] : undefined),
    load: (v) => nonEmpty(strings(v)),
    describe: (v) => v.map((x) => `${flag} ${shellArg(x)}`),
  };
}

const minUpvotes: FilterField<'minUpvotes'> = {
  ...{ key: 'minUpvotes', flagKey: 'minUpvotes', flag: '--min-upvotes' },
  fromFlag: (v) => v as number | undefined,
  isSet: (v) => v !== undefined,
  store: (v) => v,
  load: (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined),
  describe: (v) => [`--min-upvotes ${v}`],
};

/**
 * Every filter, in the order describeWatch says them. `parseNames` reads the source and
 * category flags (their checks live with the source names and the taxonomy).
 */
export function filterFields(parse: {
  sources: (v: string[] | undefined) => readonly string[] | undefined;
  categories: (v: string[] | undefined) => readonly string[] | undefined;
  name: NameCheck;
}): FilterField[] {
  const types = (v: string[] | undefined) => (v?.length ? [...new Set(v)] : undefined);
  const any = flagField('any', '--any', (f) => (f.keywords?.map((k) => k.trim()).filter(Boolean).length ?? 0) > 1);
  return [
    texts('keywords', 'keyword', '-k'),
    { ...any, modifier: true },
    texts('exclude', 'exclude', '--exclude'),
    text('author', '--author', parse.name),
    text('org', '--org', parse.name),
    minUpvotes,
    flagField('hasCode', '--has-code'),
    names('sources', 'source', '--source', parse.sources),
    names('categories', 'cat', '--cat', parse.categories),
    names('types', 'type', '--type', types),
  ] as FilterField[];
}

/** The fields for what needs no flag parsing (stored watches, hasFilter). */
export const FIELDS = filterFields({ sources: (v) => v, categories: (v) => v, name: (_flag, v) => v });

/** Whether any field of a filter selects something (days aside). */
export function fieldsSet(f: PaperFilter): boolean {
  return FIELDS.some((field) => !field.modifier && field.isSet(f[field.key] as never));
}

/** The filter a watch stores: each field as it stores it. */
export function storeFields(f: PaperFilter): Partial<PaperFilter> {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const v = field.store(f[field.key] as never, f);
    if (v !== undefined) out[field.key] = v;
  }
  return out;
}

/** A watch's stored JSON back to its filter; what does not fit is dropped. */
export function loadFields(o: Record<string, unknown>): Partial<PaperFilter> {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) {
    const v = field.load(o[field.key]);
    if (v !== undefined) out[field.key] = v;
  }
  return out;
}

/** The flags that would set a filter's fields. */
export function describeFields(f: PaperFilter): string[] {
  return FIELDS.flatMap((field) => {
    const v = f[field.key];
    return v !== undefined && field.isSet(v as never) ? field.describe(v as never) : [];
  });
}
