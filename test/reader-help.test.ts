// Help fits the terminal (issue 22.6): every help (the root, each command, each
// subcommand) at COLUMNS=80 has no line over 80 columns, wraps at spaces only (the words
// at 60 columns are the words at 200), and an option with a fixed set of values lists
// them. Through the built CLI (bin/papers.js, dist/) as users run it, and in-process.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { wrapHelp } from '../src/render/help.js';
import { ROOT } from './helpers/fixtures.js';
import { runCli } from './helpers/run-cli.js';

const run = promisify(execFile);
const BIN = join(ROOT, 'bin', 'papers.js');

async function help(argv: string[], columns: number): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...argv, '--help'], {
    env: { PATH: process.env.PATH ?? '', COLUMNS: String(columns), HOME: '/nonexistent' },
  });
  return stdout;
}

/** The names under a help's `Commands:` heading. */
function commandsOf(text: string): string[] {
  const m = /\nCommands:\n([\s\S]*?)(\n\n|$)/.exec(text);
  if (!m) return [];
  return m[1]!
    .split('\n')
    .map((l) => /^ {2}(\S+)/.exec(l)?.[1])
    .filter((n): n is string => !!n && n !== 'help')
    .map((n) => n.split('|')[0]!);
}

/** The words of a text, sorted: what wrapping may not change (an example's comment moves above it). */
const words = (s: string) =>
  s
    .split(/\s+/)
    .filter((w) => w && w !== '\\' && w !== '#')
    .sort();

describe('help at the terminal width', () => {
  it('no line of any help is wider than 80 columns at COLUMNS=80, and words are never broken', async () => {
    const root = await help([], 80);
    const cmds = commandsOf(root);
    expect(cmds.length).toBeGreaterThan(15);
    const all: string[][] = [[]];
    for (const c of cmds) {
      all.push([c]);
      for (const sub of commandsOf(await help([c], 80))) all.push([c, sub]);
    }
    expect(all.some((a) => a.join(' ') === 'watch add')).toBe(true);
    const over: string[] = [];
    for (const argv of all) {
      const text = await help(argv, 80);
      for (const l of text.split('\n')) if (l.length > 80) over.push(`papers ${argv.join(' ')}: ${l}`);
      // Narrow and wide: the same words (only the line breaks differ).
      // In-process (the same code; a process each would take long on a busy machine).
      const narrow = (await runCli([...argv, '--help'], { columns: 60 })).stdout;
      for (const l of narrow.split('\n')) if (l.length > 60) over.push(`(60) papers ${argv.join(' ')}: ${l}`);
      const wide = (await runCli([...argv, '--help'], { columns: 200 })).stdout;
      expect(words(narrow), `papers ${argv.join(' ')} --help`).toEqual(words(wide));
    }
    expect(over).toEqual([]);
  }, 120_000);

  it('options with a fixed set of values list their choices', async () => {
    const cases: [string[], string, string[]][] = [
      [['export'], '--format', ['markdown', 'json', 'ndjson', 'csv', 'bibtex', 'rss', 'atom']],
      [['digest'], '--format', ['markdown', 'html', 'json']],
      [['stats'], '--by', ['week', 'month', 'category']],
      [['list'], '--sort', ['date', 'upvotes', 'github-stars', 'rising']],
      [['grep'], '--field', ['title', 'abstract', 'all']],
      [['list'], '--type', ['new', 'cross', 'replace', 'replace-cross', 'submitted', 'all']],
    ];
    for (const [argv, flag, choices] of cases) {
      const r = await runCli([...argv, '--help'], { columns: 200 });
      const line = r.stdout.split('\n').find((l) => l.includes(`${flag} <`))!;
      for (const c of choices) expect(line, `${argv.join(' ')} ${flag}`).toMatch(new RegExp(`\\b${c}\\b`));
    }
  });
});

describe('wrapHelp', () => {
  it('puts an example comment that does not fit above its command, and continues a long command with \\', () => {
    const text = '  papers list --since 7d --min-upvotes 20   # papers of the week with twenty upvotes or more';
    expect(wrapHelp(text, 60).split('\n')).toEqual([
      '  # papers of the week with twenty upvotes or more',
      '  papers list --since 7d --min-upvotes 20',
    ]);
    const long = '  papers export --query agents --format atom --since 2025-01-01 -o ~/feeds/agents.xml';
    const lines = wrapHelp(long, 50).split('\n');
    expect(lines[0]!.endsWith(' \\')).toBe(true);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(50);
    expect(words(lines.join(' '))).toEqual(words(long));
  });

  it('wraps a definition under its description column, joining its hand-wrapped lines', () => {
    const text =
      '  PAPERS_HOME      where papers keeps its data (default: $XDG_DATA_HOME/papers,\n                   i.e. ~/.local/share/papers)';
    expect(wrapHelp(text, 52).split('\n')).toEqual([
      '  PAPERS_HOME      where papers keeps its data',
      '                   (default: $XDG_DATA_HOME/papers,',
      '                   i.e. ~/.local/share/papers)',
    ]);
  });
});
