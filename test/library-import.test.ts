// library import: BibTeX (Zotero, JabRef, Google Scholar) and CSL-JSON (Zotero, Better
// BibTeX) exports in their real shapes, matched by arXiv id, DOI and title.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importLibrary, listLibrary, normalizeTitle } from '../src/core/library.js';
import { openDb, type DB } from '../src/db/open.js';
import { saveDay } from '../src/db/store.js';
import { ParseError } from '../src/errors.js';
import { parseApiBody } from '../src/sources/hf-daily.js';
import { parseLibrary, sniffLibraryFormat } from '../src/sources/library-import.js';
import { ROOT } from './helpers/fixtures.js';
import { tempHome } from './helpers/run-cli.js';
import { saveHfDay } from './helpers/paper.js';

const DIR = join(ROOT, 'fixtures', 'library');
const fixture = (name: string) => join(DIR, name);
const body = (name: string) => readFileSync(fixture(name), 'utf8');
const NOW = () => new Date('2025-07-01T10:00:00.000Z');

function archive(): DB {
  const db = openDb(join(tempHome(), 'papers.db'));
  const entries = parseApiBody(body('2024-06-03.json'), '2024-06-03').entries;
  saveHfDay(db, '2024-06-03', entries, '2025-07-01T00:00:00.000Z');
  return db;
}

const counts = (r: { entries: number; matched: unknown[]; fetchable: unknown[]; notArxiv: unknown[] }) => [
  r.entries,
  r.matched.length,
  r.fetchable.length,
  r.notArxiv.length,
];

