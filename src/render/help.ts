/**
 * Help text that fits the terminal. commander wraps its own columns (options, commands)
 * to the help width; the text around them (a command's description, its examples, the
 * environment and exit-status tables) is ours, and is wrapped here, at spaces only:
 * - a paragraph of prose is reflowed as one (so it fills a wide terminal and never
 *   breaks a word on a narrow one);
 * - a definition (`  NAME     what it is`) wraps under its own description column;
 * - an example whose `# comment` does not fit puts the comment on the line above it, and a
 *   command still too long continues on the next line after a ` \` (as a shell reads it).
 */
import { displayWidth, wrap } from './text.js';

/** Prose paragraphs joined into one line each; indented lines (lists, tables) kept as they are. */
export function reflowParagraphs(text: string): string {
  const out: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(para.join(' '));
    para = [];
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '' || /^\s/.test(line)) {
      flush();
      out.push(line);
    } else para.push(line.trim());
  }
  flush();
  return out.join('\n');
}

/** A shell command broken at spaces into lines of `width`, each but the last ending in ` \`. */
function continueCommand(indent: string, cmd: string, width: number): string[] {
  const words = cmd.split(' ');
  const lines: string[] = [];
  let line = indent;
  const more = `${indent}  `;
  for (const w of words) {
    const start = line === indent || line === more;
    if (!start && displayWidth(line) + 1 + displayWidth(w) + 2 > width) {
      lines.push(`${line} \\`);
      line = more + w;
    } else line += (start ? '' : ' ') + w;
  }
  lines.push(line);
  return lines;
}

function wrapLine(line: string, width: number): string[] {
  if (displayWidth(line) <= width) return [line];
  const example = /^(\s+)(\S.*?\S)\s+(# .*)$/.exec(line);
  if (example && !/^\s+#/.test(line)) {
    const [, indent, cmd, comment] = example as unknown as [string, string, string, string];
    return [
      ...wrap(comment, width - indent.length).map((l, i) => indent + (i ? '# ' : '') + l),
      ...(displayWidth(indent + cmd) <= width ? [indent + cmd] : continueCommand(indent, cmd, width)),
    ];
  }
  const def = DEF.exec(line);
  if (def && def[1]!.length < width / 2) {
    const pad = ' '.repeat(def[1]!.length);
    return wrap(def[2]!, width - pad.length).map((l, i) => (i ? pad : def[1]!) + l);
  }
  const indent = /^\s*/.exec(line)![0];
  if (/^\s+papers\s/.test(line)) {
    return continueCommand(indent, line.trim(), width);
  }
  return wrap(line.trim(), Math.max(20, width - indent.length)).map((l) => indent + l);
}

const DEF = /^(\s+\S+(?:, \S+)?\s{2,})(\S.*)$/;

/**
 * A definition's hand-wrapped continuation lines (indented deeper than its name) joined to
 * it, so that it wraps as one text at any width.
 */
function joinDefinitions(lines: readonly string[]): string[] {
  const out: string[] = [];
  let termIndent = -1;
  for (const line of lines) {
    const indent = /^\s*/.exec(line)![0].length;
    const prev = out.length - 1;
    if (termIndent >= 0 && line.trim() && indent > termIndent + 2 && !/^\s+#/.test(line)) {
      out[prev] = `${out[prev]} ${line.trim()}`;
      continue;
    }
    const def = DEF.exec(line);
    termIndent = def && !/^\s+papers\s/.test(line) ? indent : -1;
    out.push(line);
  }
  return out;
}

/** Help text wrapped to `width` columns. */
export function wrapHelp(text: string, width: number): string {
  return joinDefinitions(text.split('\n'))
    .flatMap((l) => wrapLine(l, width))
    .join('\n');
}
