// Format drift: the hf-daily parsers against thousands of mutated real entries (read at
// run time from the shared hf-papers-samples; a missing folder fails), broken bodies and
// broken pages. A parser either returns records that each have an id and a title, or
// throws a ParseError / NetworkError about the whole body; never anything else. Through a
// real sync against the local server, a body of the wrong shape fails its day with a
// message that the format looks changed, and no paper without id and title is stored.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NetworkError, ParseError } from '../src/errors.js';
import { canonicalId } from '../src/ids.js';
import { parseApiBody, parseEntries, parseEntry } from '../src/sources/hf-daily.js';
import { parseHtmlPage } from '../src/sources/hf-page.js';
import type { ParsedDay, PaperRecord } from '../src/sources/types.js';
import { normalizeSpace } from '../src/text.js';
// @ts-ignore: a plain ESM helper without type declarations
import { escapeAttr } from '../kit/hf-server.mjs';
import {
  SHARED_DAILY,
  checkFts,
  query,
  stackLines,
  startHfServer,
  type Entry,
  type HfServer,
} from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

type Random = () => number;
/** A bound on the heavy tests: they parse thousands of entries, slower on a loaded 2-core machine. */
const HEAVY = 180_000;

function seeded(seed: number): Random {
  let x = seed;
  return () => (x = (x * 48271) % 2147483647) / 2147483647;
}
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const REAL: Entry[] = [];
const realByDay = new Map<string, Entry[]>();

beforeAll(() => {
  if (!existsSync(SHARED_DAILY)) throw new Error(`the real samples are missing: ${SHARED_DAILY}`);
  for (const f of readdirSync(SHARED_DAILY).sort()) {
    const m = /^(\d{4}-\d{2}-\d{2})\.json$/.exec(f);
    if (!m) continue;
    const entries = JSON.parse(readFileSync(join(SHARED_DAILY, f), 'utf8')) as Entry[];
    realByDay.set(m[1]!, entries);
    REAL.push(...entries);
  }
  expect(REAL.length).toBeGreaterThan(3000);
});

// ---- mutations ----

function nest(depth: number, leaf: unknown = 1, asArray = true): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { x: v };
  return v;
}

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\n\t ',
  '\u0000',
  '\ud800', // a lone surrogate
  '\udfff\ud800',
  '\ufffd\ufffd',
  '\u001b[31mred\u001b[0m\u001b]0;title\u0007\u202e',
  '2406.12345',
  '2406.12345v3',
  'https://arxiv.org/abs/2406.12345v2',
  'hep-th/9901001',
  '../../etc/passwd',
  'null',
  '[object Object]',
  'x'.repeat(70_000),
];

function wrongValue(r: Random): unknown {
  // Deep nesting is costly to build and to refuse: rarer than the rest.
  if (r() < 0.02) return nest(6_000 + Math.floor(r() * 4_000), 'deep', r() < 0.5);
  switch (Math.floor(r() * 12)) {
    case 0:
      return null;
    case 1:
      return pick(r, [0, -1, 1.5, 1e308, -0, 2 ** 53 + 1]);
    case 2:
      return pick(r, [true, false]);
    case 3:
      return [];
    case 4:
      return {};
    case 5:
      return pick(r, [[1, 2], ['a', null], [{}]]);
    case 6:
      return { id: '2406.00001', title: 'nested' };
    case 7:
      return pick(r, HOSTILE_STRINGS);
    case 8:
      return r() < 0.3 ? 'A'.repeat(200_000 + Math.floor(r() * 1000)) : 'B'.repeat(5_000);
    case 9:
      return pick(r, ['2024-13-45T99:99:99Z', 'yesterday', '1e400', `${'9'.repeat(400)}`]);
    case 10:
      return `${'\u0301'.repeat(50)}🚀${'\u202e'.repeat(3)}`;
    default:
      return undefined; // removed
  }
}

