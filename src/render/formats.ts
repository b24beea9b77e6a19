/**
 * Which format `-o FILE` gets: the one `--format` names, else the one the file's extension
 * names (`-o refs.bib` is BibTeX, as pandoc and sqlite-utils infer it), else the command's
 * default. A `--format` that contradicts the extension is refused, and so is an extension
 * that names a format the command does not write: a file whose name lies about its content
 * is worse than an error.
 */
import { extname } from 'node:path';
import { UsageError } from '../errors.js';
import { visibleControls } from '../text.js';

/** Every extension people use for a format papers writes, by the format's name. */
const EXTENSIONS: Record<string, readonly string[]> = {
  markdown: ['.md', '.markdown'],
  json: ['.json'],
  ndjson: ['.ndjson', '.jsonl'],
  csv: ['.csv'],
  bibtex: ['.bib', '.bibtex'],
  'csl-json': [],
  rss: ['.rss'],
  atom: ['.atom'],
  html: ['.html', '.htm'],
  email: ['.eml'],
};

/** Extensions that fit several formats: the command's formats decide, or --format must. */
const SHARED: Record<string, readonly string[]> = { '.xml': ['rss', 'atom'], '.json': ['json', 'csl-json'] };

/** What people call a format in a message. */
export const FORMAT_NAMES: Record<string, string> = {
  markdown: 'Markdown',
  json: 'JSON',
  ndjson: 'NDJSON',
  csv: 'CSV',
  bibtex: 'BibTeX',
  'csl-json': 'CSL-JSON',
  rss: 'RSS',
  atom: 'Atom',
  html: 'HTML',
  email: 'an email (RFC 5322)',
};

export const formatName = (f: string): string => FORMAT_NAMES[f] ?? f;

/** The formats an extension can mean, of any command (lower case; `.MD` is `.md`). */
function formatsOfExtension(ext: string): string[] {
  const e = ext.toLowerCase();
  const out = new Set<string>(SHARED[e] ?? []);
  for (const [f, exts] of Object.entries(EXTENSIONS)) if (exts.includes(e)) out.add(f);
  return [...out];
}

export interface FormatChoice<F extends string> {
  format: F;
  /** Taken from the file's extension (not typed). */
  inferred: boolean;
}

/**
 * The format to write: `given` (typed with --format) or what `file`'s extension names
 * among `formats`, else `dflt`. Throws a UsageError when they disagree.
 */
export function chooseFormat<F extends string>(
  formats: readonly F[],
  given: F | undefined,
  file: string | undefined,
  dflt: F,
): FormatChoice<F> {
  const ext = file ? extname(file) : '';
  const named = ext ? formatsOfExtension(ext) : [];
  if (named.length === 0) return { format: given ?? dflt, inferred: false };
  const mine = named.filter((f): f is F => (formats as readonly string[]).includes(f));
  const shown = visibleControls(file!);
  const list = (fs: readonly string[]) => fs.map((f) => `--format ${f}`).join(' or ');
  if (given !== undefined) {
    if (mine.includes(given)) return { format: given, inferred: false };
    throw new UsageError(`--format ${given} contradicts the file name ${shown} (${ext} is ${named.join(' or ')})`, {
      hint: mine.length ? `drop --format, or give ${list(mine)}` : `name the file for ${formatName(given)}`,
    });
  }
  if (mine.length === 1) return { format: mine[0]!, inferred: true };
  if (mine.length > 1) {
    throw new UsageError(`${ext} fits ${mine.map(formatName).join(' and ')}: say which`, {
      hint: `add ${list(mine)}`,
    });
  }
  throw new UsageError(`this command does not write ${named.map(formatName).join(' or ')} (${shown})`, {
    hint: `its formats are ${formats.join(', ')}; name the file for one of them or give --format`,
  });
}
