// The arXiv parsers on the real bodies (../shared/arxiv-samples): feeds, the query API and
// OAI-PMH pages to exact records; authors, ids, errors, truncation and non-XML bodies.
import { describe, expect, it } from 'vitest';
import { NetworkError, ParseError, UsageError } from '../src/errors.js';
import { canonicalId, parsePaperId, versionedId } from '../src/ids.js';
import { parseApiFeed } from '../src/sources/arxiv/api.js';
import { splitAuthors } from '../src/sources/arxiv/authors.js';
import { FeedQueryError, parseFeed } from '../src/sources/arxiv/feed.js';
import { OaiError, parseOaiPage } from '../src/sources/arxiv/oai.js';
import { parseXml } from '../src/sources/arxiv/xml.js';
import type { PaperRecord } from '../src/sources/types.js';
import { readArxivSample } from './helpers/arxiv.js';

const WHOLE_DAY = 'rss/all-archives_2024-11-28_whole-day.xml';
const NO_HF = {
  upvotes: 0,
  comments: null,
  aiSummary: null,
  aiKeywords: [],
  githubRepo: null,
  githubStars: null,
  projectPage: null,
  organization: null,
  submitter: null,
};
const CC_BY = 'http://creativecommons.org/licenses/by/4.0/';
const ARXIV_NX = 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/';

/** The raw an item keeps: its own element, as it came. */
const rawOf = (tag: string, id: string) =>
  expect.stringMatching(new RegExp(`^<${tag}>[\\s\\S]*${id.replace('.', '\\.')}[\\s\\S]*</${tag}>$`));
const byId = (entries: PaperRecord[], id: string) => entries.find((e) => e.id === id);

