// The hf-daily parsers: fixture bodies of every era to exact records; bad bodies to
// the errors that say what went wrong; the HTML page's props, not its decoys.
import { describe, expect, it } from 'vitest';
import { NetworkError, ParseError } from '../src/errors.js';
import { hfDaily } from '../src/sources/hf-adapter.js';
import { parseApiBody, parseEntries, parseEntry } from '../src/sources/hf-daily.js';
import { parseHtmlPage } from '../src/sources/hf-page.js';
import type { PaperRecord } from '../src/sources/types.js';
import { fixtureEntries, makeEntries, readFixture } from './helpers/fixtures.js';

const NONE = {
  aiSummary: null,
  aiKeywords: [],
  githubRepo: null,
  githubStars: null,
  projectPage: null,
  organization: null,
  submitter: null,
};

function parseFixture(name: string) {
  return parseApiBody(readFixture(name), name);
}

/** What `raw` must hold: the entry as it came (compact JSON, key order kept). */
function raws(name: string): string[] {
  return fixtureEntries(name).map((e) => JSON.stringify(e));
}

describe('parseApiBody: each era to exact records', () => {
  it('2024-03..06: thin entries, LaTeX titles, arXiv wraps, | and non-ASCII', () => {
    const raw = raws('2024-05-28.json');
    expect(parseFixture('2024-05-28.json')).toEqual({
      skipped: 0,
      entries: [
        {
          ...NONE,
          id: '2405.18321',
          // the top-level title, LaTeX and all
          title: '$\\textit{Quill-LoRA}$: Data-free Transfer of Parameter-Efficient Adapters Across Base Models',
          abstract:
            'Low-rank adapters are tied to the base model they were trained on. We show that an adapter can be moved to a new base model without the original data, using the $\\nabla^2$ curvature of the loss | a cheap proxy computed from synthetic prompts. Quill-LoRA matches retrained adapters on 9 of 11 tasks.',
          authors: ['Ines Okafor', 'Tomás Rivera', 'Wei Zhang'],
          publishedAt: '2024-05-27T17:59:02.000Z',
          upvotes: 41,
          comments: 2,
          raw: raw[0],
        },
        {
          ...NONE,
          id: '2405.17702',
          title: '$μ$Former | Tiny Transformers for Sensor Streams',
          abstract: 'We present $μ$Former, a 90k-parameter transformer for microcontrollers.',
          authors: ['Jürgen Wöhler', 'Aiko Tanaka'],
          publishedAt: '2024-05-27T11:20:45.000Z',
          upvotes: 7,
          comments: 0,
          raw: raw[1],
        },
      ],
    });
  });

  it('2024-06+: thumbnail, mediaUrls, submittedBy', () => {
    const raw = raws('2024-06-13.json');
    expect(parseFixture('2024-06-13.json')).toEqual({
      skipped: 0,
      entries: [
        {
          ...NONE,
          id: '2406.08117',
          title: 'Skim Before You Read: Token Pruning for Long-Context Retrieval Augmented Generation',
          abstract:
            'Long contexts make retrieval-augmented generation slow. We prune tokens before the first layer using a 30M-parameter skimmer and keep 97% of the accuracy at a quarter of the cost.',
          authors: ['Priya Raman', 'Olumide Adeyemi'],
          publishedAt: '2024-06-11T16:02:33.000Z',
          upvotes: 18,
          comments: 1,
          submitter: 'praman',
          raw: raw[0],
        },
        {
          ...NONE,
          id: '2406.07790',
          title: 'Hearing the "Thud": Audio-Visual Contact Detection',
          abstract: 'We detect contact events from sound and video together.',
          authors: ['Mateus "Teo" Lima'],
          publishedAt: '2024-06-11T02:45:00.000Z',
          upvotes: 4,
          comments: 0,
          raw: raw[1],
        },
      ],
    });
  });

  it('2025-03+: submittedOnDaily*, projectPage, githubRepo, ai_keywords, top-level summary', () => {
    const raw = raws('2025-03-17.json');
    expect(parseFixture('2025-03-17.json')).toEqual({
      skipped: 0,
      entries: [
        {
          id: '2503.11002',
          title: 'Open-Mill 1.0: Training a Commercial-Grade Video Model for $150k',
          abstract:
            'We train a video generation model that rivals commercial systems for $150k of compute. Data curation, a two-stage schedule and a compressed latent space do most of the work.',
          authors: ['Lena Fischer', 'Kofi Mensah', 'Yuki Sato', 'Ana Costa'],
          publishedAt: '2025-03-14T17:58:40.000Z',
          upvotes: 57,
          comments: 4,
          aiSummary: null,
          aiKeywords: ['video generation', 'data curation', 'latent space', 'two-stage training'],
          githubRepo: 'https://github.com/open-mill/open-mill',
          githubStars: null,
          projectPage: 'https://open-mill.example.org/',
          organization: null,
          submitter: 'lfischer',
          raw: raw[0],
        },
        {
          ...NONE,
          id: '2503.10515',
          title: 'Agents That Ask: Clarifying Questions for Web Tasks',
          abstract: 'Web agents fail silently on ambiguous instructions. We teach them to ask.',
          authors: ['Omar Haddad'],
          publishedAt: '2025-03-13T09:12:00.000Z',
          upvotes: 12,
          comments: 1,
          aiKeywords: ['web agents', 'clarifying questions'],
          submitter: 'ohaddad',
          raw: raw[1],
        },
      ],
    });
  });

  it('2025-05+: ai_summary', () => {
    const [rec] = parseFixture('2025-05-22.json').entries;
    expect(rec).toEqual({
      ...NONE,
      id: '2505.15210',
      title: 'Fixing 6,100 Bugs for 2$: Cheap Crash-Site Program Repair',
      abstract:
        'Automated program repair is expensive. We repair crashes at the crash site with a small model, for two dollars in total.',
      authors: ['Chidi Okonkwo', 'Marta Nowak'],
      publishedAt: '2025-05-21T14:00:07.000Z',
      upvotes: 15,
      comments: 2,
      aiSummary: 'A small model repairs crashes where they happen, cheaply and at scale.',
      aiKeywords: ['automated program repair', 'crash site'],
      submitter: 'mnowak',
      raw: raws('2025-05-22.json')[0],
    });
  });

  it('2025-06: githubStars (0 included), a githubRepo with an embedded newline', () => {
    const raw = raws('2025-06-25.json');
    expect(parseFixture('2025-06-25.json').entries).toEqual([
      {
        id: '2506.19033',
        title: 'Puppeteer: Animating Any 3D Mesh with Joint Video-Pose Diffusion',
        abstract: 'We animate arbitrary meshes by denoising video and pose together.',
        authors: ['Ravi Iyer'],
        publishedAt: '2025-06-24T17:59:58.000Z',
        upvotes: 21,
        comments: 1,
        aiSummary: 'Joint video-pose diffusion animates any 3D mesh from a text prompt.',
        aiKeywords: ['video diffusion models', 'pose maps', '3D animation'],
        githubRepo: 'https://github.com/puppeteer-3d/puppeteer',
        githubStars: 312,
        projectPage: 'https://puppeteer-3d.example.io/',
        organization: null,
        submitter: 'riyer',
        raw: raw[0],
      },
      {
        id: '2506.18800',
        title: 'Sparse Mixture of Tokenizers',
        abstract: 'Different inputs want different tokenizers; we route between them.',
        authors: ['Elif Demir'],
        publishedAt: '2025-06-23T08:00:00.000Z',
        upvotes: 3,
        comments: 0,
        // upstream sometimes copies the abstract into ai_summary: kept as sent
        aiSummary: 'Different inputs want different tokenizers; we route between them.',
        aiKeywords: ['tokenizer', 'mixture of experts'],
        githubRepo: 'https://github.com/edemir/smot',
        githubStars: 0,
        projectPage: null,
        organization: null,
        submitter: 'edemir',
        raw: raw[1],
      },
    ]);
  });

  it('2025-10+: top-level organization', () => {
    const [rec] = parseFixture('2025-10-14.json').entries;
    expect(rec).toEqual({
      id: '2510.11342',
      title: 'Speculative Decoding with Draft Trees That Learn When to Stop',
      abstract:
        'Draft trees waste compute on branches that will be rejected. A learned stopping rule cuts that waste by 40%.',
      authors: ['Noor Al-Sayed', 'Björn Eriksson'],
      publishedAt: '2025-10-13T13:45:00.000Z',
      upvotes: 33,
      comments: 5,
      aiSummary: 'A learned stopping rule makes speculative decoding draft trees 40% cheaper.',
      aiKeywords: ['speculative decoding', 'draft trees', 'early stopping'],
      githubRepo: 'https://github.com/example-lab/stop-tree',
      githubStars: 57,
      projectPage: null,
      organization: 'Example Lab',
      submitter: 'noor',
      raw: raws('2025-10-14.json')[0],
    });
  });

  it('2026: ai_summary_model and unknown fields are ignored, raw keeps them', () => {
    const raw = raws('2026-01-15.json');
    const parsed = parseFixture('2026-01-15.json');
    expect(parsed).toEqual({
      skipped: 0,
      entries: [
        {
          id: '2601.08721',
          title: 'TÜLU-Vision: Open Recipes for Multimodal Post-Training',
          abstract:
            'We release data, code and checkpoints for post-training vision-language models, and show which stages matter.',
          authors: ['Gabriel Silva', 'Zanele Dlamini', 'Hidden Author'],
          publishedAt: '2026-01-13T18:59:59.000Z',
          upvotes: 88,
          comments: 7,
          aiSummary: 'Open post-training recipes for vision-language models, with an ablation of each stage.',
          aiKeywords: ['post-training', 'vision-language models', 'open recipes'],
          githubRepo: 'https://github.com/example/tulu-vision',
          githubStars: 1204,
          projectPage: 'https://tulu-vision.example.org',
          organization: 'Example AI',
          submitter: 'gsilva',
          raw: raw[0],
        },
        {
          ...NONE,
          id: '2601.09004',
          title: 'A Note on Withdrawn Results',
          abstract: 'We withdraw the results of an earlier paper.',
          authors: ['Ilya Petrov'],
          publishedAt: '2026-01-14T10:00:00.000Z',
          upvotes: 2,
          comments: 0,
          aiSummary: 'The authors withdraw earlier results.',
          submitter: 'ipetrov',
          raw: raw[1],
        },
      ],
    });
    expect(JSON.parse(parsed.entries[0]!.raw).aNewFieldFrom2026).toEqual({ nested: [1, 2, 3] });
  });

  it('an empty day is an empty list, not an error', () => {
    expect(parseFixture('2024-06-15.json')).toEqual({ entries: [], skipped: 0 });
  });

  it('entries without an id or a title are skipped and counted', () => {
    const parsed = parseFixture('2024-07-01.json');
    expect(parsed.skipped).toBe(2);
    expect(parsed.entries.map((e) => e.id)).toEqual(['2406.19999']);
  });

  it('a list in which no entry is usable is a changed format, not an empty day', () => {
    const body = JSON.stringify([{ paper: { title: 'x' } }, { foo: 1 }, 'nope']);
    expect(() => parseApiBody(body, 'http://h/api')).toThrow(ParseError);
    expect(() => parseApiBody(body, 'http://h/api')).toThrow(
      /none of the 3 entries from http:\/\/h\/api .*format looks changed/,
    );
  });

  it('the same paper twice in one list is kept once, at its first rank', () => {
    const [a, b] = fixtureEntries('2025-03-17.json');
    const parsed = parseEntries([a, b, { ...a, title: 'again' }], 'x');
    expect(parsed.entries.map((e) => [e.id, e.title])).toEqual([
      ['2503.11002', 'Open-Mill 1.0: Training a Commercial-Grade Video Model for $150k'],
      ['2503.10515', 'Agents That Ask: Clarifying Questions for Web Tasks'],
    ]);
  });

  it('falls back to paper.title and paper.upvotes; strips a version suffix from the id', () => {
    const rec = parseEntry({
      paper: { id: '2401.00001v3', title: 'Only\n  In Paper', summary: 's', upvotes: 3, authors: [] },
    }) as PaperRecord;
    expect(rec).toMatchObject({ id: '2401.00001', title: 'Only In Paper', upvotes: 3, comments: null, authors: [] });
  });
});

