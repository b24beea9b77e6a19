/**
 * The one output path of read commands. A command hands it data (papers, rows, fields);
 * this module alone decides between JSON, the terminal layout (aligned, wrapped, coloured)
 * and tab-separated lines for pipes, and says so when a result is empty. Nothing here
 * changes content by TTY: only decoration and layout.
 */
import type { Paper } from '../core/papers.js';
import { cleanLine } from '../text.js';
import type { IO } from './io.js';
import { safeJson } from './json.js';
import { renderPaperBlock, tsvCell, tsvLine, type ListRenderOptions } from './papers.js';
import { displayWidth, padEnd, padStart, truncate, wrap } from './text.js';

/** What an empty list says, on a terminal's stderr. */
export const EMPTY_HINT = 'no papers match; widen the filters, or run `papers sync` to fetch more days';

export interface PaperView<P extends Paper = Paper> extends ListRenderOptions {
  /** Terminal: lines under a paper's block, at its indent, given the text width (a snippet, a score). */
  below?: (p: P, width: number) => string[];
  /** JSON: the value printed for a paper (default: the paper itself). */
  json?: (p: P) => unknown;
  /** Terminal: a heading before each run of papers listed on one day, given the day and the run's length. */
  dayHeading?: (day: string | null, count: number) => string;
  /** Terminal: a heading before each run of papers with one key (an announcement's sections). */
  group?: { key: (p: P) => string; heading: (key: string, count: number) => string };
  /** Pipes: extra cells after id, day, upvotes, title (and abstract). */
  tsv?: (p: P) => (string | number | null)[];
}

export interface Column<R> {
  /** The value: a TSV cell when piped, the cell text on a terminal unless `tty` is given. */
  value: (r: R) => string | number | null;
  tty?: (r: R) => string;
  /** Terminal colour of the cell. */
  style?: (r: R) => ((s: string) => string) | undefined;
  align?: 'left' | 'right';
  /** Terminal: this column takes the width left and is truncated to it. */
  flex?: boolean;
}

export class Output {
  constructor(
    readonly io: IO,
    readonly json: boolean,
    readonly quiet: boolean,
  ) {}

  get tty(): boolean {
    return this.io.tty;
  }

  get color() {
    return this.io.color;
  }

  line(s = ''): void {
    this.io.out(s);
  }

  /** A JSON document. */
  value(v: unknown): void {
    this.io.out(safeJson(v, 2));
  }

  /** A JSON array, written as it streams: `[]` when empty. */
  jsonArray<T>(items: Iterable<T>): number {
    let n = 0;
    this.io.stdout.write('[');
    for (const item of items) this.io.stdout.write((n++ ? ',\n' : '\n') + safeJson(item));
    this.io.stdout.write(n ? '\n]\n' : ']\n');
    return n;
  }

  /** Terminal only: a bold heading (wrapped) and a blank line. */
  title(text: string): void {
    if (!this.tty || this.json) return;
    for (const l of wrap(cleanLine(text), this.io.width)) this.io.out(this.color.bold(l));
    this.io.out('');
  }

  /** Papers: JSON, terminal blocks, or one TSV line each. Returns how many. */
  papers<P extends Paper>(items: Iterable<P>, view: PaperView<P> = {}): number {
    if (this.json) {
      const toJson = view.json;
      return this.jsonArray(
        toJson
          ? (function* () {
              for (const p of items) yield toJson(p);
            })()
          : items,
      );
    }
    if (!this.tty) {
      let n = 0;
      for (const p of items) {
        const extra = view.tsv ? '\t' + view.tsv(p).map(tsvCell).join('\t') : '';
        this.io.out(tsvLine(p, view) + extra);
        n++;
      }
      return n;
    }
    const all = [...items];
    const dayHeading = view.dayHeading;
    const group =
      view.group ??
      (dayHeading
        ? { key: (p: P) => p.day ?? '', heading: (d: string, n: number) => dayHeading(d || null, n) }
        : undefined);
    if (group) {
      let i = 0;
      while (i < all.length) {
        const key = group.key(all[i]!);
        let j = i;
        while (j < all.length && group.key(all[j]!) === key) j++;
        if (i > 0) this.io.out('');
        this.io.out(group.heading(key, j - i));
        for (let k = i; k < j; k++) {
          this.io.out('');
          this.block(all[k]!, k - i, j - i, view);
        }
        i = j;
      }
      return all.length;
    }
    all.forEach((p, i) => {
      if (i > 0) this.io.out('');
      this.block(p, i, all.length, view);
    });
    return all.length;
  }