describe('parseFeed: the RSS announcement feed', () => {
  const feed = parseFeed(readArxivSample(WHOLE_DAY), WHOLE_DAY);

  it('the whole-arXiv day: its announcement day, every item, the types in their counts', () => {
    expect(feed.day).toBe('2024-11-28');
    expect(feed.builtAt).toBe('Thu, 28 Nov 2024 14:47:20 +0000');
    expect(feed.entries).toHaveLength(1504);
    expect(feed.skipped).toBe(0);
    const types: Record<string, number> = {};
    for (const e of feed.entries) types[e.listingType!] = (types[e.listingType!] ?? 0) + 1;
    expect(types).toEqual({ new: 926, cross: 9, replace: 569 });
  });

  it('items to exact records: new, cross, replace with DOI and journal reference, TeX', () => {
    expect(byId(feed.entries, '2304.12975')).toEqual({
      ...NO_HF,
      id: '2304.12975',
      title: 'Fluctuations of random Motzkin paths II',
      abstract:
        'We compute limit fluctuations of random Motzkin paths with arbitrary end-points as the length of the path tends to infinity.',
      authors: ['Wlodzimierz Bryc', 'Yizao Wang'],
      publishedAt: null,
      listingType: 'replace',
      arxiv: {
        version: 3,
        categories: ['math.PR'],
        doi: '10.30757/ALEA.v21-04',
        journalRef: 'ALEA, Lat. Am. J. Probab. Math. Stat. 21, 73-94 (2024)',
        comments: null,
        license: CC_BY,
      },
      raw: rawOf('item', '2304.12975v3'),
    });
    expect(byId(feed.entries, '2411.15345')).toEqual({
      ...NO_HF,
      id: '2411.15345',
      title: 'Nil 3-manifolds and cusps of complex hyperbolic surfaces',
      abstract:
        'McReynolds showed that every compact Nil 3-manifold occurs as the cusp cross-section of some arithmetic complex hyperbolic 2-manifold. We classify which commensurability classes of cusped, arithmetic, complex hyperbolic 2-manifolds admit cusps with cross-section homeomorphic to a given compact Nil 3-manifold. In particular, there are some Nil 3-manifolds which occur as cusps in every such commensurability class, and some which only occur in a single commensurability class. We also show that every compact Nil 3-manifold occurs as the cusp cross-section of some non-arithmetic complex hyperbolic 2-manifold.',
      authors: ['Julien Paupert', 'Connor Sell'],
      publishedAt: null,
      listingType: 'cross',
      arxiv: {
        version: 1,
        categories: ['math.GT', 'math.DG', 'math.GR'],
        doi: null,
        journalRef: null,
        comments: null,
        license: ARXIV_NX,
      },
      raw: rawOf('item', '2411.15345v1'),
    });
    expect(byId(feed.entries, '2411.18469')).toEqual({
      ...NO_HF,
      id: '2411.18469',
      title: 'Thermodynamics of f(R) Theories',
      abstract:
        'This series of three lectures was presented at “Escola de Cosmologia e Gravitação" https://cosmosecontexto.org.br/ecg-inscricoes and webcast at https://shorturl.at/2ZSI7 -- in Portuguese, but slides in English. We will go through a brief review on f(R) theories (in the metric approach) and the usual requirements for successful modifications of General Relativity. Then we will open a large parenthesis to talk about a non-standard approach to Phase Transitions: the Catastrophe Theory. Finally, we will connect the previous lectures to introduce a new Thermodynamic interpretation of f(R) theories.',
      authors: ['Sergio E. Jorás'],
      publishedAt: null,
      listingType: 'new',
      arxiv: {
        version: 1,
        categories: ['gr-qc', 'hep-th'],
        doi: null,
        journalRef: null,
        comments: null,
        license: CC_BY,
      },
      raw: rawOf('item', '2411.18469v1'),
    });
    // the raw is the item itself, byte for byte
    const body = readArxivSample(WHOLE_DAY);
    expect(body).toContain(byId(feed.entries, '2411.18469')!.raw);
  });

  it('4-digit ids of old replacements, versions from the guid', () => {
    expect(byId(feed.entries, '1401.3665')).toMatchObject({ listingType: 'replace', arxiv: { version: 4 } });
  });

  it('dc:creator: affiliations with commas and "and", TeX, leading spaces, collaborations', () => {
    const yan = feed.entries.find((e) => e.authors[0] === 'Tianliang Yan')!;
    expect(yan.authors).toEqual([
      'Tianliang Yan',
      'Yubao Liu',
      'Leonid Prokhorov',
      'Jiri Smetana',
      'Haixing Miao',
      'Yiqiu Ma',
      'Vincent Boyer',
      'Denis Martynov',
    ]);
    expect(byId(feed.entries, '2411.17709')!.authors).toEqual([
      'Martyna Poziomska',
      'Marian Dovgialo',
      'Przemysław Olbratowski',
      'Paweł Niedbalski',
      'Paweł Ogniewski',
      'Joanna Zych',
      'Jacek Rogala',
      'Jarosław Żygierewicz',
    ]);
    const nova = byId(feed.entries, '2403.07266')!;
    expect(nova.authors.slice(0, 3)).toEqual(['NOvA Collaboration', 'M. A. Acero', 'B. Acharya']);
    expect(nova.authors).toHaveLength(207); // 206 commas
    expect(feed.entries.some((e) => e.authors.includes('CMS Collaboration'))).toBe(true);
    for (const e of feed.entries) for (const a of e.authors) expect(a).toBe(a.trim());
  });

  it('splitAuthors: arXivRaw "and", suffixes, nested parentheses', () => {
    expect(
      splitAuthors(
        'Robert H. Brandenberger (McGill), Keshav Dasgupta (McGill) and\n  Anne-Christine Davis (DAMTP, Cambridge)',
      ),
    ).toEqual(['Robert H. Brandenberger', 'Keshav Dasgupta', 'Anne-Christine Davis']);
    expect(splitAuthors('John Smith, Jr., Ann Lee (Dept. of X (Y), Z and W), and Bo Li')).toEqual([
      'John Smith Jr.',
      'Ann Lee',
      'Bo Li',
    ]);
    expect(splitAuthors(' ATLAS Collaboration')).toEqual(['ATLAS Collaboration']);
    expect(splitAuthors('')).toEqual([]);
  });

  it('a combined feed of 2026: new, cross, replace with their categories, primary first', () => {
    const f = parseFeed(readArxivSample('rss/cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24_4items.xml'), 'x');
    expect(f.day).toBe('2026-09-24');
    expect(f.entries.map((e) => [e.id, e.listingType, e.arxiv!.version, e.arxiv!.categories])).toEqual([
      ['2609.26811', 'new', 1, ['cs.LG']],
      ['2609.26820', 'new', 1, ['cs.LG', 'cs.AI']],
      ['2205.06398', 'cross', 2, ['stat.ME', 'stat.AP', 'stat.ML']],
      ['2009.13987', 'replace', 3, ['cs.LG', 'math.MG', 'stat.ML']],
    ]);
  });

  it('an empty channel is a day with no announcement', () => {
    expect(parseFeed(readArxivSample('rss/empty-channel_category-test_2024-11-28.xml'), 'x')).toEqual({
      day: '2024-11-28',
      entries: [],
      skipped: 0,
      builtAt: 'Thu, 28 Nov 2024 17:23:08 +0000',
    });
  });

  it('Atom: the day from published (summer offset), DOI and journal reference', () => {
    const f = parseFeed(readArxivSample('atom-feed/cs.LG_2026-09-25_3entries-abstracts-cut.xml'), 'x');
    expect(f.day).toBe('2026-09-25');
    expect(f.entries.map((e) => [e.id, e.listingType, e.arxiv!.version, e.arxiv!.doi])).toEqual([
      ['2609.28553', 'new', 1, '10.1109/MAPR72750.2026.11685822'],
      ['2402.10149', 'cross', 3, '10.1103/PhysRevD.111.032004'],
      ['2401.08875', 'replace', 3, null],
    ]);
    expect(f.entries[0]!.raw).toMatch(/^<entry>[\s\S]*<\/entry>$/);
  });

  it('a truncated feed is a ParseError, not a short day', () => {
    expect(() => parseFeed(readArxivSample('atom-feed/cs.AI_2025-08-20_truncated.xml'), 'u')).toThrow(/truncated/);
    const body = readArxivSample(WHOLE_DAY);
    expect(() => parseFeed(body.slice(0, body.length / 2), 'u')).toThrow(ParseError);
  });

  it('the error feed (HTTP 400) is a usage error that names the bad category', () => {
    const body = `<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" version="2.0"><channel>
<title>Feed error for query: http://rss.arxiv.org/rss/xyz</title><link>http://rss.arxiv.org/rss/xyz</link>
<description>Bad archive 'xyz'. Valid archive names are: astro-ph, cond-mat, cs</description>
<managingEditor>rss-help.arxiv.org</managingEditor></channel></rss>`;
    expect(() => parseFeed(body, 'u')).toThrow(FeedQueryError);
    expect(() => parseFeed(body, 'u')).toThrow(/Bad archive 'xyz'/);
    expect(new FeedQueryError('x')).toBeInstanceOf(UsageError);
  });

  it('bodies that are not XML are ParseErrors that say what came', () => {
    expect(() => parseFeed('<h1>Retry after 20 seconds</h1>', 'u')).toThrow(/HTML page/);
    expect(() => parseFeed('rss requires a category', 'u')).toThrow(/not XML/);
    expect(() => parseFeed('', 'u')).toThrow(/empty body/);
    expect(() => parseFeed('{"items": []}', 'u')).toThrow(ParseError);
    expect(() => parseFeed('<a><b></a>', 'u')).toThrow(ParseError);
  });
});

