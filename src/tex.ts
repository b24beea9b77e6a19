/**
 * TeX to plain text, for display. arXiv titles, abstracts and author names are typed in
 * TeX (`Przemys{\l}aw`, `Schr\"odinger`, `Ta$_2$NiSe$_5$`); Hugging Face titles copy them.
 * Known accents become Unicode, font commands are unwrapped, simple math is made
 * readable, anything unknown stays as it was typed. Total and linear: one pass over the
 * text, nesting bounded, never throws. Whitespace is left to the caller (normalizeSpace).
 */

/** Accent commands to combining marks (applied to the first letter of the argument). */
const ACCENTS: Record<string, string> = {
  "'": '\u0301',
  '`': '\u0300',
  '^': '\u0302',
  '"': '\u0308',
  '~': '\u0303',
  '=': '\u0304',
  '.': '\u0307',
  u: '\u0306',
  v: '\u030c',
  H: '\u030b',
  c: '\u0327',
  k: '\u0328',
  r: '\u030a',
  b: '\u0331',
  d: '\u0323',
  t: '\u0361',
};
/** Math accents: `\bar{t}`, `\hat{x}`. */
const MATH_ACCENTS: Record<string, string> = {
  bar: '\u0304',
  hat: '\u0302',
  widehat: '\u0302',
  tilde: '\u0303',
  widetilde: '\u0303',
  vec: '\u20d7',
  dot: '\u0307',
  ddot: '\u0308',
  acute: '\u0301',
  grave: '\u0300',
  breve: '\u0306',
  check: '\u030c',
};

/** Control words that stand for one character, in text and in math. */
const SYMBOLS: Record<string, string> = {
  l: 'ł',
  L: 'Ł',
  o: 'ø',
  O: 'Ø',
  ss: 'ß',
  SS: 'SS',
  ae: 'æ',
  AE: 'Æ',
  oe: 'œ',
  OE: 'Œ',
  aa: 'å',
  AA: 'Å',
  i: 'ı',
  j: 'ȷ',
  dh: 'ð',
  DH: 'Ð',
  th: 'þ',
  TH: 'Þ',
  ng: 'ŋ',
  NG: 'Ŋ',
  dj: 'đ',
  DJ: 'Đ',
  S: '§',
  P: '¶',
  copyright: '©',
  textregistered: '®',
  texttrademark: '™',
  dag: '†',
  ddag: '‡',
  ldots: '…',
  dots: '…',
  cdots: '⋯',
  textendash: '–',
  textemdash: '—',
  textquoteright: '’',
  textquoteleft: '‘',
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ϵ',
  varepsilon: 'ε',
  zeta: 'ζ',
  eta: 'η',
  theta: 'θ',
  vartheta: 'ϑ',
  iota: 'ι',
  kappa: 'κ',
  lambda: 'λ',
  mu: 'μ',
  nu: 'ν',
  xi: 'ξ',
  pi: 'π',
  varpi: 'ϖ',
  rho: 'ρ',
  varrho: 'ϱ',
  sigma: 'σ',
  varsigma: 'ς',
  tau: 'τ',
  upsilon: 'υ',
  phi: 'ϕ',
  varphi: 'φ',
  chi: 'χ',
  psi: 'ψ',
  omega: 'ω',
  Gamma: 'Γ',
  Delta: 'Δ',
  Theta: 'Θ',
  Lambda: 'Λ',
  Xi: 'Ξ',
  Pi: 'Π',
  Sigma: 'Σ',
  Upsilon: 'Υ',
  Phi: 'Φ',
  Psi: 'Ψ',
  Omega: 'Ω',
  times: '×',
  cdot: '·',
  pm: '±',
  mp: '∓',
  div: '÷',
  to: '→',
  rightarrow: '→',
  leftarrow: '←',
  Rightarrow: '⇒',
  Leftarrow: '⇐',
  leftrightarrow: '↔',
  Leftrightarrow: '⇔',
  mapsto: '↦',
  longrightarrow: '⟶',
  uparrow: '↑',
  downarrow: '↓',
  sim: '∼',
  simeq: '≃',
  approx: '≈',
  cong: '≅',
  equiv: '≡',
  propto: '∝',
  le: '≤',
  leq: '≤',
  ge: '≥',
  geq: '≥',
  ne: '≠',
  neq: '≠',
  ll: '≪',
  gg: '≫',
  lesssim: '≲',
  gtrsim: '≳',
  infty: '∞',
  partial: '∂',
  nabla: '∇',
  sum: '∑',
  prod: '∏',
  int: '∫',
  oint: '∮',
  in: '∈',
  notin: '∉',
  ni: '∋',
  subset: '⊂',
  subseteq: '⊆',
  supset: '⊃',
  supseteq: '⊇',
  cup: '∪',
  cap: '∩',
  setminus: '∖',
  emptyset: '∅',
  varnothing: '∅',
  forall: '∀',
  exists: '∃',
  neg: '¬',
  lnot: '¬',
  wedge: '∧',
  land: '∧',
  vee: '∨',
  lor: '∨',
  otimes: '⊗',
  oplus: '⊕',
  odot: '⊙',
  prime: '′',
  ast: '∗',
  star: '⋆',
  circ: '∘',
  bullet: '•',
  langle: '⟨',
  rangle: '⟩',
  hbar: 'ℏ',
  ell: 'ℓ',
  Re: 'ℜ',
  Im: 'ℑ',
  aleph: 'ℵ',
  wp: '℘',
  perp: '⊥',
  parallel: '∥',
  mid: '|',
  vert: '|',
  Vert: '‖',
  colon: ':',
  degree: '°',
  circledast: '⊛',
  dagger: '†',
  surd: '√',
  sqrt: '√',
  angle: '∠',
  triangle: '△',
  Box: '□',
  square: '□',
  diamond: '⋄',
  lfloor: '⌊',
  rfloor: '⌋',
  lceil: '⌈',
  rceil: '⌉',
  backslash: '\\',
  lbrace: '{',
  rbrace: '}',
  quad: ' ',
  qquad: ' ',
  textbackslash: '\\',
};

