// BibTeX of papers arXiv described: primaryClass, the DOI, the year of the first version.
import { describe, expect, it } from 'vitest';
import { renderBibtexEntry } from '../src/render/bibtex.js';
import { makePaper } from './helpers/paper.js';

const fields = (s: string) =>
  Object.fromEntries([...s.matchAll(/^ {2}(\w+) = \{(.*)\},?$/gm)].map((m) => [m[1], m[2]]));

describe('BibTeX of arXiv papers', () => {
  it('old-style ids: the year from the id, the primary class, the DOI', () => {
    const p = makePaper('hep-th/9901001', {
      title: 'A title',
      authors: ['A. Author'],
      publishedAt: '2026-09-24T00:00:00.000Z',
      categories: ['hep-th', 'gr-qc'],
      primaryCategory: 'hep-th',
      doi: '10.1103/PhysRevD.78.083502',
    });
    expect(fields(renderBibtexEntry(p, 'k', { abstract: false }))).toMatchObject({
      year: '1999',
      eprint: 'hep-th/9901001',
      archivePrefix: 'arXiv',
      primaryClass: 'hep-th',
      doi: '10.1103/PhysRevD.78.083502',
    });
  });

  it('a DOI or class that could break the entry is left out; HF-only papers keep their year and have neither', () => {
    const bad = makePaper('2205.06398', {
      categories: ['stat.ME'],
      primaryCategory: 'stat.ME}',
      doi: '10.1/x}\\input',
    });
    const f = fields(renderBibtexEntry(bad, 'k', { abstract: false }));
    expect(f).not.toHaveProperty('doi');
    expect(f).not.toHaveProperty('primaryClass');
    expect(f.year).toBe('2022');
    const hf = makePaper('2205.06398', { publishedAt: '2023-01-02T00:00:00.000Z' });
    expect(fields(renderBibtexEntry(hf, 'k', { abstract: false }))).toMatchObject({ year: '2023' });
  });
});