describe('xml', () => {
  it('entities, CDATA, comments; no entity expansion from a doctype', () => {
    const r = parseXml(
      '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><!-- c --><x a=\'1 &amp; 2\'>&lt;&#233;&#x4e2d;&e;<![CDATA[<raw>]]></x>',
      'u',
    );
    expect(r.attrs).toEqual({ a: '1 & 2' });
    expect(r.children).toEqual(['<é中&e;', '<raw>']);
  });
});

describe('parseApiFeed: the query API in both formats', () => {
  it('old format (2021): wrapped text, namespaces on each element, DOI and journal reference', () => {
    const p = parseApiFeed(readArxivSample('api/api-2021-03-25_id_list=hep-ex_0307015.xml'), 'u');
    expect(p).toEqual({
      total: 1,
      start: 0,
      perPage: 10,
      skipped: 0,
      entries: [
        {
          ...NO_HF,
          id: 'hep-ex/0307015',
          title: 'Multi-Electron Production at High Transverse Momenta in ep Collisions at HERA',
          abstract:
            'Multi-electron production is studied at high electron transverse momentum in positron- and electron-proton collisions using the H1 detector at HERA. The data correspond to an integrated luminosity of 115 pb-1. Di-electron and tri-electron event yields are measured. Cross sections are derived in a restricted phase space region dominated by photon-photon collisions. In general good agreement is found with the Standard Model predictions. However, for electron pair invariant masses above 100 GeV, three di-electron events and three tri-electron events are observed, compared to Standard Model expectations of 0.30 ± 0.04 and 0.23 ± 0.04, respectively.',
          authors: ['H1 Collaboration'],
          publishedAt: '2003-07-07T17:46:39.000Z',
          arxiv: {
            version: 1,
            categories: ['hep-ex'],
            doi: '10.1140/epjc/s2003-01326-x',
            journalRef: 'Eur.Phys.J.C31:17-29,2003',
            comments: '23 pages, 8 figures and 4 tables',
            license: null,
          },
          raw: rawOf('entry', 'hep-ex/0307015v1'),
        },
      ],
    });
  });

  it('new format (2026): an old-style id with its version, primary category first', () => {
    const p = parseApiFeed(readArxivSample('api/api-2026_id_quant-ph_0201082v1_s0_m100_86989fe779ef.xml'), 'u');
    expect(p.entries).toEqual([
      {
        ...NO_HF,
        id: 'quant-ph/0201082',
        title: 'Quantum Computers and Quantum Computer Languages: Quantum Assembly Language and Quantum C Language',
        abstract:
          'We show a representation of Quantum Computers defines Quantum Turing Machines with associated Quantum Grammars. We then create examples of Quantum Grammars. Lastly we develop an algebraic approach to high level Quantum Languages using Quantum Assembly language and Quantum C language as examples.',
        authors: ['Stephen Blaha'],
        publishedAt: '2002-01-18T15:08:05.000Z',
        arxiv: {
          version: 1,
          categories: ['quant-ph', 'cs.PL'],
          doi: null,
          journalRef: null,
          comments: '32 pages',
          license: null,
        },
        raw: rawOf('entry', 'quant-ph/0201082v1'),
      },
    ]);
  });

  it('an unknown id is a 200 without entries; a mixed list drops it', () => {
    expect(parseApiFeed(readArxivSample('api/api-2026_id_0000.0000_s0_m100_8b51d9633a68.xml'), 'u')).toEqual({
      entries: [],
      total: 0,
      start: 0,
      perPage: 100,
      skipped: 0,
    });
    const mixed = parseApiFeed(readArxivSample('api/api-2026_id_0808.05394_1707.08567_s0_m100_42e5aa0ec3af.xml'), 'u');
    expect(mixed.entries.map((e) => e.id)).toEqual(['1707.08567']);
  });

  it('a search page: 50 entries, the total of the whole query', () => {
    const p = parseApiFeed(readArxivSample('api/api-2026-02-01_submittedDate-range_50.xml'), 'u');
    expect([p.entries.length, p.total, p.start, p.perPage]).toEqual([50, 96778, 0, 50]);
  });

  it('the error entry is an upstream error with its message', () => {
    const body = `<?xml version='1.0' encoding='UTF-8'?><feed xmlns="http://www.w3.org/2005/Atom"><id>x</id>
<entry><id>https://arxiv.org/api/errors#incorrect_id_format_for_abc</id><title>Error</title>
<summary>incorrect id format for abc</summary><author><name>arXiv api core</name></author></entry></feed>`;
    expect(() => parseApiFeed(body, 'u')).toThrow(NetworkError);
    expect(() => parseApiFeed(body, 'u')).toThrow(/incorrect id format for abc/);
  });
});