/** The SYMBOLS that are letters of a word, not signs. */
const LETTERS = new Set('l L o O ss SS ae AE oe OE aa AA i j dh DH th TH ng NG dj DJ'.split(' '));

/** Named functions written upright in math: `\log x` reads `log x`. */
const FUNCTIONS = new Set([
  'log',
  'ln',
  'exp',
  'sin',
  'cos',
  'tan',
  'cot',
  'sec',
  'csc',
  'sinh',
  'cosh',
  'tanh',
  'arcsin',
  'arccos',
  'arctan',
  'max',
  'min',
  'sup',
  'inf',
  'lim',
  'liminf',
  'limsup',
  'det',
  'dim',
  'ker',
  'deg',
  'gcd',
  'arg',
  'Pr',
  'tr',
  'Tr',
  'mod',
  'bmod',
  'pmod',
]);

/** Commands whose argument is shown as it is: fonts, emphasis, boxes. */
const UNWRAP = new Set([
  'textit',
  'textbf',
  'textsc',
  'texttt',
  'textrm',
  'textsf',
  'textup',
  'textsl',
  'textnormal',
  'textmd',
  'emph',
  'text',
  'mbox',
  'hbox',
  'mathbf',
  'mathrm',
  'mathit',
  'mathsf',
  'mathtt',
  'mathcal',
  'mathscr',
  'mathfrak',
  'mathnormal',
  'boldsymbol',
  'bm',
  'pmb',
  'operatorname',
  'underline',
  'uline',
  'overline',
  'textsuperscript',
  'ensuremath',
  'url',
  'mathring',
]);
/** Declarations and spacing that have no text of their own: `{\em X}` reads `X`. */
const DROP = new Set([
  'em',
  'it',
  'bf',
  'rm',
  'sc',
  'tt',
  'sf',
  'sl',
  'up',
  'normalfont',
  'itshape',
  'bfseries',
  'scshape',
  'ttfamily',
  'rmfamily',
  'sffamily',
  'upshape',
  'mdseries',
  'displaystyle',
  'textstyle',
  'scriptstyle',
  'left',
  'right',
  'big',
  'Big',
  'bigg',
  'Bigg',
  'bigl',
  'bigr',
  'Bigl',
  'Bigr',
  'biggl',
  'biggr',
  'limits',
  'nolimits',
  'noindent',
  'relax',
  'protect',
  'nobreak',
  'xspace',
  'boldmath',
  'unboldmath',
  'tiny',
  'small',
  'large',
  'Large',
  'LARGE',
  'huge',
  'Huge',
  'footnotesize',
  'normalsize',
  'scriptsize',
]);

