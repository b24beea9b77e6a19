// Hostile input on every command. Titles, abstracts, author names and the other remote
// fields carry terminal escapes (CSI, OSC 8, OSC title, BEL, 8-bit C1), bidi overrides,
// NUL, CR and Markdown / CSV / BibTeX specials; they arrive through a real sync from the
// local server. Every command, as a TTY (coloured and not) and piped, must keep every raw
// control off stdout and stderr: the only escape sequences allowed are our own colours,
// on a TTY. Hostile arguments (shell metacharacters, 100 KB strings, odd Unicode, empty
// strings, escapes) get correct output or a clear usage error, never a crash.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Paper } from '../src/core/papers.js';
import { cleanRemote } from '../src/text.js';
import { query, stackLines, useHfServer, type Entry } from './helpers/fixtures.js';
import { runCli, tempHome, type CliResult } from './helpers/run-cli.js';

const NOW = '2025-01-08T12:00:00Z';
const DAY = '2025-01-06';
const DAY2 = '2025-01-07';

// Raw controls a terminal acts on: C0 but TAB and LF, DEL, C1, and the bidi controls.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/u;
// What our styling emits at colour level 1: one SGR parameter from chalk's set.
// eslint-disable-next-line no-control-regex
const OUR_SGR = /\u001b\[(?:[0-9]|2[2-9]|3[0-9]|4[0-9]|9[0-7]|10[0-7])m/g;

// What ora's spinner writes besides its text: cursor hide/show, synchronized output, line clears.
// eslint-disable-next-line no-control-regex
const SPINNER = /\u001b\[\?(?:25|2026)[hl]|\u001b\[\d*[AGK]|\r/g;

const ESC = '\u001b';
const HOSTILE = {
  csi: `${ESC}[31mRED${ESC}[0m ${ESC}[2J${ESC}[H${ESC}[5mblink${ESC}[38;5;196mx`,
  osc8: `${ESC}]8;;https://evil.example/${ESC}\\click me${ESC}]8;;${ESC}\\`,
  title: `${ESC}]0;pwned window title\u0007`,
  c1: '\u009b31mC1red\u009d0;c1 title\u009c',
  bidi: '\u202eevil\u202c \u2066isolate\u2069 \u200fmark',
  nul: 'nul\u0000byte back\u0008space del\u007f',
  cr: 'line one\roverwritten\r\nnext',
  md: '# Heading | pipe *bold* _em_ [link](javascript:alert(1)) <script>alert(1)</script> `code` ![img](x)',
  csv: '=HYPERLINK("https://evil.example","x"),"quoted",+1,-1,@SUM(A1)',
  bib: '{unbalanced} } { %comment & # _ \\textbf{x} $math ~ ^',
};
const ALL = Object.values(HOSTILE).join(' ');

function hostileEntry(id: string, i: number, extra: Partial<Record<string, string>> = {}): Entry {
  const word = ['quokka', 'axolotl', 'pangolin'][i]!;
  const title = `${word} ${Object.values(HOSTILE)[(i * 3) % 10]} ${ALL}`;
  return {
    paper: {
      id,
      authors: [
        { _id: 'a1', name: `Eve ${HOSTILE.csi} ${HOSTILE.bidi}`, hidden: false },
        { _id: 'a2', name: `Zoë Ångström ${HOSTILE.osc8}`, hidden: false },
        { _id: 'a3', name: `${HOSTILE.nul} ${HOSTILE.bib}`, hidden: false },
      ],
      publishedAt: `${DAY}T01:00:00.000Z`,
      title,
      summary: `The ${word} abstract. ${ALL}\n  Second line. ${HOSTILE.cr}`,
      upvotes: 10 - i,
      ai_summary: `AI ${word} summary ${HOSTILE.title} ${HOSTILE.c1}`,
      ai_keywords: [`${word} ${HOSTILE.csi}`, HOSTILE.bidi, HOSTILE.md],
      githubRepo: `https://github.com/evil/${word}${ESC}[31m\u202e`,
      githubStars: 5,
      projectPage: `https://example.org/${word}?q=${ESC}]8;;x${ESC}\\`,
      ...extra,
    },
    publishedAt: `${DAY}T00:00:00.000Z`,
    title,
    numComments: 1,
    organization: { _id: 'o', name: 'org', fullname: `Org ${HOSTILE.csi} ${HOSTILE.bidi} ${HOSTILE.csv}` },
    submittedBy: { _id: 'u', fullname: `Sub ${HOSTILE.title}`, name: `sub${ESC}[31m` },
  };
}

const ENTRIES = [hostileEntry('2501.00101', 0), hostileEntry('2501.00102', 1), hostileEntry('2501.00103', 2)];
// Odd but honest Unicode, to find again by typing it.
ENTRIES.push({
  paper: {
    id: '2501.00104',
    authors: [
      { _id: 'a', name: 'José Müller', hidden: false },
      { _id: 'b', name: 'سارا الف', hidden: false },
    ],
    publishedAt: `${DAY}T01:00:00.000Z`,
    title: 'Café 🚀 Rockets: שלום עולם and e\u0301te\u0301 with 中文标题',
    summary: 'Emoji 🚀, combining marks e\u0301, right-to-left שלום and CJK 中文.',
    upvotes: 3,
  },
  publishedAt: `${DAY}T00:00:00.000Z`,
  title: 'Café 🚀 Rockets: שלום עולם and e\u0301te\u0301 with 中文标题',
  numComments: 0,
});

const server = useHfServer((d: string) => (d === DAY ? ENTRIES : d === DAY2 ? ENTRIES.slice(0, 2) : undefined));
let home: string;
let out: string;

beforeAll(async () => {
  home = tempHome();
  out = mkdtempSync(join(tmpdir(), 'papers-hostile-out-'));
  const r = await runCli(['sync', '--since', DAY, '--until', DAY2], {
    home,
    now: NOW,
    env: { HF_ENDPOINT: server.url },
  });
  expect(r.exitCode, r.stderr).toBe(0);
  // The raw entries keep the hostile text as it came; the columns hold it cleaned at ingest,
  // and the way out defends again.
  const rows = query<{ title: string; raw: string }>(join(home, 'papers.db'), 'SELECT title, raw FROM papers');
  const rawTitle = (r: { raw: string }) => String((JSON.parse(r.raw) as { title?: unknown }).title);
  expect(rows.some((r) => rawTitle(r).includes(`${ESC}[31m`) && rawTitle(r).includes('\u202e'))).toBe(true);
  expect(rows.filter((r) => RAW_CONTROL.test(r.title))).toEqual([]);
  const w = await cli(['watch', 'add', 'zoo', '-k', 'quokka', '-k', 'axolotl', '--any']);
  expect(w.exitCode, w.stderr).toBe(0);
});

type Mode = 'piped' | 'tty' | 'tty-nocolor';
function cli(argv: string[], mode: Mode = 'piped', env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(argv, {
    home,
    now: NOW,
    tty: mode !== 'piped',
    columns: 80,
    env: { HF_ENDPOINT: server.url, ...(mode === 'tty-nocolor' ? { NO_COLOR: '1' } : {}), ...env },
  });
}

/** No raw control on either stream; on a coloured TTY, only our SGR sequences. */
function expectSafe(r: CliResult, what: string, mode: Mode, csv = false) {
  for (const [name, s] of [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ] as const) {
    let rest = mode === 'tty' ? s.replace(OUR_SGR, '') : s;
    // CSV ends its records with CRLF (RFC 4180); a CR anywhere else is data.
    if (csv && name === 'stdout') rest = rest.replace(/\r\n/g, '\n');
    const m = RAW_CONTROL.exec(rest);
    if (m) {
      const at = m.index;
      throw new Error(
        `${what} (${mode}): raw U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} on ${name} near ${JSON.stringify(rest.slice(Math.max(0, at - 40), at + 40))}`,
      );
    }
  }
  expect(stackLines(r.stderr), what).toEqual([]);
}

const ID = '2501.00101';
const COMMANDS: string[][] = [
  ['today', '--date', DAY],
  ['today', '--date', DAY, '--abstract'],
  ['today', '--date', DAY, '--json'],
  ['list'],
  ['list', '--abstract'],
  ['list', '--json'],
  ['list', '-k', 'quokka', '--sort', 'upvotes'],
  ['list', '--author', 'zoe'],
  ['search', 'quokka'],
  ['search', 'abstract'],
  ['search', 'abstract', '--abstract'],
  ['search', 'RED', '--json'],
  ['search', '--raw', 'title:axolotl OR pangolin'],
  ['show', ID],
  ['show', '2501.00102', '--json'],
  ['grep', '-i', 'red|evil|pipe'],
  ['grep', '--field', 'abstract', 'line'],
  ['grep', 'quokka', '--json'],
  ['status'],
  ['status', '--json'],
  ['stats'],
  ['similar', ID],
  ['new'],
  ['watch', 'list'],
  ['watch', 'show', 'zoo'],
  ['digest'],
  ['digest', '-f', 'json'],
  ['doctor'],
  ...['markdown', 'json', 'ndjson', 'csv', 'bibtex', 'rss', 'atom'].map((f) => ['export', '-f', f]),
  ['export', '-f', 'markdown', '--query', 'abstract'],
];

describe('hostile remote text, every command, as a TTY and piped', () => {
  for (const argv of COMMANDS) {
    it(argv.join(' '), async () => {
      const runs: Partial<Record<Mode, CliResult>> = {};
      for (const mode of ['piped', 'tty-nocolor', 'tty'] as const) {
        const r = (runs[mode] = await cli(argv, mode));
        expect(r.exitCode, `${mode}: ${r.stderr}`).toBe(0);
        expect(r.stdout.length, mode).toBeGreaterThan(0);
        expectSafe(r, argv.join(' '), mode, argv.includes('csv'));
      }
      if (!argv.includes('--json') && !['export', 'digest'].includes(argv[0]!)) {
        expect(runs.tty!.stdout, 'the TTY run is coloured').toMatch(new RegExp(OUR_SGR.source));
      }
      // Colour is the only difference between the coloured TTY and the plain one, so no
      // escape in the coloured output came from the data.
      expect(runs.tty!.stdout.replace(OUR_SGR, '')).toBe(runs['tty-nocolor']!.stdout);
      expect(runs.tty!.stderr.replace(OUR_SGR, '')).toBe(runs['tty-nocolor']!.stderr);
    });
  }

  it('JSON output has the text cleaned at ingest: no escape reaches `jq -r`', async () => {
    const r = await cli(['list', '--json']);
    const papers = JSON.parse(r.stdout) as Paper[];
    const raw = ENTRIES.find((e) => e.paper.id === ID)!;
    expect(papers.find((p) => p.id === ID)!.title).toBe(cleanRemote(raw.title));
    expect(r.stdout).not.toContain('\\u001b');
    expect(r.stdout).not.toContain('\\u202e');
  });

  it('export -o FILE writes safe files in every format', async () => {
    for (const f of ['markdown', 'json', 'ndjson', 'csv', 'bibtex', 'rss', 'atom']) {
      const file = join(out, `out.${f}`);
      const r = await cli(['export', '-f', f, '-o', file]);
      expect(r.exitCode, r.stderr).toBe(0);
      expectSafe(r, `export -o (${f})`, 'piped');
      const text = readFileSync(file, 'utf8');
      expect(RAW_CONTROL.test(f === 'csv' ? text.replace(/\r\n/g, '\n') : text), f).toBe(false);
    }
  });

  it('an upstream error message full of escapes reaches stderr made harmless', async () => {
    const h = tempHome();
    server.faults.push({
      match: 'daily_papers',
      kind: 'status',
      status: 400,
      body: JSON.stringify({ error: `bad ${ALL}` }),
      times: Infinity,
    });
    try {
      for (const mode of ['piped', 'tty-nocolor', 'tty'] as const) {
        const r = await runCli(['sync', '--date', DAY], {
          home: h,
          now: NOW,
          tty: mode !== 'piped',
          env: { HF_ENDPOINT: server.url, ...(mode === 'tty-nocolor' ? { NO_COLOR: '1' } : {}) },
        });
        expect(r.exitCode).toBe(1);
        // On a TTY the spinner (ours: cursor hide/show, line clears) shares stderr.
        const stderr = mode === 'piped' ? r.stderr : r.stderr.replace(SPINNER, '');
        expect(stderr.replace(OUR_SGR, '')).toMatch(/error: 2025-01-06: .* answered HTTP 400: bad \\u001b\[31mRED/);
        expectSafe({ ...r, stderr }, 'sync with a hostile upstream error', mode);
        const s = await runCli(['status'], {
          home: h,
          now: NOW,
          tty: mode !== 'piped',
          env: mode === 'tty-nocolor' ? { NO_COLOR: '1' } : {},
        });
        expectSafe(s, 'status after it', mode);
      }
    } finally {
      server.faults.length = 0;
    }
  });
});

describe('hostile arguments', () => {
  const BIG = 'x'.repeat(100_000);
  const WORDS = 'lorem ipsum '.repeat(9_000);

  // Each: argv, exit code, and what stdout must (or must not) hold.
  const CASES: [string, string[], number, ((out: string) => void)?][] = [
    [
      'shell metacharacters around a search word',
      ['search', '$( quokka ) ; `|` && > < "\' * \\'],
      0,
      (o) => expect(o).toContain('2501.00101'),
    ],
    [
      'shell metacharacters as a search',
      ['search', '$(touch /tmp/papers-pwned); `id` | cat > /tmp/x && echo'],
      0,
      (o) => expect(o).toBe(''),
    ],
    ['SQL in a keyword', ['list', '-k', "'; DROP TABLE papers; --"], 0, (o) => expect(o).toBe('')],
    ['SQL and LIKE wildcards in an author', ['list', '--author', "%' OR 1=1 --_"], 0, (o) => expect(o).toBe('')],
    ['shell metacharacters as an id', ['show', '$(id)'], 2],
    ['an FTS5 operator soup, quoted', ['search', 'AND OR NOT NEAR( "a b* ^c -d :e'], 0],
    ['an FTS5 syntax error with --raw', ['search', '--raw', `"unbalanced ${ESC}[31m(`], 2],
    ['a 100 KB search word', ['search', BIG], 0, (o) => expect(o).toBe('')],
    ['a 100 KB search of 18,000 words', ['search', WORDS], 0, (o) => expect(o).toBe('')],
    ['a 100 KB raw search', ['search', '--raw', WORDS], 0, (o) => expect(o).toBe('')],
    ['a 100 KB keyword', ['list', '-k', BIG], 0, (o) => expect(o).toBe('')],
    ['a 100 KB keyword of many words', ['list', '-k', WORDS, '--exclude', WORDS], 0, (o) => expect(o).toBe('')],
    ['a 100 KB author', ['list', '--author', BIG], 2],
    ['a 100 KB organization', ['search', 'quokka', '--org', BIG], 2],
    ['a 100 KB grep pattern (too large for the regex engine)', ['grep', BIG], 2],
    ['a long grep pattern', ['grep', 'x'.repeat(5_000)], 0, (o) => expect(o).toBe('')],
    ['a 100 KB id', ['show', BIG], 2],
    [
      'a 100 KB export query',
      ['export', '-f', 'csv', '--query', WORDS],
      0,
      (o) => expect(o.split('\n')[0]).toMatch(/^id,title,/),
    ],
    ['a 100 KB date', ['list', '--since', BIG], 2],
    ['a 100 KB watch name', ['watch', 'add', BIG, '-k', 'x'], 2],
    ['escapes in an id', ['show', `${ESC}[31m\u202e${ESC}]0;x\u0007`], 2],
    ['escapes in a date', ['list', '--date', `${ESC}[2J\u009b`], 2],
    ['escapes in a regex that does not compile', ['grep', `(${ESC}[31m\u202e`], 2],
    // The stored text has no escapes left to match: no result, no error.
    ['escapes in a search', ['search', `${ESC}[31mRED\u202e`], 0, (o) => expect(o).toBe('')],
    ['escapes in an unknown option', ['list', `--${ESC}[31mred\u202e`], 2],
    ['escapes in an unknown command', [`${ESC}]0;x\u0007cmd\u202e`], 2],
    ['escapes in a watch name', ['watch', 'show', `${ESC}[31mzoo\u202e`], 1],
    ['escapes in a new watch name', ['watch', 'add', `${ESC}[31mzoo\u202e`, '-k', 'x'], 2],
    [
      'escapes in an output path',
      ['export', '-o', join(tmpdir(), `no-such-dir-${process.pid}`, `${ESC}[31mx\u202e.md`)],
      1,
    ],
    ['an emoji search', ['search', 'rockets 🚀'], 0, (o) => expect(o).toContain('2501.00104')],
    ['a right-to-left search', ['search', 'שלום'], 0, (o) => expect(o).toContain('2501.00104')],
    ['accents folded in a search', ['search', 'cafe'], 0, (o) => expect(o).toContain('2501.00104')],
    ['combining marks in a search', ['search', 'e\u0301te\u0301'], 0, (o) => expect(o).toContain('2501.00104')],
    ['CJK in a grep', ['grep', '中文'], 0, (o) => expect(o).toContain('2501.00104')],
    ['an emoji in a grep', ['grep', '🚀'], 0, (o) => expect(o).toContain('2501.00104')],
    ['an accent-insensitive author', ['list', '--author', 'jose muller'], 0, (o) => expect(o).toContain('2501.00104')],
    ['an Arabic author', ['list', '--author', 'سارا'], 0, (o) => expect(o).toContain('2501.00104')],
    ['an empty search', ['search', ''], 2],
    ['a blank search', ['search', '   '], 2],
    ['an empty grep', ['grep', ''], 2],
    ['an empty id', ['show', ''], 2],
    ['an empty keyword (ignored)', ['list', '-k', ''], 0, (o) => expect(o.split('\n').filter(Boolean)).toHaveLength(4)],
    ['an empty date', ['list', '--date', ''], 2],
    ['an empty date for today', ['today', '--date', ''], 2],
    ['an empty export query', ['export', '--query', ''], 2],
    ['an empty output path', ['export', '-o', ''], 2],
    ['an empty watch name', ['watch', 'add', '', '-k', 'x'], 2],
    // Issue 23.10: an empty --db (an unset variable) no longer falls back to the default archive.
    ['an empty --db', ['--db', '', 'list'], 2],
  ];

  for (const [name, argv, code, check] of CASES) {
    it(`${name}: exit ${code}`, async () => {
      for (const mode of ['piped', 'tty'] as const) {
        const r = await cli(argv, mode);
        expect(r.exitCode, `${mode}: ${r.stderr.slice(0, 500)}`).toBe(code);
        expectSafe(r, name, mode, argv.includes('csv'));
        if (code !== 0) {
          // One clear line (and maybe a hint), of a readable length.
          const lines = r.stderr.trimEnd().split('\n');
          expect(lines[0]).toMatch(/^error: /);
          expect(lines.length).toBeLessThanOrEqual(mode === 'tty' ? 3 : 2);
          for (const l of lines) expect(l.length, l.slice(0, 200)).toBeLessThan(1_000);
          expect(r.stdout).toBe('');
        } else if (mode === 'piped') {
          check?.(r.stdout);
        }
      }
    });
  }

  it('the archive is intact after all of that', async () => {
    expect(query(join(home, 'papers.db'), 'SELECT count(*) AS n FROM papers')).toEqual([{ n: 4 }]);
  });
});
