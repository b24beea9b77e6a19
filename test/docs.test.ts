// Docs that cannot drift (issue 20): what the README and --help say is checked against the
// code, as sqlite-utils keeps its CLI reference equal to --help. Every `papers ...` line of a
// README code block and every command's examples parse and name real commands and options;
// every environment variable they name is read by src/config.ts, and nothing else in src/
// reads the environment; every command has a golden case, piped and as a terminal; and the
// code map's rules (README "Code map") hold: which layer imports which, where SQL lives,
// which read commands take --json.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import * as registry from 'papers:commands';
import { describe, expect, it } from 'vitest';
import { parseInput } from '../src/cmdutil/build.js';
import type { AnyCommandSpec } from '../src/cmdutil/spec.js';
import { GLOBAL_OPTIONS, GLOBAL_VALUE_FLAGS } from '../src/cmdutil/globals.js';
import { CASES } from './golden/cases.js';
import { ROOT } from './helpers/fixtures.js';
import { goldenFile, MODES } from './helpers/golden.js';
import { runCli } from './helpers/run-cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const specs = async () => Promise.all(registry.names.map(async (n) => (await registry.load(n))!.default));

/** Words of one shell command line: quotes and backslashes as sh reads them, up to a comment. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur = (cur ?? '') + line.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? line.length : end;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < line.length && line[j] !== '"'; j++) s += line[j] === '\\' ? line[++j] : line[j];
      cur = (cur ?? '') + s;
      i = j;
    } else if (c === '$' && line[i + 1] === '(') {
      // A command substitution is one word however many spaces it holds.
      let depth = 0;
      let j = i;
      for (; j < line.length; j++) {
        if (line[j] === '(') depth++;
        else if (line[j] === ')' && --depth === 0) break;
      }
      cur = (cur ?? '') + line.slice(i, j + 1);
      i = j;
    } else if (c === '\\') cur = (cur ?? '') + (line[++i] ?? '');
    else if (/\s/.test(c)) {
      if (cur !== null) words.push(cur);
      cur = null;
    } else if (c === '#' && cur === null) break;
    else cur = (cur ?? '') + c;
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** The commands inside each `$(...)` of a word, outermost first. */
function substitutions(word: string): string[] {
  const found: string[] = [];
  for (let i = word.indexOf('$('); i >= 0; i = word.indexOf('$(', i + 1)) {
    let depth = 0;
    for (let j = i + 1; j < word.length; j++) {
      if (word[j] === '(') depth++;
      else if (word[j] === ')' && --depth === 0) {
        found.push(word.slice(i + 2, j));
        i = j;
        break;
      }
    }
  }
  return found;
}

/** The argv of each `papers` command in a line (`a && papers b | jq`, `npx papers`, cron). */
export function papersCommands(line: string): string[][] {
  const out: string[][] = [];
  let argv: string[] | null = null;
  const words = shellWords(line);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    // A command substitution runs its own commands: `eval "$(papers completion bash)"`.
    for (const inner of substitutions(w)) out.push(...papersCommands(inner));
    // A redirection and its file are the shell's, not the command's.
    if (/^[0-9]?(>>?|<)$/.test(w)) {
      i++;
      continue;
    }
    if (['&&', '||', '|', ';'].includes(w)) {
      if (argv) out.push(argv);
      argv = null;
    } else if (argv) argv.push(w);
    else if (w === 'papers') argv = [];
  }
  if (argv) out.push(argv);
  return out;
}

/** The README's code blocks, line by line. */
function readmeCodeLines(): string[] {
  return [...README.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].flatMap((m) => m[1]!.split('\n'));
}

/**
 * Parses argv as papers would, without running anything: the global flags, then the command
 * (and subcommand, or the group's default) whose spec parseInput checks. Throws on an
 * unknown command or option, a missing argument, a bad value.
 */
