/**
 * arXiv's one-string author lists (the feeds' `dc:creator`, arXivRaw's `<authors>`) into
 * people. Commas and "and" separate people only outside parentheses: affiliations such
 * as `(University of Birmingham, School of Physics and Astronomy, ...)` hold both. The
 * affiliations are dropped from the names (the raw body keeps them), TeX in names
 * becomes Unicode, and stray spaces go (`" NOvA Collaboration"`).
 */
import { texToPlain } from '../../tex.js';
import { normalizeSpace } from '../../text.js';

/** `Jr.` after a comma belongs to the name before it, not to a new person. */
const SUFFIX = /^(?:jr\.?|sr\.?|ii|iii|iv|phd|md)$/i;

export function splitAuthors(input: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  const push = () => {
    const name = cleanName(cur);
    cur = '';
    if (!name) return;
    if (SUFFIX.test(name) && parts.length > 0) parts[parts.length - 1] += ` ${name}`;
    else parts.push(name);
  };
  const s = input;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '(' || c === '[') depth++;
    else if ((c === ')' || c === ']') && depth > 0) depth--;
    if (depth === 0 && (c === ',' || c === ';')) {
      push();
      continue;
    }
    // " and " between names (arXivRaw writes `A (X), B (Y) and C (Z)`), also after a comma.
    if (depth === 0 && (c === ' ' || c === '\n') && /^\s+and\s/i.test(s.slice(i, i + 6))) {
      const m = /^\s+and\s+/i.exec(s.slice(i, i + 40))!;
      push();
      i += m[0].length - 1;
      continue;
    }
    cur += c;
  }
  push();
  return parts;
}

function cleanName(raw: string): string {
  // Affiliations in parentheses (nested ones too) are not part of the name.
  let out = '';
  let depth = 0;
  for (const c of raw) {
    if (c === '(') depth++;
    else if (c === ')' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return normalizeSpace(texToPlain(normalizeSpace(out))).replace(/^and\s+/i, '');
}