/** Every path into an entry (object keys and array indices), to depth 4. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (prefix.length >= 4 || typeof v !== 'object' || v === null) return out;
  for (const k of Array.isArray(v) ? v.keys() : Object.keys(v)) {
    const p = [...prefix, k];
    out.push(p);
    paths((v as Record<string | number, unknown>)[k], p, out);
  }
  return out;
}

function setPath(root: Record<string, unknown>, path: (string | number)[], value: unknown): void {
  let o = root as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (value === undefined) {
    if (Array.isArray(o)) o.splice(Number(last), 1);
    else delete o[last];
  } else o[last] = value;
}

/** A copy of `e` with one to four fields removed, retyped, nulled, bloated or nested deep. */
function mutate(e: Entry, r: Random): unknown {
  if (r() < 0.03) return wrongValue(r); // not an object at all
  const c = structuredClone(e) as Record<string, unknown>;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    // Aim at the fields that matter half of the time.
    const hot = [
      ['paper'],
      ['paper', 'id'],
      ['paper', 'title'],
      ['title'],
      ['paper', 'summary'],
      ['paper', 'authors'],
      ['paper', 'upvotes'],
      ['paper', 'publishedAt'],
      ['paper', 'ai_keywords'],
      ['paper', 'githubRepo'],
      ['organization'],
      ['submittedBy'],
    ];
    const all = paths(c);
    if (all.length === 0) break;
    const path = r() < 0.5 ? pick(r, hot) : pick(r, all);
    try {
      setPath(c, path, wrongValue(r));
    } catch {
      /* a parent was already replaced by a scalar */
    }
  }
  return c;
}

/**
 * JSON text of any value, however deep (JSON.stringify recurses and overflows on the
 * deep nesting the mutations make): an explicit stack instead of recursion.
 */
class Tok {
  constructor(readonly s: string) {}
}
function toJson(root: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (v instanceof Tok) out.push(v.s);
    else if (Array.isArray(v)) {
      out.push('[');
      stack.push(new Tok(']'));
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push(v[i] === undefined ? null : v[i]);
        if (i > 0) stack.push(new Tok(','));
      }
    } else if (typeof v === 'object' && v !== null) {
      out.push('{');
      stack.push(new Tok('}'));
      const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push((v as Record<string, unknown>)[keys[i]!]);
        stack.push(new Tok(`${JSON.stringify(keys[i])}:`));
        if (i > 0) stack.push(new Tok(','));
      }
    } else out.push(JSON.stringify(v) ?? 'null');
  }
  return out.join('');
}

/** A Daily Papers page in the real shape (see hf-server.mjs renderPage), for any entries. */
function pageOf(day: string, entries: unknown[]): string {
  const props = toJson({
    canSubmit: false,
    date: `${day}T00:00:00.000Z`,
    dailyPapers: entries,
    nextDate: null,
    prevDate: null,
  });
  return `<!doctype html><html><head><title>Daily Papers</title></head><body>
<div class="SVELTE_HYDRATER contents" data-target="MainHeader" data-props="{}"></div>
<main><div class="SVELTE_HYDRATER contents" data-target="DailyPapers" data-props="${escapeAttr(props)}"></div></main></body></html>`;
}

// ---- invariants ----

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function expectRecord(rec: PaperRecord): void {
  expect(typeof rec.id).toBe('string');
  expect(canonicalId(rec.id)).toBe(rec.id);
  expect(typeof rec.title).toBe('string');
  expect(rec.title.trim()).not.toBe('');
  expect(normalizeSpace(rec.title)).toBe(rec.title);
  expect(typeof rec.abstract).toBe('string');
  expect(Array.isArray(rec.authors) && rec.authors.every((a) => typeof a === 'string' && a.trim() !== '')).toBe(true);
  expect(rec.publishedAt === null || ISO.test(rec.publishedAt)).toBe(true);
  expect(Number.isSafeInteger(rec.upvotes) || (Number.isFinite(rec.upvotes) && rec.upvotes >= 0)).toBe(true);
  expect(rec.upvotes).toBeGreaterThanOrEqual(0);
  expect(rec.comments === null || (Number.isFinite(rec.comments) && rec.comments >= 0)).toBe(true);
  expect(rec.githubStars === null || (Number.isFinite(rec.githubStars) && rec.githubStars >= 0)).toBe(true);
  expect(rec.aiKeywords.every((k) => typeof k === 'string' && k !== '')).toBe(true);
  for (const u of [rec.githubRepo, rec.projectPage]) expect(u === null || /^https?:\/\/\S+$/i.test(u)).toBe(true);
  for (const s of [rec.aiSummary, rec.organization, rec.submitter])
    expect(s === null || (typeof s === 'string' && s !== '')).toBe(true);
  expect(typeof rec.raw).toBe('string');
  expect(typeof JSON.parse(rec.raw)).toBe('object');
}

