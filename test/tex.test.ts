// texToPlain: the TeX arXiv titles and names carry, to readable text; total and linear.
import { describe, expect, it } from 'vitest';
import { texToPlain } from '../src/tex.js';
import { readArxivSample } from './helpers/arxiv.js';

describe('texToPlain', () => {
  it.each([
    ['Przemys{\\l}aw', 'Przemysław'],
    ['Schr\\"odinger', 'Schrödinger'],
    ["{\\'e}t\\'e", 'été'],
    ['Fran\\c{c}ois', 'François'],
    ['Stra\\ss e', 'Straße'],
    ['\\.Zygierewicz', 'Żygierewicz'],
    ['Erd\\H{o}s', 'Erdős'],
    ["N\\'u\\~nez", 'Núñez'],
    ["Garc\\'{\\i}a", 'García'],
    ['P\\\'{o}lya-Szeg\\"{o}', 'Pólya-Szegö'],
    ['T\\^etu', 'Têtu'],
    ['Tu\\u{g}fe', 'Tuğfe'],
    ['Sk{\\o}rup', 'Skørup'],
    ['Zi\\k{e}ba', 'Zięba'],
    ['\\v{S}imon', 'Šimon'],
    ['Nebul{\\ae}', 'Nebulæ'],
    ['\\textit{Quill} \\emph{x} \\textsc{Y} \\textbf{b} {\\em e}', 'Quill x Y b e'],
    ['$\\mathbf{v}$ and $\\mathrm{d}x$', 'v and dx'],
    ['$H^3$Fusion: x', 'H³Fusion: x'],
    ['$^{2}$', '²'],
    ['Ta$_2$NiSe$_5$', 'Ta₂NiSe₅'],
    ['$^{12}$C(0$^+_2$)', '¹²C(0⁺₂)'],
    ['$\\mathbb{R}^3$', 'ℝ³'],
    ['{\\Lambda}CDM', 'ΛCDM'],
    ['$C^{1+\\alpha}$', 'C^(1+α)'],
    ['$D_{(s)}^{+}\\rightarrow\\pi^{+}\\pi^{-}$', 'D₍ₛ₎⁺→π⁺π⁻'],
    ['$X_{\\rm max}$', 'Xₘₐₓ'],
    ['$\\chi_{cJ}$', 'χ_(cJ)'],
    ['$t\\bar{t}$', 'tt̄'],
    ['$\\frac{1}{2}$ and $\\sqrt{s}=13$', '1/2 and √s=13'],
    ['$\\textrm{Ba}_{1-x}$', 'Ba₁₋ₓ'],
    ['SoK: Attributes \\& Preferences', 'SoK: Attributes & Preferences'],
    ['Fig.~1, ~10% and example.org/~user', 'Fig. 1, ~10% and example.org/~user'],
    // prose dollars are not math
    ['costs $5 and $10', 'costs $5 and $10'],
    // unknown commands stay as typed
    ['\\foo{bar} and \\baz', '\\foo{bar} and \\baz'],
    ['plain text, no TeX', 'plain text, no TeX'],
  ])('%s', (tex, plain) => {
    expect(texToPlain(tex)).toBe(plain);
  });

  it('never throws, on broken and deeply nested input too', () => {
    for (const s of [
      '{',
      '}',
      '\\',
      '$',
      '$$',
      '\\"',
      '\\c',
      '$^',
      '$_{',
      '{'.repeat(10_000),
      '\\frac',
      '\\sqrt[',
      '\\(x',
    ]) {
      expect(typeof texToPlain(s)).toBe('string');
    }
    // 50k math spans: a scan that re-read the text per span would not finish in the test's time.
    expect(texToPlain('$a$ \\"o {x} '.repeat(50_000))).toBe('a ö x '.repeat(50_000));
  });

  it('every title and creator of the whole-arXiv day comes out without accent commands', () => {
    const body = readArxivSample('rss/all-archives_2024-11-28_whole-day.xml');
    const names = [...body.matchAll(/<dc:creator>([^<]*)<\/dc:creator>/g)].map((m) => m[1]!);
    expect(names.length).toBe(1504);
    for (const n of names) expect(texToPlain(n)).not.toMatch(/\\['"`^~=.cvuHk]|\{\\[a-zA-Z]+\}/);
  });
});