const BLACKBOARD: Record<string, string> = { C: 'ℂ', H: 'ℍ', N: 'ℕ', P: 'ℙ', Q: 'ℚ', R: 'ℝ', Z: 'ℤ' };

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
  '+': '⁺',
  '-': '⁻',
  '−': '⁻',
  '=': '⁼',
  '(': '⁽',
  ')': '⁾',
  n: 'ⁿ',
  i: 'ⁱ',
  '*': '*',
  '′': '′',
};
const SUBSCRIPT: Record<string, string> = {
  '0': '₀',
  '1': '₁',
  '2': '₂',
  '3': '₃',
  '4': '₄',
  '5': '₅',
  '6': '₆',
  '7': '₇',
  '8': '₈',
  '9': '₉',
  '+': '₊',
  '-': '₋',
  '−': '₋',
  '=': '₌',
  '(': '₍',
  ')': '₎',
  a: 'ₐ',
  e: 'ₑ',
  o: 'ₒ',
  x: 'ₓ',
  h: 'ₕ',
  k: 'ₖ',
  l: 'ₗ',
  m: 'ₘ',
  n: 'ₙ',
  p: 'ₚ',
  s: 'ₛ',
  t: 'ₜ',
  i: 'ᵢ',
  j: 'ⱼ',
  r: 'ᵣ',
  u: 'ᵤ',
  v: 'ᵥ',
};

/** Escaped characters: `\&` is `&`; `\,` and friends are (thin) spaces. */
const ESCAPED: Record<string, string> = {
  '&': '&',
  '%': '%',
  $: '$',
  '#': '#',
  _: '_',
  '{': '{',
  '}': '}',
  ' ': ' ',
  ',': ' ',
  ';': ' ',
  ':': ' ',
  '!': '',
  '/': '',
  '-': '',
  '\\': ' ',
  '@': '',
};

/** Deeper nesting than this is not TeX anyone types; its braces are dropped flat. */
const MAX_DEPTH = 32;

const NEEDS_WORK = /[\\${}~^_]|``|''/;

/** Plain, readable text from TeX. Text without TeX comes back unchanged. */
export function texToPlain(input: string): string {
  if (!NEEDS_WORK.test(input)) return input;
  try {
    const p = new TexScanner(input);
    return p.run().normalize('NFC');
  } catch {
    // Unreachable by design; a display helper must still never take a sync down.
    return input;
  }
}

class TexScanner {
  private i = 0;
  /** Where scanning stops: the end of the text, or the closing dollar of a math span. */
  private end: number;
  /**
   * Just after the closing `$` of the last inline span: a `$$` there is that span's neighbour
   * opening (`0$\leq$$b$$\leq$10` is three spans), not display math.
   */
  private inlineEnd = -1;
  constructor(private readonly s: string) {
    this.end = s.length;
  }

  run(): string {
    return this.sequence(false, 0, false);
  }

  /** Reads until the end, or a closing brace when `group`; `math` inside `$...$`. */
  private sequence(group: boolean, depth: number, math: boolean): string {
    const s = this.s;
    let out = '';
    while (this.i < this.end) {
      const c = s[this.i]!;
      if (c === '}') {
        this.i++;
        if (group) return out;
        continue; // a stray closing brace: dropped
      }
      if (c === '{') {
        this.i++;
        out += depth < MAX_DEPTH ? this.sequence(true, depth + 1, math) : '';
        continue;
      }
      if (c === '\\') {
        out += this.command(depth, math);
        continue;
      }
      if (c === '$' && !math) {
        const m = this.math(depth);
        if (m !== null) {
          out += m;
          continue;
        }
        out += '$';
        this.i++;
        continue;
      }
      if (c === '$' && math) return out; // the end of this math span (the caller consumes it)
      if (math && (c === '^' || c === '_')) {
        this.i++;
        out += this.script(c, depth);
        continue;
      }
      if (!math && (c === '`' || c === "'") && s[this.i + 1] === c) {
        out += c === '`' ? '“' : '”';
        this.i += 2;
        continue;
      }
      if (c === '~' && tie(s, this.i)) {
        // A tie (`Fig.~1`) is a space; `~10%` and `/~user` are not TeX.
        out += ' ';
        this.i++;
        continue;
      }
      out += c;
      this.i++;
    }
    return out;
  }