  private block<P extends Paper>(p: P, index: number, total: number, view: PaperView<P>): void {
    const { lines, indent } = renderPaperBlock(this.io, p, index, total, view);
    for (const l of lines) this.io.out(l);
    if (view.below) for (const l of view.below(p, this.io.width - indent - 1)) this.io.out(' '.repeat(indent) + l);
  }

  /** Label and value rows: aligned labels on a terminal, `label<TAB>value` when piped. */
  fields(rows: readonly (readonly [string, string | null | undefined])[], opts: { wrap?: boolean } = {}): void {
    const shown = rows.filter((r): r is [string, string] => r[1] !== null && r[1] !== undefined && r[1] !== '');
    if (!this.tty) {
      for (const [k, v] of shown) this.io.out(`${k}\t${tsvCell(v)}`);
      return;
    }
    const labelW = Math.max(0, ...shown.map(([k]) => displayWidth(k))) + 1;
    const valueW = Math.max(20, this.io.width - labelW - 1);
    for (const [k, v] of shown) {
      const lines = opts.wrap ? wrap(v, valueW) : [v];
      lines.forEach((l, i) => this.io.out(`${i === 0 ? this.color.dim(padEnd(k, labelW)) : ' '.repeat(labelW)}${l}`));
    }
  }

  /**
   * Rows as a table (gh's tableprinter): on a terminal, columns aligned two spaces apart,
   * the flex column truncated to the width left; piped, one tab-separated line per row.
   */
  table<R>(rows: readonly R[], columns: readonly Column<R>[]): void {
    if (!this.tty) {
      for (const r of rows) this.io.out(columns.map((c) => tsvCell(c.value(r))).join('\t'));
      return;
    }
    const texts = rows.map((r) => columns.map((c) => cleanLine(c.tty ? c.tty(r) : String(c.value(r) ?? ''))));
    const widths = columns.map((_, i) => Math.max(0, ...texts.map((t) => displayWidth(t[i]!))));
    const flex = columns.findIndex((c) => c.flex);
    if (flex >= 0) {
      const fixed = widths.reduce((a, w, i) => (i === flex ? a : a + w), 0) + 2 * (columns.length - 1);
      widths[flex] = Math.max(10, this.io.width - fixed);
    }
    rows.forEach((r, ri) => {
      const cells = columns.map((c, i) => {
        const t = i === flex ? truncate(texts[ri]![i]!, widths[i]!) : texts[ri]![i]!;
        const last = i === columns.length - 1;
        const padded = c.align === 'right' ? padStart(t, widths[i]!) : last ? t : padEnd(t, widths[i]!);
        const style = c.style?.(r);
        return style ? style(padded) : padded;
      });
      this.io.out(cells.join('  '));
    });
  }

  /** Terminal stderr only, never with --json or -q: a dim note. */
  note(message: string): void {
    if (this.io.errTty && !this.quiet && !this.json) this.io.err(this.io.errColor.dim(message));
  }

  /** The empty-result hint, when a command printed nothing. */
  empty(message = EMPTY_HINT): void {
    this.note(message);
  }
}

/** The output of a command run with `--json` (when it has that flag) in a context. */
export function createOutput(ctx: { io: IO; quiet: boolean }, input: { json?: boolean } = {}): Output {
  return new Output(ctx.io, !!input.json, ctx.quiet);
}