describe('parseOaiPage: ListRecords pages', () => {
  it('arXivRaw: versions, the v1 day, authors split on "and", the token and its cursor', () => {
    const p = parseOaiPage(readArxivSample('oai/oai2-2014-01-16_ListRecords_arXivRaw_1000rec_2104191.xml'), 'u');
    expect([p.records.length, p.skipped, p.token, p.cursor, p.completeListSize, p.responseDate]).toEqual([
      1000,
      0,
      '496549|47001',
      46000,
      907096,
      '2014-01-16T10:33:29Z',
    ]);
    const r = p.records.find((x) => x.record.id === '0801.3674')!;
    expect(r.firstDay).toBe('2008-01-23');
    expect(r.datestamp).toBe('2008-11-26');
    expect(r.record).toMatchObject({
      title: 'A Study of Structure Formation and Reheating in the D3/D7 Brane Inflation Model',
      authors: ['Robert H. Brandenberger', 'Keshav Dasgupta', 'Anne-Christine Davis'],
      publishedAt: '2008-01-23T21:13:53.000Z',
      listingType: 'submitted',
      arxiv: {
        version: 4,
        categories: ['hep-th', 'astro-ph', 'gr-qc', 'hep-ph'],
        doi: '10.1103/PhysRevD.78.083502',
        journalRef: 'Phys.Rev.D78:083502,2008',
        license: ARXIV_NX,
        comments:
          'Some sections expanded, typos corrected and references added. Final version to appear in Phys. Rev. D',
      },
    });
  });

  it('arXiv format: split names, the created day; the last page has an empty token with attributes', () => {
    const p = parseOaiPage(readArxivSample('oai/oai2-2016-03-09_ListRecords_arXiv_set-cs_page002.xml'), 'u');
    expect(p.token).toBe('1122234|2001');
    expect(p.records[0]).toEqual({
      firstDay: '2007-08-19',
      datestamp: '2011-06-07',
      record: {
        ...NO_HF,
        id: '0708.2575',
        title: 'Rateless Coding for Gaussian Channels',
        abstract: expect.stringMatching(
          /^A rateless code-i\.e\., a rate-compatible family .* no a priori stochastic model\.$/,
        ),
        authors: ['Uri Erez', 'Mitchell D. Trott', 'Gregory W. Wornell'],
        publishedAt: '2007-08-19T00:00:00.000Z',
        listingType: 'submitted',
        arxiv: {
          version: null,
          categories: ['cs.IT', 'math.IT'],
          doi: null,
          journalRef: null,
          comments: '18 pages',
          license: ARXIV_NX,
        },
        raw: expect.stringMatching(/^<arXiv [\s\S]*<\/arXiv>$/),
      },
    });
    const last =
      '<?xml version="1.0"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2016-03-09T04:10:00Z</responseDate><ListRecords>' +
      '<record><header><identifier>oai:arXiv.org:0708.2575</identifier><datestamp>2011-06-07</datestamp></header><metadata>' +
      '<arXiv><id>0708.2575</id><created>2007-08-19</created><title>T</title></arXiv></metadata></record>' +
      '<resumptionToken cursor="102000" completeListSize="102538"></resumptionToken></ListRecords></OAI-PMH>';
    expect(parseOaiPage(last, 'u')).toMatchObject({ token: null, cursor: 102000 });
  });

  it('a one-page result has no token; noRecordsMatch is an empty harvest', () => {
    expect(
      parseOaiPage(readArxivSample('oai/oai2-2018-06-21_ListRecords_arXiv_2015-01-01..03_single-page.xml'), 'u'),
    ).toMatchObject({ token: null });
    const none =
      "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>2025-01-01T00:00:00Z</responseDate><error code='noRecordsMatch'>no records</error></OAI-PMH>";
    expect(parseOaiPage(none, 'u').records).toEqual([]);
  });

  it('an expired token and other OAI errors are thrown with their code', () => {
    const bad =
      "<OAI-PMH xmlns='http://www.openarchives.org/OAI/2.0/'><responseDate>x</responseDate><error code='badResumptionToken'>The value of the resumptionToken argument is invalid or expired. Reason: expired</error></OAI-PMH>";
    let err: unknown;
    try {
      parseOaiPage(bad, 'u');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OaiError);
    expect((err as OaiError).code).toBe('badResumptionToken');
  });

  it('oai_dc pages (not what papers asks for) are refused, not read as empty', () => {
    expect(() =>
      parseOaiPage(readArxivSample('oai/oai2-2015-04-24_ListRecords_oai_dc_2014-12-24..25_single-page.xml'), 'u'),
    ).toThrow(/arXivRaw/);
  });
});

describe('ids', () => {
  it.each([
    ['2411.17700v3', '2411.17700', 3],
    ['oai:arXiv.org:2411.17700v1', '2411.17700', 1],
    ['http://arxiv.org/abs/hep-ex/0307015v1', 'hep-ex/0307015', 1],
    ['hep-th/9901001', 'hep-th/9901001', null],
    ['math.AG/0309136', 'math/0309136', null],
    ['arxiv.org/abs/math.AG/0309136v2', 'math/0309136', 2],
    ['1401.3665', '1401.3665', null],
    ['q-bio/0509018v2', 'q-bio/0509018', 2],
  ])('%s', (input, id, version) => {
    expect(versionedId(input)).toEqual({ id, version });
    expect(canonicalId(input)).toBe(id);
  });

  it('old-style ids that cannot exist are usage errors', () => {
    expect(parsePaperId('hep-th/9901001')).toBe('hep-th/9901001');
    expect(() => parsePaperId('hep-th/9913001')).toThrow(UsageError);
    expect(() => parsePaperId('hep-th/0801001')).toThrow(UsageError); // old style ended in March 2007
  });
});