  /**
   * `$...$` (or `$$...$$`) when it is math as pandoc tells it: the opening `$` is followed
   * by a non-space and the closing one preceded by a non-space and not followed by a digit,
   * so prose such as "costs $5 and $10" stays as it is. Null when this `$` opens nothing.
   */
  private math(depth: number): string | null {
    const s = this.s;
    const display = s[this.i + 1] === '$' && this.i !== this.inlineEnd;
    const open = this.i + (display ? 2 : 1);
    const close = findClose(s, open, display, this.end);
    if (close < 0) return null;
    const end = this.i;
    this.i = open;
    const body = this.sequenceUntil(close, depth);
    this.i = close + (display ? 2 : 1);
    if (!display) this.inlineEnd = this.i;
    return end === this.i ? '' : body;
  }

  private sequenceUntil(close: number, depth: number): string {
    const end = this.end;
    this.end = close;
    const out = this.sequence(false, depth, true);
    this.end = end;
    return out;
  }

  /**
   * `^x`, `^{...}`, `_x`, `_{...}`: Unicode super/subscripts where all characters have one.
   * An asymmetric uncertainty (`0.67^{+0.20}_{-0.19}`, either order) reads `0.67 +0.20/-0.19`.
   */
  private script(kind: '^' | '_', depth: number): string {
    const arg = this.argument(depth, true);
    if (arg === '') return '';
    const other = kind === '^' ? '_' : '^';
    if (SIGNED.test(arg) && this.s[this.i] === other && this.i < this.end) {
      const at = this.i;
      this.i++;
      const second = this.argument(depth, true);
      if (SIGNED.test(second)) return kind === '^' ? ` ${arg}/${second}` : ` ${second}/${arg}`;
      this.i = at;
    }
    const table = kind === '^' ? SUPERSCRIPT : SUBSCRIPT;
    let mapped = '';
    for (const ch of arg) {
      const m = table[ch];
      if (m === undefined) {
        mapped = '';
        break;
      }
      mapped += m;
    }
    if (mapped) return mapped;
    return [...arg].length === 1 ? kind + arg : `${kind}(${arg})`;
  }

  /** One argument: a group's text, a command's text, or the next character. */
  private argument(depth: number, math: boolean): string {
    const s = this.s;
    while (this.i < this.end && (s[this.i] === ' ' || s[this.i] === '\n')) this.i++;
    if (this.i >= this.end) return '';
    const c = s[this.i]!;
    if (c === '{') {
      this.i++;
      return depth < MAX_DEPTH ? this.sequence(true, depth + 1, math) : '';
    }
    if (c === '\\') return this.command(depth, math);
    if (c === '}' || c === '$') return '';
    // One code point, surrogate pairs included.
    const cp = s.codePointAt(this.i)!;
    const ch = String.fromCodePoint(cp);
    this.i += ch.length;
    return ch;
  }

