/**
 * BibTeX export: one `@misc` per paper in the form arXiv's own "Export BibTeX citation"
 * uses (title, author, year, eprint, archivePrefix, primaryClass, url), plus the DOI and
 * the abstract where known.
 *
 * BibTeX counts every `{` and `}` in a value, escaped or not, so `\{` would unbalance an
 * entry. Remote text is therefore escaped into commands that are balanced by
 * construction (`\textbraceleft{}`, `\textbackslash{}`, ...), and LaTeX math `$...$` is
 * kept as written only when its braces balance; otherwise it is escaped like text.
 *
 * Keys are `lastname + year + firstTitleWord`, ASCII-folded and lower-cased
 * (`vaswani2017attention`); a key already used in this export gets `a`, `b`, ... `z`,
 * `aa`, ... in input order, so the same input always gives the same keys.
 */
import type { Paper } from '../core/papers.js';
import { cleanLine as cleanText } from '../text.js';

export interface BibtexOptions {
  /** Include the abstracts (default true). */
  abstract?: boolean;
  /** Without a journal DOI, arXiv's own (10.48550/arXiv.ID), as Zotero and DataCite name a preprint. */
  arxivDoi?: boolean;
  /** Keywords of each paper (the reader's tags), as Zotero reads them back as tags. */
  keywords?: (p: Paper) => readonly string[];
}

/** arXiv's DataCite DOI of a paper: every arXiv paper has one. */
export const arxivDoi = (id: string): string => `10.48550/arXiv.${id}`;

/**
 * Names that are not a person's (`H1 Collaboration`, `The ATLAS Team`): BibTeX would take
 * the last word for a surname, so they are braced whole.
 */
export const CORPORATE = new RegExp(
  String.raw`\b(?:collaboration|consortium|team|group|project|initiative|committee|alliance|network|` +
    String.raw`institute|laboratory|university|council|society|association|survey|organi[sz]ation)s?\b`,
  'i',
);

const TEXT_ESCAPES: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '%': '\\%',
  '&': '\\&',
  '#': '\\#',
  _: '\\_',
  $: '\\$',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};

