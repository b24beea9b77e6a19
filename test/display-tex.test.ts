// Issue 11.7: titles with simple LaTeX markup read as plain text in the terminal, in
// Markdown, CSV, feeds and digests; --json keeps the title as stored, BibTeX a valid form.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeEntries } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const TITLE = '$\\textit{Voila}$: Fast \\textsc{Lumos} with \\emph{H$^{2}$O} Caches';
const PLAIN = 'Voila: Fast Lumos with H²O Caches';
let home = '';

beforeAll(async () => {
  home = tempHome();
  const entries = makeEntries('2025-04-02', 1);
  entries[0]!.title = entries[0]!.paper.title = TITLE;
  const file = join(mkdtempSync(join(tmpdir(), 'papers-tex-')), '2025-04-02.json');
  writeFileSync(file, JSON.stringify(entries));
  expect((await runCli(['import', file], { home, now: '2025-04-03T00:00:00Z' })).exitCode).toBe(0);
});

const out = async (...argv: string[]) => (await runCli(argv, { home, now: '2025-04-03T00:00:00Z' })).stdout;

describe('a title with LaTeX markup', () => {
  it('is plain text in list, show, Markdown, CSV and Atom', async () => {
    expect((await out('list')).split('\t')[3]).toBe(`${PLAIN}\n`);
    expect(await out('show', '2504.10000')).toContain(`title\t${PLAIN}\n`);
    expect(await out('export')).toContain(`[${PLAIN}](`);
    expect(await out('export', '-f', 'csv')).toContain(`,${PLAIN},`);
    expect(await out('export', '-f', 'atom')).toContain(`<title type="text">${PLAIN}</title>`);
  });

  it('is kept as stored in --json, and as TeX (escaped, valid) in BibTeX', async () => {
    expect(JSON.parse(await out('list', '--json'))[0].title).toBe(TITLE);
    const bib = await out('export', '-f', 'bibtex');
    expect(bib).toMatch(/title = \{\{.*Voila.*\}\}/);
  });
});
