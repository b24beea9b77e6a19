/**
 * A linear pre-scan of a BibTeX body that refuses what would make the parser's work
 * unbounded before the parser sees it (issue 23.2): `@string` macros that expand to more
 * than MAX_MACRO characters (533 bytes of nested `@string{b = a # a # a ...}` expand to
 * gigabytes), fields whose expansion, in all, would pass MAX_EXPANDED, and a single field
 * longer than MAX_FIELD (the parser spends about 30 ms per KB of a field).
 *
 * It follows BibTeX's grammar only as far as lengths need: `@type{...}` or `@type(...)`
 * blocks, `name = part # part ...` where a part is "quoted", {braced}, a number or a macro
 * name. Anything it cannot follow it leaves to the parser, which reports broken entries.
 */
import { ParseError } from '../errors.js';
import { visibleControls } from '../text.js';

export interface BibtexBounds {
  /** Longest expansion of one @string macro, in characters. */
  maxMacro: number;
  /** Longest one field, expanded, in characters. */
  maxField: number;
  /** All fields and macros of the file, expanded, in characters. */
  maxExpanded: number;
}

export const BIBTEX_BOUNDS: BibtexBounds = {
  maxMacro: 100_000,
  maxField: 100_000,
  maxExpanded: 64 * 1024 * 1024,
};

/** The month macros BibTeX knows without a definition. */
const BUILTIN = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const shown = (s: string) => visibleControls(s).slice(0, 40);
const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13 || c === 12;
const isNameChar = (c: number) =>
  c > 32 && c !== 123 && c !== 125 && c !== 40 && c !== 41 && c !== 44 && c !== 61 && c !== 35 && c !== 34;

/** Throws a ParseError when `body` would expand past `bounds`; linear in its length. */
export function checkBibtexBounds(body: string, where: string, bounds: BibtexBounds = BIBTEX_BOUNDS): void {
  const macros = new Map<string, number>(BUILTIN.map((m) => [m, 8]));
  const n = body.length;
  let i = 0;
  let expanded = 0;

  const skipSpace = () => {
    while (i < n && isSpace(body.charCodeAt(i))) i++;
  };
  const name = (): string => {
    const from = i;
    while (i < n && isNameChar(body.charCodeAt(i))) i++;
    return body.slice(from, i);
  };
  /** After an opening `{`: to just past its matching `}`; -1 when the body ends first. */
  const braced = (): number => {
    let depth = 1;
    const from = i;
    while (i < n && depth > 0) {
      const c = body.charCodeAt(i++);
      if (c === 123) depth++;
      else if (c === 125) depth--;
    }
    return depth === 0 ? i - from - 1 : -1;
  };
  /** After an opening `"`: to just past the closing `"` outside braces. */
  const quoted = (): number => {
    let depth = 0;
    const from = i;
    while (i < n) {
      const c = body.charCodeAt(i++);
      if (c === 123) depth++;
      else if (c === 125) depth--;
      else if (c === 34 && depth <= 0) return i - from - 1;
    }
    return -1;
  };
  const refuse = (what: string, limit: number): never => {
    throw new ParseError(`${where}: ${what} (at most ${limit.toLocaleString('en-US')} characters); not imported`, {
      hint: 'a reference manager does not write such a file: check that it is the export you meant',
    });
  };
  /** `part # part ...`: its expanded length, or -1 where the grammar is lost. */
  const value = (field: string, macro: boolean): number => {
    let len = 0;
    for (;;) {
      skipSpace();
      const c = body.charCodeAt(i);
      let part: number;
      if (c === 123) {
        i++;
        part = braced();
      } else if (c === 34) {
        i++;
        part = quoted();
      } else {
        const word = name();
        if (!word) return -1;
        part = /^\d+$/.test(word) ? word.length : (macros.get(word.toLowerCase()) ?? word.length);
      }
      if (part < 0) return -1;
      len += part;
      expanded += part;
      const max = macro ? bounds.maxMacro : bounds.maxField;
      if (len > max) {
        refuse(
          macro
            ? `@string ${shown(field)} expands to more text than allowed`
            : `field ${shown(field)} is longer than allowed`,
          max,
        );
      }
      if (expanded > bounds.maxExpanded) refuse('its fields expand to more text than allowed', bounds.maxExpanded);
      skipSpace();
      if (body.charCodeAt(i) !== 35) return len; // '#'
      i++;
    }
  };

  while (i < n) {
    const at = body.indexOf('@', i);
    if (at < 0) break;
    i = at + 1;
    skipSpace();
    const type = name().toLowerCase();
    skipSpace();
    const open = body.charCodeAt(i);
    if (!type || (open !== 123 && open !== 40)) continue;
    i++;
    if (type === 'comment' || type === 'preamble') {
      if (open === 123) braced();
      continue;
    }
    const close = open === 123 ? 125 : 41;
    if (type !== 'string') {
      // The citation key, up to the first comma.
      while (i < n && body.charCodeAt(i) !== 44 && body.charCodeAt(i) !== close && body.charCodeAt(i) !== 10) i++;
      if (body.charCodeAt(i) !== 44) continue;
      i++;
    }
    for (;;) {
      skipSpace();
      if (i >= n || body.charCodeAt(i) === close) {
        i++;
        break;
      }
      const field = name();
      skipSpace();
      if (!field || body.charCodeAt(i) !== 61) break; // '='
      i++;
      const len = value(field, type === 'string');
      if (len < 0) break;
      if (type === 'string') macros.set(field.toLowerCase(), len);
      skipSpace();
      if (body.charCodeAt(i) === 44) i++;
    }
  }
}