function escapeText(s: string): string {
  return s.replace(/[\\{}%&#_$~^]/g, (c) => TEXT_ESCAPES[c]!);
}

/** Braces balance when counted raw, as BibTeX counts them. */
function balanced(s: string): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Commands math may keep: symbols, Greek, fonts and layout. Anything else (`\input`,
 * `\write18`, `\csname`, `\def`, ...) could read files or run programs when a reader's
 * LaTeX typesets the entry, so math that has one is escaped as text.
 */
const SAFE_MATH = new Set(
  (
    'alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi varpi rho ' +
    'varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi ' +
    'Psi Omega mathcal mathbf mathrm mathit mathsf mathtt mathbb mathfrak boldsymbol text textit textbf textrm ' +
    'textsc texttt emph operatorname frac dfrac tfrac sqrt sum prod int oint lim sup inf max min log ln exp sin ' +
    'cos tan arg det dim ker hat widehat tilde widetilde bar overline underline vec dot ddot left right big Big ' +
    'bigl bigr Bigl Bigr cdot cdots ldots dots vdots ddots times div pm mp ast star circ bullet leq le geq ge neq ' +
    'ne approx sim simeq cong equiv propto ll gg subset subseteq supset supseteq in notin ni cup cap setminus ' +
    'emptyset varnothing forall exists neg land lor wedge vee to rightarrow leftarrow Rightarrow Leftarrow ' +
    'leftrightarrow Leftrightarrow mapsto uparrow downarrow infty partial nabla prime ell hbar angle perp ' +
    'parallel mid langle rangle lfloor rfloor lceil rceil quad qquad top bot oplus otimes odot dagger ' +
    'mathbin mathrel mathop limits nolimits displaystyle textstyle scriptstyle'
  ).split(' '),
);

/** Math kept as written, if it is safe to: balanced, its closing `$` not escaped, only safe commands. */
function escapeMath(delim: string, body: string): string | null {
  if (!balanced(body) || /(?:^|[^\\])(?:\\\\)*\\$/.test(body)) return null;
  // `^^5c` is TeX's way to write a backslash with `^`: no command may hide behind it.
  if (body.includes('^^')) return null;
  for (const m of body.matchAll(/\\([A-Za-z]+)/g)) if (!SAFE_MATH.has(m[1]!)) return null;
  // A comment or alignment character would still break the entry or the LaTeX run.
  return delim + body.replace(/(?<!\\)[%#&]/g, (c) => '\\' + c) + delim;
}

/** One line of remote text as the contents of a braced BibTeX value. */
export function bibText(raw: string | null | undefined): string {
  const s = cleanText(raw ?? '');
  let out = '';
  let last = 0;
  for (const m of s.matchAll(/\$\$([^$]+)\$\$|\$([^$]+)\$/g)) {
    const math = m[1] !== undefined ? escapeMath('$$', m[1]) : escapeMath('$', m[2]!);
    if (math === null) continue;
    out += escapeText(s.slice(last, m.index)) + math;
    last = m.index + m[0].length;
  }
  return out + escapeText(s.slice(last));
}

/** An author for `author = {...}`: braced whole when BibTeX would misread it. */
function bibName(raw: string): string {
  const esc = bibText(raw);
  if (!esc) return '';
  return /\band\b|,/i.test(esc) || /^others$/i.test(esc) || CORPORATE.test(esc) ? `{${esc}}` : esc;
}

// Letters NFKD does not decompose into an ASCII base.
const FOLD: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŋ: 'ng',
};

/** ASCII letters and digits only: `Łukasz Müller` → `lukaszmuller`. */
export function asciiFold(s: string): string {
  return s
    .toLowerCase()
    .replace(/[ßæœøłđðþıħŋ]/g, (c) => FOLD[c]!)
    .normalize('NFKD')
    .replace(/[^a-z0-9]/g, '');
}

const STOPWORDS = new Set(['a', 'an', 'the', 'on', 'of', 'in', 'for', 'to', 'and', 'with', 'is', 'at', 'by', 'from']);

function lastName(name: string): string {
  const n = cleanText(name);
  const comma = n.indexOf(',');
  if (comma > 0) return asciiFold(n.slice(0, comma));
  const words = n.split(' ').filter(Boolean);
  // The last word that folds to something: `Jr.` aside, CJK names fold to nothing.
  for (let i = words.length - 1; i >= 0; i--) {
    if (/^(?:jr|sr|ii|iii|iv)\.?$/i.test(words[i]!)) continue;
    const f = asciiFold(words[i]!);
    if (f) return f;
  }
  return '';
}

function firstTitleWord(title: string): string {
  const words = cleanText(title)
    .replace(/\$[^$]*\$/g, ' ')
    .replace(/\\[A-Za-z]+/g, ' ')
    .split(/[^\p{L}\p{N}]+/u);
  for (const w of words) {
    const f = asciiFold(w);
    if (f && !STOPWORDS.has(f)) return f;
  }
  return '';
}

/** The year an arXiv id was given (`2205.06398` → 2022, `hep-th/9901001` → 1999): the first version's. */
function idYear(id: string): string | undefined {
  const yy =
    /^(\d{2})(?:0[1-9]|1[0-2])\.\d{4,5}$/.exec(id)?.[1] ?? /^[a-z-]+(?:\.[A-Z]{2})?\/(\d{2})\d{5}$/.exec(id)?.[1];
  if (yy === undefined) return undefined;
  return `${Number(yy) >= 91 ? '19' : '20'}${yy}`;
}

function yearOf(p: Paper): string {
  // A paper arXiv described: the year of its first version, as arXiv's own citation gives
  // it (a feed's date is the announcement's, years later for a cross-list or replacement).
  if (p.categories.length) {
    const y = idYear(p.id);
    if (y) return y;
  }
  const y = /^(\d{4})/.exec(p.publishedAt ?? '')?.[1] ?? /^(\d{4})/.exec(p.day ?? '')?.[1];
  return y ?? '';
}

/** The key before de-duplication. */
export function baseKey(p: Paper): string {
  return (lastName(p.authors[0] ?? '') || 'anon') + yearOf(p) + firstTitleWord(p.title);
}

function suffix(n: number): string {
  // 0 → a, 25 → z, 26 → aa: bijective base 26.
  let s = '';
  for (let i = n + 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(97 + ((i - 1) % 26)) + s;
  return s;
}

/**
 * Hands out unique keys within one export. Each base remembers the suffixes it has found
 * taken, so 100k papers with one base cost 100k look-ups, not 5 billion (keys are only
 * ever added, so a suffix taken once stays taken: the keys are those of a scan from `a`).
 */
export class KeyAllocator {
  private readonly taken = new Map<string, number>();

  /** `used`: the keys already handed out (a test passes one that counts look-ups). */
  constructor(private readonly used: Set<string> = new Set()) {}

  next(base: string): string {
    let key = base;
    if (this.used.has(key)) {
      let n = this.taken.get(base) ?? 0;
      while (this.used.has((key = base + suffix(n)))) n++;
      this.taken.set(base, n + 1);
    }
    this.used.add(key);
    return key;
  }
}

/** One entry, given its key. */
export function renderBibtexEntry(p: Paper, key: string, opts: BibtexOptions = {}): string {
  const fields: [string, string][] = [];
  fields.push(['title', `{${bibText(p.title) || bibText(p.id)}}`]);
  const authors = p.authors.map(bibName).filter(Boolean);
  if (authors.length) fields.push(['author', authors.join(' and ')]);
  const year = yearOf(p);
  if (year) fields.push(['year', year]);
  fields.push(['eprint', bibText(p.id)]);
  fields.push(['archivePrefix', 'arXiv']);
  // arXiv's citation form: the primary category, as arXiv spells one (never anything to escape).
  if (p.primaryCategory && /^[a-z-]+(?:\.[A-Za-z-]+)?$/.test(p.primaryCategory)) {
    fields.push(['primaryClass', p.primaryCategory]);
  }
  // URLs are verbatim in biblatex: never escaped, so only well-formed ones go in.
  if (/^https?:\/\/[A-Za-z0-9.\-/:_~]+$/.test(p.url)) fields.push(['url', p.url]);
  // DOIs are verbatim in biblatex, like URLs: only one that cannot break the entry goes in.
  const doi = p.doi ?? (opts.arxivDoi ? arxivDoi(p.id) : null);
  if (doi && /^10\.\d{4,9}\/[\x21-\x7e]+$/.test(doi) && !/[{}%\\#]/.test(doi)) fields.push(['doi', doi]);
  const keywords = (opts.keywords?.(p) ?? []).map(bibText).filter(Boolean);
  if (keywords.length) fields.push(['keywords', keywords.join(', ')]);
  const abstract = opts.abstract === false ? '' : bibText(p.abstract);
  if (abstract) fields.push(['abstract', abstract]);
  return `@misc{${key},\n${fields.map(([k, v]) => `  ${k} = {${v}}`).join(',\n')}\n}\n`;
}

/** The entries, one chunk each, separated by a blank line. */
export function* renderBibtex(papers: Iterable<Paper>, opts: BibtexOptions = {}): Generator<string> {
  const keys = new KeyAllocator();
  let first = true;
  for (const p of papers) {
    yield (first ? '' : '\n') + renderBibtexEntry(p, keys.next(baseKey(p)), opts);
    first = false;
  }
}