/** Runs a parser on a whole body: records that hold up, or a whole-body error of ours. */
async function expectParsedOrRefused(fn: () => ParsedDay | Promise<ParsedDay>): Promise<'parsed' | 'refused'> {
  let out: ParsedDay;
  try {
    out = await fn();
  } catch (err) {
    if (!(err instanceof ParseError || err instanceof NetworkError)) throw err;
    return 'refused';
  }
  const ids = new Set<string>();
  for (const rec of out.entries) {
    expectRecord(rec);
    expect(ids.has(rec.id)).toBe(false);
    ids.add(rec.id);
  }
  expect(Number.isInteger(out.skipped) && out.skipped >= 0).toBe(true);
  return 'parsed';
}

describe('parseEntry over mutated real entries', () => {
  it(
    'two mutations of every real entry: never throws, never a record without an id and a title',
    () => {
      const r = seeded(1234);
      let usable = 0;
      let dropped = 0;
      for (const e of REAL) {
        for (let k = 0; k < 2; k++) {
          const m = mutate(e, r);
          let rec: PaperRecord | null;
          try {
            rec = parseEntry(m);
          } catch (err) {
            throw new Error(`parseEntry threw ${String(err)} on a mutation of ${e.paper?.id}`);
          }
          if (rec) {
            expectRecord(rec);
            usable++;
          } else dropped++;
        }
      }
      // The mutations reach both outcomes, in numbers.
      expect(usable).toBeGreaterThan(3_000);
      expect(dropped).toBeGreaterThan(500);
    },
    HEAVY,
  );

  it('an entry with a field nested 100,000 deep keeps its paper (the nesting is cut from the raw copy)', () => {
    const e = structuredClone(REAL[0]!);
    e.extra = nest(100_000);
    const rec = parseEntry(e);
    expect(rec?.id).toBe(canonicalId(String(REAL[0]!.paper.id)));
    expectRecord(rec!);
  });
});