describe('parseLibrary', () => {
  it('Zotero BibTeX: ids from url, number and the arXiv DOI; other DOIs kept; LaTeX braces gone', async () => {
    const lib = await parseLibrary(body('zotero.bib'), 'zotero.bib');
    expect(lib.format).toBe('bibtex');
    expect(lib.errors).toEqual([]);
    expect(lib.items).toEqual([
      {
        key: 'hu_lora_2021',
        title: 'LoRA: Low-Rank Adaptation of Large Language Models',
        arxivId: '2106.09685',
        arxivFrom: 'url',
        doi: '10.48550/arxiv.2106.09685',
        // Zotero's tags (here arXiv's subjects, which Zotero adds): starred with them (issue 22.8).
        keywords: [
          'Computer Science - Artificial Intelligence',
          'Computer Science - Computation and Language',
          'Computer Science - Machine Learning',
        ],
      },
      {
        key: 'rafailov_direct_2024',
        title: 'Direct Preference Optimization: Your Language Model is Secretly a Reward Model',
        arxivId: '2305.18290',
        arxivFrom: 'url',
        doi: '10.48550/arxiv.2305.18290',
        keywords: ['Computer Science - Machine Learning'],
      },
      {
        key: 'gu_mamba_2024',
        title: 'Mamba: Linear-Time Sequence Modeling with Selective State Spaces',
        arxivId: '2312.00752',
        arxivFrom: 'url',
        doi: null,
      },
      {
        key: 'leviathan_fast_2023',
        title: 'Fast Inference from Transformers via Speculative Decoding',
        arxivId: '2211.17192',
        arxivFrom: 'doi',
        doi: '10.48550/arxiv.2211.17192',
      },
      {
        key: 'dettmers_qlora_2023',
        title: 'QLoRA: Efficient Finetuning of Quantized LLMs',
        arxivId: null,
        arxivFrom: null,
        doi: null,
      },
      {
        key: 'touvron_llama_2023',
        title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models',
        arxivId: '2307.09288',
        arxivFrom: 'url',
        doi: '10.48550/arxiv.2307.09288',
      },
      {
        key: 'jumper_highly_2021',
        title: 'Highly accurate protein structure prediction with AlphaFold',
        arxivId: null,
        arxivFrom: null,
        doi: '10.1038/s41586-021-03819-2',
      },
      {
        key: 'sutton_reinforcement_2018',
        title: 'Reinforcement learning: an introduction',
        arxivId: null,
        arxivFrom: null,
        doi: null,
      },
    ]);
  });

  it('JabRef (eprint with a version, \\url in howpublished) and Google Scholar (arXiv preprint in journal)', async () => {
    const jab = await parseLibrary(body('jabref.bib'), 'jabref.bib');
    expect(jab.items.map((i) => [i.key, i.arxivId, i.arxivFrom])).toEqual([
      ['Vaswani2017', '1706.03762', 'eprint'],
      ['Jiang2024', '2401.04088', 'eprint'],
      ['Lightman2023', '2305.20050', 'howpublished'],
      ['Silver2016', null, null],
    ]);
    const gs = await parseLibrary(body('scholar.bib'), 'scholar.bib');
    expect(gs.items.map((i) => [i.key, i.title, i.arxivId, i.arxivFrom])).toEqual([
      ['hu2021lora', 'Lora: Low-rank adaptation of large language models', '2106.09685', 'journal'],
      [
        'shao2024deepseekmath',
        'Deepseekmath: Pushing the limits of mathematical reasoning in open language models',
        '2402.03300',
        'journal',
      ],
      ['vaswani2017attention', 'Attention is all you need', null, null],
      ['jiang2023mistral', 'Mistral 7B', '2310.06825', 'journal'],
      ['achiam2023gpt', 'Gpt-4 technical report', '2303.08774', 'journal'],
      ['lecun2015deep', 'Deep learning', null, null],
    ]);
  });

  it('CSL-JSON from Zotero and Better BibTeX: URL, DOI, number, note', async () => {
    const z = await parseLibrary(body('zotero-csl.json'), 'zotero-csl.json');
    expect(z.format).toBe('csl-json');
    expect(z.items.map((i) => [i.key.replace(/^.*\//, ''), i.arxivId, i.arxivFrom, i.doi])).toEqual([
      ['4JQ9G3ZV', '2312.00752', 'URL', '10.48550/arxiv.2312.00752'],
      ['ZP6B2M9A', '2211.17192', 'doi', '10.48550/arxiv.2211.17192'],
      ['QW2E8RT5', null, null, null],
      ['8UXK4P3C', '2404.14219', 'URL', '10.48550/arxiv.2404.14219'],
      ['T4X9VB2N', null, null, '10.1038/nature14539'],
    ]);
    const b = await parseLibrary(body('better-csl.json'), 'better-csl.json');
    expect(b.items.map((i) => [i.key, i.arxivId, i.arxivFrom])).toEqual([
      ['rafailovDirectPreferenceOptimization2024', '2305.18290', 'URL'],
      ['jiangMistral7B2023', '2310.06825', 'note'],
      ['shaoDeepSeekMathPushingLimits2024', null, null],
      ['suttonReinforcementLearningIntroduction2018', null, null],
    ]);
  });

  it('reports broken entries and items and keeps the rest', async () => {
    const bib = `@misc{ok, title = {A}, eprint = {2401.04088}, archivePrefix = {arXiv}}
@article{broken, title = {Unclosed, year = 2020
@misc{pubmed, title = {B}, eprint = {31234567}, eprinttype = {pubmed}}
@misc{old, title = {C}, eprint = {hep-th/9901001v2}}`;
    const lib = await parseLibrary(bib, 'x.bib');
    expect(lib.items.map((i) => [i.key, i.arxivId])).toEqual(
      expect.arrayContaining([
        ['ok', '2401.04088'],
        ['old', 'hep-th/9901001'],
      ]),
    );
    expect(lib.items.find((i) => i.key === 'pubmed')?.arxivId ?? null).toBeNull();
    expect(lib.items.some((i) => i.key === 'broken')).toBe(false);
    expect(lib.errors.length).toBeGreaterThan(0);

    const csl = await parseLibrary(
      '[{"id":"a","type":"article","URL":"https://arxiv.org/pdf/2401.04088v1.pdf"}, 7, {"id":"b"}, {"id":"c","type":"book","title":["x"]}]',
      'x.json',
    );
    expect(csl.items).toEqual([{ key: 'a', title: null, arxivId: '2401.04088', arxivFrom: 'URL', doi: null }]);
    expect(csl.errors).toEqual([
      'item 2: not a CSL item (an object with "id" and "type"): "7"',
      'item 3: not a CSL item (an object with "id" and "type"): "{\\"id\\":\\"b\\"}"',
      'item 4 ("c"): "title" is not text',
    ]);
  });

  it('refuses what is neither: JSON that is not CSL, broken JSON, text without entries', async () => {
    await expect(parseLibrary('{"title": "x"}', 'a.json')).rejects.toThrow(/not CSL-JSON/);
    await expect(parseLibrary('[{"id": 1,', 'a.json')).rejects.toBeInstanceOf(ParseError);
    await expect(parseLibrary('just some notes\n', 'notes.txt')).rejects.toThrow(/no @entry/);
    expect(sniffLibraryFormat(' [\n')).toBe('csl-json');
    expect(sniffLibraryFormat('% Encoding: UTF-8\n@misc{')).toBe('bibtex');
  });
});

describe('importLibrary', () => {
  it.each([
    ['zotero.bib', [8, 5, 1, 2]],
    ['jabref.bib', [4, 3, 0, 1]],
    ['scholar.bib', [6, 4, 1, 1]],
    ['zotero-csl.json', [5, 3, 1, 1]],
    ['better-csl.json', [4, 3, 0, 1]],
  ])('%s: matched / fetchable with papers add / not arXiv, as the file holds them', async (name, expected) => {
    const db = archive();
    const r = await importLibrary({ db, now: NOW }, fixture(name), { tags: ['imported'] });
    expect(counts(r)).toEqual(expected);
    expect(r.errors).toEqual([]);
    const lib = listLibrary(db, { tag: 'imported' });
    expect(lib.map((e) => e.id).sort()).toEqual([...new Set(r.matched.map((m) => m.id))].sort());
    expect(r.starred.length).toBe(lib.length);
    db.close();
  });

  it('matches by arXiv id, DOI and title, and names what papers add would fetch', async () => {
    const db = archive();
    const r = await importLibrary({ db, now: NOW }, fixture('zotero.bib'));
    expect(r.matched.map((m) => [m.key, m.id, m.by])).toEqual([
      ['hu_lora_2021', '2106.09685', 'url'],
      ['rafailov_direct_2024', '2305.18290', 'url'],
      ['gu_mamba_2024', '2312.00752', 'url'],
      ['leviathan_fast_2023', '2211.17192', 'doi'],
      ['dettmers_qlora_2023', '2305.14314', 'title'],
    ]);
    expect(r.fetchable).toEqual([
      {
        key: 'touvron_llama_2023',
        title: 'Llama 2: Open Foundation and Fine-Tuned Chat Models',
        id: '2307.09288',
        by: 'url',
      },
    ]);
    expect(r.notArxiv.map((m) => m.key)).toEqual(['jumper_highly_2021', 'sutton_reinforcement_2018']);
    expect(r.tags).toEqual([]);
    // Again: nothing new, the first star times kept.
    const again = await importLibrary({ db, now: () => new Date('2025-08-01T00:00:00.000Z') }, fixture('zotero.bib'), {
      tags: ['zotero'],
    });
    expect(again.starred).toEqual([]);
    expect(again.already).toHaveLength(5);
    expect(new Set(listLibrary(db).map((e) => e.starredAt))).toEqual(new Set([NOW().toISOString()]));
    expect(listLibrary(db, { tag: 'zotero' })).toHaveLength(5);
    db.close();
  });

  it('matches a journal DOI against the entries a source stored with their DOI', async () => {
    const db = archive();
    const rec = parseApiBody(body('2024-06-03.json'), 'x').entries[0]!;
    const withDoi = {
      ...rec,
      id: '2107.00001',
      title: 'Another title entirely',
      raw: JSON.stringify({ id: '2107.00001', doi: '10.1038/S41586-021-03819-2' }),
    };
    saveDay(db, {
      source: 'arxiv',
      day: '2024-06-04',
      entries: [withDoi],
      skipped: 0,
      requests: 1,
      via: 'api',
      now: '2025-07-01T00:00:00.000Z',
    });
    const r = await importLibrary({ db, now: NOW }, fixture('zotero.bib'));
    expect(r.matched.find((m) => m.key === 'jumper_highly_2021')).toEqual({
      key: 'jumper_highly_2021',
      title: 'Highly accurate protein structure prediction with AlphaFold',
      id: '2107.00001',
      by: 'doi',
    });
    db.close();
  });

  it('a file that cannot be read says why', async () => {
    const db = archive();
    await expect(importLibrary({ db, now: NOW }, join(DIR, 'missing.bib'))).rejects.toThrow(
      /cannot read .*missing\.bib: no such file/,
    );
    await expect(importLibrary({ db, now: NOW }, DIR)).rejects.toThrow(/is a folder/);
    const bom = join(tempHome(), 'bom.json');
    writeFileSync(bom, '\uFEFF' + body('better-csl.json'));
    expect(counts(await importLibrary({ db, now: NOW }, bom))).toEqual([4, 3, 0, 1]);
    db.close();
  });
});

describe('normalizeTitle', () => {
  it('folds case, accents, LaTeX commands and punctuation', () => {
    expect(normalizeTitle('{QLoRA}: Efficient  Finetuning of \\emph{Quantized} LLMs')).toBe(
      'qlora efficient finetuning of quantized llms',
    );
    expect(normalizeTitle('Müller–Lyer, revisited!')).toBe(normalizeTitle('muller lyer revisited'));
  });
});