  private command(depth: number, math: boolean): string {
    const s = this.s;
    this.i++; // the backslash
    if (this.i >= this.end) return '\\';
    const c = s[this.i]!;
    if (!/[A-Za-z]/.test(c)) {
      this.i++;
      if (c in ACCENTS) return accent(this.argument(depth, math), ACCENTS[c]!);
      if (c === '(' || c === '[') return this.inlineMath(c === '(' ? '\\)' : '\\]', depth);
      if (c in ESCAPED) return ESCAPED[c]!;
      return c;
    }
    let j = this.i;
    while (j < this.end && /[A-Za-z]/.test(s[j]!)) j++;
    const name = s.slice(this.i, j);
    this.i = j;
    // A control word eats the spaces after it (`\l aw` is `ław`) but `\l{}` keeps none.
    const skipSpace = () => {
      while (this.i < this.end && s[this.i] === ' ') this.i++;
      if (this.i + 1 < this.end && s.startsWith('{}', this.i)) this.i += 2;
    };
    if (name.length === 1 && name in ACCENTS) {
      return accent(this.argument(depth, math), ACCENTS[name]!);
    }
    if (name in MATH_ACCENTS) return accent(this.argument(depth, math), MATH_ACCENTS[name]!);
    if (name === 'mathbb' || name === 'mathds' || name === 'mathbbm') {
      const arg = this.argument(depth, math);
      return [...arg].map((ch) => BLACKBOARD[ch] ?? ch).join('');
    }
    if (name === 'sqrt') {
      if (s[this.i] === '[') {
        const close = s.indexOf(']', this.i);
        if (close > 0) this.i = close + 1;
      }
      const arg = this.argument(depth, math);
      return [...arg].length > 1 ? `√(${arg})` : `√${arg}`;
    }
    if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
      const a = this.argument(depth, math);
      const b = this.argument(depth, math);
      return `${wrap(a)}/${wrap(b)}`;
    }
    if (UNWRAP.has(name)) return this.argument(depth, math);
    if (name === 'unicode') {
      // MathJax's \unicode{x2013} (hex) or \unicode{8211}: that character.
      const at = this.i;
      const arg = this.argument(depth, math).trim();
      const m = /^(?:x|U\+|0x)([0-9a-f]{1,6})$/i.exec(arg) ?? /^()(\d{1,7})$/.exec(arg);
      const cp = m ? parseInt(m[2] ?? m[1]!, m[2] !== undefined ? 10 : 16) : Number.NaN;
      if (cp > 0x1f && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) && !(cp >= 0x7f && cp < 0xa0)) {
        return String.fromCodePoint(cp);
      }
      this.i = at;
    }
    if (name in SYMBOLS) {
      // Letters join the word they are in (`\l aw` is `ław`); a math symbol keeps its space.
      if (LETTERS.has(name) || s.startsWith('{}', this.i)) skipSpace();
      return SYMBOLS[name]!;
    }
    if (FUNCTIONS.has(name)) return name;
    if (DROP.has(name)) {
      skipSpace();
      return '';
    }
    // Unknown: kept as it was typed, so the reader sees what the author wrote.
    if (s[this.i] === '{' && this.i < this.end && depth < MAX_DEPTH) {
      this.i++;
      return `\\${name}{${this.sequence(true, depth + 1, math)}}`;
    }
    return '\\' + name;
  }

  private inlineMath(end: string, depth: number): string {
    const close = this.s.indexOf(end, this.i);
    if (close < 0) return end === '\\)' ? '(' : '[';
    const out = this.sequenceUntil(close, depth);
    this.i = close + 2;
    return out;
  }
}

/** A signed number: one half of an asymmetric uncertainty. */
const SIGNED = /^[+\-−]\s*\d/;

function tie(s: string, i: number): boolean {
  const before = s[i - 1];
  const after = s[i + 1];
  return before !== undefined && after !== undefined && !/[\s/]/.test(before) && !/\s/.test(after);
}

function accent(arg: string, mark: string): string {
  if (!arg) return '';
  const cp = arg.codePointAt(0)!;
  const first = String.fromCodePoint(cp);
  // `\"{\i}`: the dotless i takes the accent as a plain i would.
  const base = first === 'ı' ? 'i' : first === 'ȷ' ? 'j' : first;
  return base + mark + arg.slice(first.length);
}

function wrap(s: string): string {
  return /^[\p{L}\p{N}]+$/u.test(s) ? s : `(${s})`;
}

/** The index of the `$` (or `$$`) that closes math opened before `from`, or -1. */
function findClose(s: string, from: number, display: boolean, end: number): number {
  const first = s[from];
  if (first === undefined || (!display && (first === ' ' || first === '\n' || first === '$'))) return -1;
  for (let k = from; k < end; k++) {
    const c = s[k];
    if (c === '\\') {
      k++;
      continue;
    }
    if (c !== '$') continue;
    if (display) return s[k + 1] === '$' ? k : -1;
    const before = s[k - 1];
    if (before === ' ' || before === '\n') return -1;
    // "costs $5 and $10" is prose; `$\leq$10` (a command inside) is math before a number.
    if (/\d/.test(s[k + 1] ?? '') && !/[\\^_{]/.test(s.slice(from, k))) return -1;
    return k;
  }
  return -1;
}
