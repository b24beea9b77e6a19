/** `papers library [import FILE]`: your starred papers, and bringing in a reference manager's export. */
import { argument, choice, jsonOption, list, negatable, text } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { checkTag, importLibrary, libraryTags, listLibrary, readLibrary } from '../core/library.js';
import { renderBibtex } from '../render/bibtex.js';
import { renderCsl } from '../render/csl.js';
import { StreamSink, outputFile, pump, writeFileAtomic } from '../render/file.js';
import { chooseFormat, formatName } from '../render/formats.js';
import { renderImportSummary } from '../render/library.js';
import { visibleControls } from '../text.js';
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

const LIBRARY_FORMATS = ['bibtex', 'csl-json'] as const;

const exportCmd = defineCommand({
  name: 'export',
  summary: 'write your starred papers as BibTeX or CSL-JSON, for Zotero or a .bib file',
  description: `Each paper carries what a reference manager needs to know it is an arXiv preprint: the
eprint, archivePrefix and primaryClass (BibTeX), arXiv's DOI 10.48550/arXiv.ID where it has no
journal DOI, and your tags as keywords, which Zotero makes tags and \`papers library import\` reads
back: an export imported into another archive holding the same papers gives the same stars and tags.`,
  access: 'read',
  options: {
    tag: text('--tag <tag>', 'only the papers with this tag'),
    format: choice(
      '-f, --format <format>',
      "the file format (default: -o FILE's extension, else bibtex)",
      LIBRARY_FORMATS,
    ),
    output: text('-o, --output <file>', 'write to this file (atomically) instead of stdout'),
    abstract: negatable('--no-abstract', 'leave the abstracts out'),
  },
  examples: [
    'papers library export -o library.bib',
    'papers library export --tag rl -o rl.json   # CSL-JSON, by the extension',
    'papers library export --format csl-json > library.json   # Zotero: File > Import',
  ],
  async run(ctx, o) {
    const file = outputFile(o.output, ctx.config.dbPath, 'library export');
    const { format } = chooseFormat(LIBRARY_FORMATS, o.format, file, 'bibtex');
    const db = await ctx.db();
    // Oldest star first: a file that grows at its end as the library does.
    const entries = listLibrary(db, { tag: o.tag }).reverse();
    const tags = new Map(entries.map((e) => [e.id, e.tags]));
    const tagsOf = (p: { id: string }) => tags.get(p.id) ?? [];
    const chunks =
      format === 'csl-json'
        ? renderCsl(entries, tagsOf, { abstract: o.abstract !== false })
        : renderBibtex(entries, { abstract: o.abstract !== false, arxivDoi: true, keywords: tagsOf });
    if (file) {
      await writeFileAtomic(file, chunks, { pid: ctx.pid, signal: ctx.signal });
      const n = `${entries.length} paper${entries.length === 1 ? '' : 's'}`;
      if (!ctx.quiet) ctx.io.err(`wrote ${n} to ${visibleControls(file)} as ${formatName(format)}`);
    } else await pump(chunks, new StreamSink(ctx.io.stdout), ctx.signal);
    if (entries.length === 0) createOutput(ctx).empty('no starred papers to export; star one: papers star ID');
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
    'papers library export --format csl-json -o library.json',
  ],
  subcommands: [listCmd, importCmd, exportCmd],
});
