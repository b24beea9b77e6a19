// BibTeX exports cannot attack the reader (issue 15.6) and stay linear (15.3): `$...$` and
// backslash commands in remote text never reach a .bib file as a command, checked with a
// BibTeX parser and with `bibtex` itself (Debian's texlive-binaries; CI installs it), and
// 100k colliding keys are handed out in linear work.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import bibtexParse from 'bibtex-parse';
import { describe, expect, it } from 'vitest';
import { bibText, KeyAllocator, renderBibtex } from '../src/render/bibtex.js';
import { makePaper } from './helpers/paper.js';
import { BIBTEX, requireProgram } from './helpers/system-tools.js';

const ATTACKS = [
  '$\\input{/etc/hostname}$',
  '$$\\input{/etc/passwd}$$',
  '\\immediate\\write18{touch /tmp/pwned}',
  '$\\immediate\\write18{id}$',
  '$\\text{\\input{x}}$',
  '$^^5cinput{/etc/hostname}$',
  '$x^^5c$',
  '$\\csname input\\endcsname{x}$',
  '$\\def\\x{\\input}\\x{y}$',
  '$\\\\input{z}$',
  '\\include{secret} $\\catcode`\\^^M=13$',
  '$\\openout1=x.tex$ \\openin $\\read16 to\\x$',
];

// A command TeX would run: a backslash (or `^^5c`) followed by a letter. Our own
// `\textbackslash{}`-style escapes are the only commands allowed outside kept math.
const OURS = /\\(?:textbackslash|textbraceleft|textbraceright|textasciitilde|textasciicircum)\{\}/g;
const DANGEROUS = /\\(?:input|include|write|immediate|openout|openin|read|csname|def|catcode)|\^\^/;

describe('no TeX command from remote text', () => {
  it('attacks are escaped: the backslash and ^^ are text, nothing runs', () => {
    for (const a of ATTACKS) {
      const out = bibText(`Title ${a} end`);
      expect([a, DANGEROUS.test(out.replace(OURS, ' '))]).toEqual([a, false]);
    }
    expect(bibText('$\\input{/etc/hostname}$')).toBe(
      '\\$\\textbackslash{}input\\textbraceleft{}/etc/hostname\\textbraceright{}\\$',
    );
  });

  it('safe math is kept as written', () => {
    expect(bibText('$\\mathcal{O}(n^2)$ and $\\alpha$-$\\beta$ $\\text{SOTA}_{\\leq 5}$')).toBe(
      '$\\mathcal{O}(n^2)$ and $\\alpha$-$\\beta$ $\\text{SOTA}_{\\leq 5}$',
    );
  });

  it('a real BibTeX parser reads every attack back as one entry with the escaped text', () => {
    const papers = ATTACKS.map((a, i) => makePaper(`2501.0000${i}`, { title: `T ${a}`, abstract: a, authors: [a] }));
    const bib = [...renderBibtex(papers)].join('');
    const items = bibtexParse.parse(bib) as { itemtype: string; fields?: { name: string; value: string }[] }[];
    const entries = items.filter((x) => x.itemtype === 'entry');
    expect(entries).toHaveLength(ATTACKS.length);
    for (const e of entries) {
      for (const f of e.fields!)
        expect([f.name, DANGEROUS.test(String(f.value).replace(OURS, ' '))]).toEqual([f.name, false]);
    }
  });

  it('bibtex itself reads the file without an error, and its .bbl runs no command', (ctx) => {
    requireProgram(ctx, BIBTEX);
    const dir = mkdtempSync(join(tmpdir(), 'papers-bibtex-'));
    const papers = ATTACKS.map((a, i) =>
      makePaper(`2501.0000${i}`, { title: `T ${a}`, abstract: a, authors: [a, 'Ada Lovelace'] }),
    );
    writeFileSync(join(dir, 'refs.bib'), [...renderBibtex(papers)].join(''));
    writeFileSync(join(dir, 'doc.aux'), '\\citation{*}\n\\bibdata{refs}\n\\bibstyle{dump}\n');
    // A minimal style (texlive-base's plain.bst is not needed): every field, verbatim.
    writeFileSync(
      join(dir, 'dump.bst'),
      `ENTRY { title author abstract eprint } {} {}
FUNCTION {out} { duplicate$ empty$ 'pop$ { write$ newline$ } if$ }
FUNCTION {misc} { "\\bibitem{" cite$ * "}" * write$ newline$ title out author out abstract out eprint out }
FUNCTION {default.type} { misc }
READ
ITERATE {call.type$}
`,
    );
    const r = spawnSync('bibtex', ['doc'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, BSTINPUTS: dir, BIBINPUTS: dir },
    });
    const log = readFileSync(join(dir, 'doc.blg'), 'utf8');
    expect(r.status, `${r.stdout}\n${log}`).toBe(0);
    const bbl = readFileSync(join(dir, 'doc.bbl'), 'utf8');
    expect(bbl.match(/\\bibitem\{/g)).toHaveLength(ATTACKS.length);
    expect(DANGEROUS.test(bbl.replace(OURS, ' '))).toBe(false);
  });
});

describe('keys', () => {
  it('100k colliding keys cost linear look-ups, and are the keys of a scan from `a`', () => {
    let lookups = 0;
    class Counting extends Set<string> {
      override has(k: string): boolean {
        lookups++;
        return super.has(k);
      }
    }
    const keys = new KeyAllocator(new Counting());
    const got: string[] = [];
    for (let i = 0; i < 100_000; i++) got.push(keys.next('smith2025x'));
    expect(new Set(got).size).toBe(100_000);
    expect(got.slice(0, 3)).toEqual(['smith2025x', 'smith2025xa', 'smith2025xb']);
    expect(got[27]).toBe('smith2025xaa');
    expect(lookups).toBeLessThanOrEqual(3 * 100_000);
    // Another base after them: one look-up.
    lookups = 0;
    expect(keys.next('jones2025y')).toBe('jones2025y');
    expect(lookups).toBe(1);
  });
});