describe('whole bodies', () => {
  it(
    'lists of mutated entries, as API bodies: records that hold up, or a ParseError',
    async () => {
      const r = seeded(99);
      const days = [...realByDay.values()];
      const outcomes = { parsed: 0, refused: 0 };
      for (let i = 0; i < 150; i++) {
        const base = pick(r, days);
        const mode = r();
        const list = mode < 0.2 ? base.map(() => wrongValue(r)) : base.map((e) => (r() < 0.5 ? mutate(e, r) : e));
        const body = toJson(list);
        outcomes[await expectParsedOrRefused(() => parseApiBody(body, 'fuzz'))]++;
      }
      expect(outcomes.parsed).toBeGreaterThan(50);
      expect(outcomes.refused).toBeGreaterThan(2);
    },
    HEAVY,
  );

  it('non-array, truncated, empty, deeply nested and invalid UTF-8 bodies', async () => {
    const real = JSON.stringify(REAL.slice(0, 20));
    const r = seeded(7);
    const bodies: (string | Buffer)[] = [
      '',
      ' ',
      'null',
      'true',
      '42',
      '"a string"',
      '{}',
      '{"papers": []}',
      `{"dailyPapers": ${real}}`,
      '{"error": "\u001b[31mSomething broke\u001b[0m"}',
      '[1, 2, 3]',
      '[[], {}, null, "x"]',
      '[{"paper": {}}]',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `[${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}]`,
      '<!doctype html><html><body>Something went wrong</body></html>',
      '\ufeff[]',
      real.replace(/"title":/g, '"Title":'),
    ];
    for (let i = 0; i < 60; i++) bodies.push(real.slice(0, Math.floor(r() * real.length)));
    // Invalid UTF-8 inside strings and between tokens, decoded as undici decodes (U+FFFD).
    const bytes = Buffer.from(real, 'utf8');
    for (let i = 0; i < 40; i++) {
      const b = Buffer.from(bytes);
      for (let j = 0; j < 8; j++) b[Math.floor(r() * b.length)] = pick(r, [0xff, 0xfe, 0xc0, 0x80, 0xed, 0xf5]);
      bodies.push(b);
    }
    let parsed = 0;
    for (const body of bodies) {
      const text = typeof body === 'string' ? body : new TextDecoder('utf-8').decode(body);
      if ((await expectParsedOrRefused(() => parseApiBody(text, 'fuzz'))) === 'parsed') parsed++;
    }
    expect(parsed).toBeGreaterThan(0);
    // The shapes that are not a list say so.
    for (const body of ['{}', '{"papers": []}', '42', 'null', '"a string"']) {
      expect(() => parseApiBody(body, 'u')).toThrow(/the format looks changed/);
    }
    for (const body of ['[1, 2, 3]', '[{"paper": {}}]', `${'['.repeat(100_000)}${']'.repeat(100_000)}`]) {
      expect(() => parseApiBody(body, 'u')).toThrow(/has an id and a title; the format looks changed/);
    }
  });

  it(
    'pages: no DailyPapers element, broken data-props, mutated entries inside',
    async () => {
      const r = seeded(4242);
      const days = [...realByDay.entries()];
      const outcomes = { parsed: 0, refused: 0 };
      const pages: string[] = [
        '<!doctype html><html><body><h1>Something went wrong</h1></body></html>',
        '<html><body><div data-target="DailyPapersX" data-props="{}"></div></body></html>',
        '<html><body><div data-target="DailyPapers"></div></body></html>',
        '<html><body><div data-target="DailyPapers" data-props=""></div></body></html>',
        '<html><body><div data-target="DailyPapers" data-props="{&quot;dailyPapers&quot;:&quot;nope&quot;}"></div></body></html>',
        '<html><body><div data-target="DailyPapers" data-props="[1,2]"></div></body></html>',
        `<html><body><div data-target="DailyPapers" data-props="${escapeAttr(toJson({ dailyPapers: [nest(50_000)] }))}"></div></body></html>`,
        '',
        '\u0000\u0001<<<>>>',
      ];
      for (let i = 0; i < 60; i++) {
        const [day, entries] = pick(r, days);
        const page = pageOf(
          day,
          entries.map((e) => (r() < 0.5 ? mutate(e, r) : e)),
        );
        const cut = r() < 0.3 ? page.slice(0, Math.floor(r() * page.length)) : page;
        pages.push(r() < 0.2 ? cut.replace('data-props="', 'data-props="{') : cut);
      }
      for (const page of pages) outcomes[await expectParsedOrRefused(() => parseHtmlPage(page, 'fuzz'))]++;
      expect(outcomes.parsed).toBeGreaterThan(10);
      expect(outcomes.refused).toBeGreaterThan(10);
      await expect(parseHtmlPage(pages[0]!, 'u')).rejects.toThrow(
        /no DailyPapers element in u; the page layout looks changed/,
      );
      await expect(parseHtmlPage(pages[3]!, 'u')).rejects.toThrow(
        /the DailyPapers data in u is not valid JSON; the page layout looks changed/,
      );
      await expect(parseHtmlPage(pages[4]!, 'u')).rejects.toThrow(
        /has no dailyPapers list; the page layout looks changed/,
      );
    },
    HEAVY,
  );

  it('parseEntries: a list with no usable entry is a changed format; with one, the rest are counted as skipped', () => {
    const r = seeded(5);
    const broken = Array.from({ length: 30 }, () => ({ paper: { id: wrongValue(r) ?? 42, title: null } }));
    expect(() => parseEntries(broken, 'u')).toThrow(ParseError);
    expect(() => parseEntries(broken, 'u')).toThrow(
      'none of the 30 entries from u has an id and a title; the format looks changed',
    );
    const one = parseEntries([...broken, REAL[0]], 'u');
    expect(one.entries).toHaveLength(1);
    expect(one.skipped).toBe(30);
  });
});

