/** `papers library [import FILE]`: your starred papers, and bringing in a reference manager's export. */
import { argument, choice, jsonOption, list, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { checkTag, importLibrary, libraryTags, listLibrary, readLibrary } from '../core/library.js';
import { renderImportSummary } from '../render/library.js';
import { createOutput } from '../render/output.js';
import { relativeTime } from '../render/text.js';

const importCmd = defineCommand({
  name: 'import',
  summary: 'star the papers a BibTeX or CSL-JSON export names (Zotero, JabRef, Google Scholar)',
  description: `Entries are matched to papers of the archive by arXiv id (eprint, arxiv.org URLs, ids
in note/howpublished), then by DOI, then by title. Nothing is fetched: the summary (on stderr)
says which arXiv papers \`papers add\` would bring in, and which entries are not arXiv papers.
Reads a regular file of at most 32 MiB; BibTeX macros and fields over 100,000
characters are refused; parsing has a deadline (a minute, plus 30 s per MiB).`,
  access: 'update',
  args: { file: argument('<file>', 'a .bib (BibTeX) or .json (CSL-JSON) file') },
  options: {
    tag: list('--tag <tag>', 'tag what is starred (repeatable)'),
    format: choice('--format <format>', 'the file format (default: from its content)', ['bibtex', 'csl-json'] as const),
    ...jsonOption,
  },
  examples: [
    'papers library import ~/Zotero/export.bib --tag zotero',
    'papers library import library.json',
    'papers library import refs.bib --json | jq -r ".fetchable[].id"',
  ],
  async run(ctx, o) {
    // Tags checked, the file read and parsed, before the archive is opened.
    const tags = o.tag?.map(checkTag);
    const parsed = await readLibrary(o.file, { format: o.format, signal: ctx.signal });
    const db = await ctx.db();
    const r = await importLibrary({ db, now: ctx.now }, o.file, { tags, parsed, signal: ctx.signal });
    const out = createOutput(ctx, o);
    if (out.json) out.value(r);
    if (!ctx.quiet) for (const l of renderImportSummary(r)) ctx.io.err(l);
    return 0;
  },
});

const listCmd = defineCommand({
  name: 'list',
  summary: 'your starred papers, most recently starred first, with their tags (the default)',
  isDefault: true,
  access: 'read',
  options: {
    tag: text('--tag <tag>', 'only the papers with this tag'),
    ...jsonOption,
  },
  examples: [
    'papers library',
    'papers library --tag rl',
    'papers library --json | jq -r ".[] | [.id, .starredAt] | @tsv"',
    'papers library | cut -f1   # the ids: id, day, upvotes, title, starred at, tags',
  ],
  async run(ctx, o) {
    const db = await ctx.db();
    const entries = listLibrary(db, { tag: o.tag });
    const out = createOutput(ctx, o);
    const now = ctx.now();
    const c = out.color;
    const n = out.papers(entries, {
      showDay: true,
      tsv: (e) => [e.starredAt, e.tags.join(',')],
      below: (e) => {
        const tags = e.tags.length ? c.dim(' · tags: ') + c.green(e.tags.join(', ')) : '';
        return [c.dim(`starred ${relativeTime(e.starredAt, now)}`) + tags];
      },
    });
    if (n === 0) {
      if (o.tag === undefined) {
        out.empty('no starred papers yet; star one: papers star ID, or papers library import FILE.bib');
      } else {
        const tags = libraryTags(db).map((t) => `${t.tag} (${t.count})`);
        out.empty(`no starred papers tagged ${o.tag}; ${tags.length ? `tags: ${tags.join(', ')}` : 'no tags yet'}`);
      }
    }
    return 0;
  },
});

export default defineCommand({
  name: 'library',
  summary: 'your starred papers (`papers star`), and `library import FILE` from a reference manager',
  examples: [
    'papers library                 # the same as papers library list',
    'papers library --tag rl --json',
    'papers library import ~/Zotero/export.bib --tag zotero',
  ],
  subcommands: [listCmd, importCmd],
});