describe('parseApiBody: bodies that are not a day', () => {
  it('truncated JSON', () => {
    expect(() => parseFixture('malformed/truncated.json')).toThrow(ParseError);
    expect(() => parseFixture('malformed/truncated.json')).toThrow(/did not return valid JSON \(truncated\?\)/);
  });

  it('an HTML error page', () => {
    expect(() => parseFixture('malformed/error-page.html')).toThrow(/did not return valid JSON \(got an HTML page\)/);
  });

  it('JSON that is not a list', () => {
    expect(() => parseFixture('malformed/not-array.json')).toThrow(ParseError);
    expect(() => parseFixture('malformed/not-array.json')).toThrow(/did not return a list of papers/);
  });

  it('an {"error": ...} body names the error', () => {
    let err: unknown;
    try {
      parseFixture('malformed/error.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as Error).message).toBe(
      'malformed/error.json answered with an error: Invalid request: the date parameter must be a valid date',
    );
  });
});

describe('parseHtmlPage', () => {
  it('reads the DailyPapers props (entity-encoded), not the decoys, and the day they name', async () => {
    const html = readFixture('papers-page.html');
    const parsed = await parseHtmlPage(html, 'papers-page.html');
    expect(parsed.day).toBe('2024-08-01');
    expect(parsed.skipped).toBe(0);
    expect(parsed.entries).toEqual([
      {
        ...NONE,
        id: '2407.21770',
        title: 'Q&A <Bench>: It\'s "Harder" Than It Looks',
        abstract: 'Question answering benchmarks saturate. Ours does not: the best model scores 31%.',
        authors: ['Mei Lin', 'Diego Fernández'],
        publishedAt: '2024-07-31T17:59:50.000Z',
        upvotes: 29,
        comments: 3,
        submitter: 'meilin',
        raw: expect.any(String),
      },
      {
        ...NONE,
        id: '2407.21018',
        title: 'Small Models, Long Memories',
        abstract: 'A 1B model with a 1M-token memory.',
        authors: ['Kwame Boateng'],
        publishedAt: '2024-07-30T12:00:00.000Z',
        upvotes: 11,
        comments: 0,
        submitter: 'kboateng',
        raw: expect.any(String),
      },
    ]);
    // raw is the entry from the props, decoded, upvoted flag and all
    expect(JSON.parse(parsed.entries[0]!.raw)).toMatchObject({
      upvoted: false,
      paper: { discussionId: '66ab0a02f1e2d3c4b5a697a0' },
    });
  });

  it('a page without the DailyPapers element is a changed layout', async () => {
    await expect(parseHtmlPage(readFixture('malformed/error-page.html'), 'p.html')).rejects.toThrow(
      /no DailyPapers element in p\.html/,
    );
  });

  it('props that are not JSON, or lack dailyPapers, are a changed layout', async () => {
    const bad = '<div data-target="DailyPapers" data-props="{&quot;dailyPapers&quot;:[{"></div>';
    await expect(parseHtmlPage(bad, 'x')).rejects.toThrow(ParseError);
    const noList = '<div data-target="DailyPapers" data-props="{&quot;papers&quot;:[]}"></div>';
    await expect(parseHtmlPage(noList, 'x')).rejects.toThrow(/has no dailyPapers list/);
  });
});

describe('parseSaved: JSON or HTML by content', () => {
  it('dispatches on the body', async () => {
    expect((await hfDaily.parseSaved(readFixture('2025-03-17.json'), 'a.json')).entries).toHaveLength(2);
    const page = await hfDaily.parseSaved(readFixture('papers-page.html'), 'a.html');
    expect([page.day, page.entries.length]).toEqual(['2024-08-01', 2]);
  });
});

describe('the generated big day', () => {
  it('parses to as many records as entries, in order', () => {
    const entries = makeEntries('2025-02-03', 250);
    const parsed = parseEntries(entries, 'gen');
    expect(parsed.skipped).toBe(0);
    expect(parsed.entries).toHaveLength(250);
    expect(new Set(parsed.entries.map((e) => e.id)).size).toBe(250);
    expect(parsed.entries[0]).toMatchObject({
      id: '2502.10000',
      title: 'Generated Paper 0 on 2025-02-03: A Study of Item 0',
      upvotes: 250,
    });
  });
});