describe('through a real sync against the local server', () => {
  let server: HfServer;
  let home: string;

  beforeAll(async () => {
    // Every day is empty unless a test serves a body for it.
    server = await startHfServer(() => undefined);
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.faults.length = 0;
    server.requests.length = 0;
    home = tempHome();
  });
  const dbPath = () => join(home, 'papers.db');
  const sync = (args: string[]) =>
    runCli(['sync', ...args], { home, now: '2025-08-01T00:00:00Z', env: { HF_ENDPOINT: server.url } });

  it(
    '30 days of mutated real entries: whatever is stored has an id and a title, and the index agrees',
    async () => {
      const r = seeded(31337);
      const days = [...realByDay.keys()].slice(0, 30);
      for (const d of days) {
        const body = toJson(realByDay.get(d)!.map((e) => (r() < 0.6 ? mutate(e, r) : e)));
        server.faults.push({ match: `date=${d}&`, kind: 'status', status: 200, body, times: Infinity });
      }
      const res = await sync(['--since', days[0]!, '--until', days[days.length - 1]!]);
      expect(stackLines(res.stderr)).toEqual([]);
      expect([0, 1]).toContain(res.exitCode);
      for (const line of res.stderr.split('\n').filter((l) => l.startsWith('error:')))
        expect(line).toMatch(/the format looks changed/);
      const bad = query(
        dbPath(),
        `SELECT id, title FROM papers WHERE trim(title) = '' OR title IS NULL OR id NOT GLOB '[0-9][0-9][0-9][0-9].[0-9][0-9][0-9][0-9]*'`,
      );
      expect(bad).toEqual([]);
      expect(query<{ n: number }>(dbPath(), 'SELECT count(*) AS n FROM papers')[0]!.n).toBeGreaterThan(100);
      expect(() => checkFts(dbPath())).not.toThrow();
    },
    HEAVY,
  );

  const WRONG: [string, string | Buffer][] = [
    ['an object', '{"papers":[]}'],
    ['a string', '"2024-06-01"'],
    ['a number', '42'],
    ['null', 'null'],
    ['an array of numbers', '[1,2,3]'],
    ['entries without ids or titles', '[{"paper":{"authors":[]}},{"title":""}]'],
    ['an array nested 100,000 deep', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
  ];
  for (const [what, body] of WRONG) {
    it(`a body that is ${what}: the day fails at once, saying the format looks changed; nothing written`, async () => {
      server.faults.push({ match: 'daily_papers', kind: 'status', status: 200, body: body as string, times: Infinity });
      const res = await sync(['--date', '2024-06-03']);
      expect(res.exitCode).toBe(1);
      expect(stackLines(res.stderr)).toEqual([]);
      expect(res.stderr.split('\n')[0]).toMatch(/^error: 2024-06-03: .*the format looks changed$/);
      // A changed format is not retried: it would not change back.
      expect(server.requests).toHaveLength(1);
      expect(query(dbPath(), 'SELECT count(*) AS n FROM papers')).toEqual([{ n: 0 }]);
      expect(query(dbPath(), 'SELECT outcome FROM sync_days')).toEqual([{ outcome: 'failed' }]);
    });
  }

  it('a whole page without the DailyPapers element (--via html): the day fails, saying the layout looks changed', async () => {
    server.faults.push({
      match: 'papers/date',
      kind: 'status',
      status: 200,
      contentType: 'text/html',
      body: '<!doctype html><html><body><main>New design</main></body></html>',
      times: Infinity,
      headers: { 'content-type': 'text/html' },
    });
    const res = await sync(['--date', '2024-06-03', '--via', 'html']);
    expect(res.exitCode).toBe(1);
    expect(res.stderr.split('\n')[0]).toMatch(
      /^error: 2024-06-03: no DailyPapers element in .*; the page layout looks changed$/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('invalid UTF-8 bytes in a body: the day is saved with U+FFFD in their place, nothing else lost', async () => {
    const day = [...realByDay.keys()][40]!;
    const entries = realByDay.get(day)!;
    const json = Buffer.from(JSON.stringify(entries), 'utf8');
    // Bytes that are never valid UTF-8 inside both titles of the first entry.
    for (let at = 0, k = 0; k < 2; k++) {
      at = json.indexOf(Buffer.from('"title":"'), at) + 10;
      json[at] = 0xff;
      json[at + 1] = 0xc0;
    }
    server.faults.push({
      match: 'daily_papers',
      kind: 'status',
      status: 200,
      body: json as unknown as string,
      times: Infinity,
    });
    const res = await sync(['--date', day]);
    expect(res.stderr).toBe(
      `synced 1 day: ${entries.length} papers (${entries.length} papers new to the archive, 0 updated), 0 failed\n`,
    );
    expect(res.exitCode).toBe(0);
    const titles = query<{ title: string }>(dbPath(), 'SELECT title FROM papers');
    expect(titles.filter((t) => t.title.includes('\ufffd'))).toHaveLength(1);
  });
});