async function parsePapers(argv: readonly string[], all: readonly AnyCommandSpec[]): Promise<string> {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (GLOBAL_VALUE_FLAGS.includes(a)) i++;
    else if (!GLOBAL_OPTIONS.some((o) => o.flags.split(/[ ,]+/).includes(a))) rest.push(a);
  }
  const [word, ...args] = rest;
  let spec = all.find((s) => s.name === word || s.aliases?.includes(word!));
  if (!spec) throw new Error(`no command ${JSON.stringify(word)}`);
  let name = spec.name;
  while (spec.subcommands?.length) {
    const sub: AnyCommandSpec | undefined =
      spec.subcommands.find((s) => s.name === args[0]) ?? spec.subcommands.find((s) => s.isDefault);
    if (!sub) throw new Error(`${name}: no subcommand ${JSON.stringify(args[0])}`);
    if (sub.name === args[0]) args.shift();
    name = `${name} ${sub.name}`;
    spec = sub;
  }
  // Output is written by commander only on a usage error; it throws then.
  await parseInput(spec, args);
  return name;
}

function allExamples(all: readonly AnyCommandSpec[]): { where: string; line: string }[] {
  const out: { where: string; line: string }[] = [];
  const visit = (s: AnyCommandSpec, path: string) => {
    for (const line of s.examples ?? []) out.push({ where: path, line });
    for (const sub of s.subcommands ?? []) visit(sub, `${path} ${sub.name}`);
  };
  for (const s of all) visit(s, s.name);
  return out;
}

describe('every papers line the docs show', () => {
  it('a shell line is read as sh would', () => {
    expect(papersCommands(`0 7 * * * papers sync -q && papers digest -o ~/x-$(date +\\%F).md`)).toEqual([
      ['sync', '-q'],
      ['digest', '-o', '~/x-$(date +\\%F).md'],
    ]);
    expect(papersCommands(`papers search "mixture of experts"    # BM25 # x`)).toEqual([
      ['search', 'mixture of experts'],
    ]);
    expect(papersCommands(`papers add 2411.17700 --json | jq .inserted`)).toEqual([['add', '2411.17700', '--json']]);
    expect(papersCommands('eval "$(papers completion bash)"   # in ~/.bashrc')).toEqual([['completion', 'bash']]);
    expect(papersCommands(`papers hide $(papers recommend --json | jq -r '.[0].id')`)).toEqual([
      ['recommend', '--json'],
      ['hide', `$(papers recommend --json | jq -r '.[0].id')`],
    ]);
    expect(papersCommands('papers export --date yesterday > notes/papers.md')).toEqual([
      ['export', '--date', 'yesterday'],
    ]);
  });

  it('in the README parses and names a command and options that exist', async () => {
    const all = await specs();
    const lines = readmeCodeLines().flatMap((l) => papersCommands(l).map((argv) => ({ l, argv })));
    expect(lines.length).toBeGreaterThan(30);
    const bad: string[] = [];
    for (const { l, argv } of lines) await parsePapers(argv, all).catch((e) => bad.push(`${l}\n  ${e.message}`));
    expect(bad).toEqual([]);
  });

  it("in every command's examples, and the root help's, parses and names that command", async () => {
    const all = await specs();
    const bad: string[] = [];
    const examples = allExamples(all);
    const help = (await runCli(['--help'])).stdout;
    const root = /\nExamples:\n([\s\S]*?)\n\n/.exec(help)![1]!.split('\n');
    expect(root.length).toBeGreaterThan(3);
    for (const line of root) examples.push({ where: '', line });
    for (const { where, line } of examples) {
      if (line.trim().startsWith('#')) continue;
      const cmds = papersCommands(line);
      if (cmds.length === 0) bad.push(`${where}: no papers command in ${JSON.stringify(line)}`);
      const names: string[] = [];
      for (const argv of cmds) {
        const name = await parsePapers(argv, all).catch((e) => {
          bad.push(`${where}: ${line}\n  ${e.message}`);
          return undefined;
        });
        if (name) names.push(name);
      }
      // A command's examples show that command (or one of its subcommands).
      const top = where.split(' ')[0];
      if (where && names.length && !names.some((n) => n.split(' ')[0] === top)) bad.push(`${where}: shows ${names}`);
    }
    expect(examples.length).toBeGreaterThan(40);
    expect(bad).toEqual([]);
  });

  it('a line that names no command, an unknown option or a missing argument is caught', async () => {
    const all = await specs();
    await expect(parsePapers(['lsit'], all)).rejects.toThrow(/no command/);
    await expect(parsePapers(['list', '--sincee', '7d'], all)).rejects.toThrow(/unknown option/);
    await expect(parsePapers(['show'], all)).rejects.toThrow(/missing required argument/);
    await expect(parsePapers(['list', '-n'], all)).rejects.toThrow(/argument missing/);
    await expect(parsePapers(['--db', 'x.db', '-q', 'watch', 'add', 'w', '-k', 'a'], all)).resolves.toBe('watch add');
  });
});

const ENV_WORD = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b(?:PAGER|LINES|COLUMNS|TERM|COLORTERM|LESS|BROWSER|EMAIL)\b/g;

/** The body of a heading's section of a Markdown text, up to the next heading of its level or higher. */
function mdSection(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no section ${heading}`);
  const level = heading.split(' ')[0]!;
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * The environment variables papers' docs name: every name in --help's Environment section
 * and in the README's environment table ("Where things live"), and each `$NAME` or
 * `NAME=` elsewhere in the README, except in "Performance" and "Development", whose
 * variables (PAPERS_SAMPLES, NODE_OPTIONS, ...) are the benchmark's and the test suite's,
 * not papers'. Other capitalised words (HF_SOURCE, a SQL name) are not variables.
 */
function envNames(help: string, readme: string): string[] {
  const names = new Set<string>();
  const helpEnv = /\nEnvironment:\n([\s\S]*?)(\n\n|$)/.exec(help)?.[1] ?? '';
  const table = mdSection(readme, '### Where things live');
  for (const m of `${helpEnv}\n${table}`.matchAll(ENV_WORD)) names.add(m[0]);
  let prose = readme;
  for (const h of ['## Performance', '## Development']) prose = prose.replace(mdSection(readme, h), '');
  for (const m of prose.matchAll(/\$\{?([A-Z][A-Z0-9_]*)\b|\b([A-Z][A-Z0-9]*_[A-Z0-9_]*|[A-Z]{3,})=/g))
    names.add(m[1] ?? m[2]!);
  // The test suite's own (README "Development"), read by test/helpers, never by papers.
  for (const ours of ['PAPERS_TEST_SEED', 'PAPERS_TEST_CHROMIUM', 'PAPERS_TEST_NOW']) names.delete(ours);
  return [...names].sort();
}

const srcFiles = () =>
  readdirSync(join(ROOT, 'src'), { recursive: true })
    .map((f) => String(f))
    .filter((f) => /\.(ts|cjs|mjs)$/.test(f) && !f.endsWith('.d.ts'));

describe('the environment', () => {
  it('every variable --help or the README names is read by src/config.ts', async () => {
    const config = readFileSync(join(ROOT, 'src', 'config.ts'), 'utf8');
    const help = (await runCli(['--help'])).stdout;
    const named = envNames(help, README);
    expect(named).toEqual(
      expect.arrayContaining(['PAPERS_HOME', 'HF_ENDPOINT', 'NO_COLOR', 'PAGER', 'LINES', 'EMAIL']),
    );
    // A variable a README example sets is one; a constant's name in prose is not.
    const more = envNames(help, `${README}\nRun \`PAPERS_NOPE=1 papers sync\` or $PAPERS_NADA.\n`);
    expect(more).toEqual(expect.arrayContaining(['PAPERS_NOPE', 'PAPERS_NADA']));
    expect(named).not.toContain('HF_SOURCE');
    const unread = named.filter((n) => !new RegExp(`\\benv\\??\\.${n}\\b|env\\[['"]${n}['"]\\]`).test(config));
    expect(unread, 'named in the docs but never read by src/config.ts').toEqual([]);
  });

  it('src/config.ts is the only reader: no other module names a variable or takes process.env', () => {
    const readers: string[] = [];
    for (const f of srcFiles()) {
      if (f === 'config.ts') continue;
      const text = readFileSync(join(ROOT, 'src', f), 'utf8');
      const lines = text.split('\n');
      lines.forEach((l, i) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(l)) return;
        // cli.ts, the composition root, hands process.env to the run once.
        const passes = f === 'cli.ts' && /run\(argv, \{ env: process\.env,/.test(l);
        if (/process\.env|\benv\??\.[A-Z][A-Z0-9_]*\b|\benv\[['"`]/.test(l) && !passes)
          readers.push(`src/${f}:${i + 1}: ${l.trim()}`);
      });
    }
    expect(readers).toEqual([]);
  });
});

describe('golden cases', () => {
  it('every command has one, piped and as a terminal', async () => {
    const missing: string[] = [];
    for (const name of registry.names) {
      const cases = CASES.filter((c) => c.argv[0] === name);
      if (cases.length === 0) missing.push(`${name}: no case in test/golden/cases.ts`);
      for (const c of cases)
        for (const mode of MODES)
          if (!existsSync(goldenFile(c, mode))) missing.push(relative(ROOT, goldenFile(c, mode)));
    }
    expect(missing).toEqual([]);
  });
});

/**
 * The source definitions (README "Adding a source"): each builds its sync's tasks from
 * core's (days, feed, harvest), so it sits above core, and only commands import it.
 */
const SOURCE_DEFS = ['sources/registry.ts', 'sources/hf-source.ts', 'sources/arxiv/index.ts'];

/** Where a module of src/ sits: its folder, or `base` for the small shared modules. */
function layerOf(file: string): string {
  if (SOURCE_DEFS.includes(file.replace(/\.js$/, '.ts'))) return 'sourcedefs';
  const dir = file.split('/')[0]!;
  if (file.includes('/')) return dir;
  const name = file.replace(/\.(ts|cjs|js)$/, '');
  return ['errors', 'text', 'tex', 'dates', 'ids', 'sleep', 'version'].includes(name) ? 'base' : name;
}

/** The layers each layer may import at run time (README "Code map"); type imports are free. */
const MAY_IMPORT: Record<string, string[]> = {
  base: ['base'],
  shims: [],
  http: ['base', 'shims'],
  db: ['base', 'db'],
  sources: ['base', 'shims', 'http', 'sources'],
  // PDF to text (the worker's layout and the extraction's deadline): a parser like sources/.
  fulltext: ['base', 'fulltext'],
  config: ['base', 'shims', 'sources'],
  core: ['base', 'shims', 'http', 'db', 'sources', 'fulltext', 'core'],
  render: ['base', 'shims', 'core', 'render'],
  sourcedefs: ['base', 'sources', 'core', 'sourcedefs'],
  // Builds commander from a spec, help included: the help's wrapping is render/help.ts's.
  cmdutil: ['base', 'core', 'sources', 'render', 'cmdutil'],
  commands: ['base', 'config', 'core', 'db', 'sources', 'sourcedefs', 'fulltext', 'render', 'cmdutil', 'commands'],
  context: ['base', 'config', 'db', 'http', 'render', 'sources'],
  program: ['base', 'config', 'cmdutil'],
  // The composition root also sizes commander's help to the terminal (render/io.ts).
  cli: ['base', 'config', 'context', 'program', 'cmdutil', 'db', 'render'],
};

describe('the code map', () => {
  it('each layer imports only what the map allows (core and db never reach render or commands)', () => {
    const bad: string[] = [];
    for (const f of srcFiles()) {
      const text = readFileSync(join(ROOT, 'src', f), 'utf8');
      const from = layerOf(f);
      expect(MAY_IMPORT[from], `src/${f}: a layer the map does not know`).toBeDefined();
      const specifiers = [
        ...[...text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)].map((m) => m[1]!),
        ...[...text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1]!),
        ...[...text.matchAll(/require\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1]!),
      ];
      for (const s of specifiers) {
        const to = layerOf(normalize(join(dirname(f), s)));
        if (!MAY_IMPORT[from]!.includes(to)) bad.push(`src/${f} (${from}) imports ${s} (${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('SQL is written in src/db/ and src/core/ only', () => {
    const bad = srcFiles().filter((f) => {
      if (f.startsWith('db/') || f.startsWith('core/') || f === 'context.ts') return false;
      // `this.prepare(` is HttpClient's own method (a request, not a statement).
      return /(?<!\bthis)\.prepare\(|\.exec\(\s*[`'"]\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|WITH)/i.test(
        readFileSync(join(ROOT, 'src', f), 'utf8'),
      );
    });
    expect(bad).toEqual([]);
  });

  it('every read command takes --json, except those whose output is a --format or a shell script', async () => {
    const lacking: string[] = [];
    const visit = (s: AnyCommandSpec, path: string) => {
      const reads = s.run && s.access !== 'write' && s.access !== 'update';
      if (reads && !('json' in (s.options ?? {}))) lacking.push(path);
      for (const sub of s.subcommands ?? []) visit(sub, `${path} ${sub.name}`);
    };
    for (const s of await specs()) visit(s, s.name);
    // export, library export and digest write a --format; completion writes a shell script.
    expect(lacking.sort()).toEqual(['completion', 'digest', 'export', 'library export']);
  });
});
