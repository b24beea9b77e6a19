/** `papers show ID`: everything known about one paper. */
import { argument, jsonOption } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { paperDetails } from '../core/details.js';
import { getPaper } from '../core/query.js';
import type { ArxivVersion } from '../sources/arxiv/details.js';
import { sparkline, upvoteHistory } from '../core/signals.js';
import { PapersError } from '../errors.js';
import { checkPaperIds, parsePaperId } from '../ids.js';
import { createOutput } from '../render/output.js';
import { wrap } from '../render/text.js';
import { cleanLine, displayText } from '../text.js';

/** `v1 2024-10-01, v2 2024-10-15`; a version without a known date is its number alone. */
function versionsLine(versions: readonly ArxivVersion[]): string | null {
  // A single version without a date says no more than the id's suffix.
  if (versions.length === 0 || (versions.length === 1 && !versions[0]!.date)) return null;
  return versions.map((v) => (v.date ? `v${v.version} ${v.date.slice(0, 10)}` : `v${v.version}`)).join(', ');
}

export default defineCommand({
  name: 'show',
  summary: 'everything the archive holds about one paper',
  pager: true,
  access: 'read',
  args: {
    id: argument(
      '<id>',
      'an arXiv id or link: 2406.12345, 2406.12345v2, arxiv.org/abs/..., arxiv.org/pdf/..., huggingface.co/papers/...',
    ),
  },
  options: { ...jsonOption },
  examples: [
    'papers show 2406.12345',
    'papers show https://arxiv.org/pdf/2406.12345v2.pdf',
    'papers show https://huggingface.co/papers/2406.12345 --json',
  ],
  async run(ctx, o) {
    checkPaperIds([o.id]);
    const db = await ctx.db();
    const id = parsePaperId(o.id, (x) => getPaper(db, x) !== undefined);
    const p = getPaper(db, id);
    if (!p) {
      throw new PapersError(`${id} is not in the archive`, {
        hint: `fetch it from arXiv with \`papers add ${id}\`, or sync the days that list it (papers sync --since ...)`,
      });
    }
    const out = createOutput(ctx, o);
    const history = upvoteHistory(db, id);
    const d = paperDetails(db, id);
    if (out.json) {
      const { listings, ...arxiv } = d;
      out.value({ ...p, listings, ...arxiv, history });
      return 0;
    }
    const c = out.color;
    const trend =
      history.length <= 1
        ? null
        : out.tty
          ? `${sparkline(
              history.map((h) => h.upvotes),
              40,
            )}  ${history[0]!.upvotes} → ${p.upvotes} ` +
            `since ${history[0]!.at.slice(0, 10)} (${history.length} snapshots)`
          : history.map((h) => `${h.at} ${h.upvotes}`).join(', ');
    const block = (label: string, value: string | null) => {
      if (!value) return;
      if (!out.tty) return out.fields([[label, value]]);
      out.line('');
      out.line(c.bold(label));
      for (const l of wrap(value, ctx.io.width)) out.line(l);
    };
    if (out.tty) {
      for (const l of wrap(displayText(p.title), ctx.io.width)) out.line(c.bold(l));
      out.line('');
    } else {
      out.fields([['title', displayText(p.title)]]);
    }
    // One row per listing (piped: each under its label, so `grep ^listed` finds them all).
    const listed = d.listings.map((l, i): [string, string] => [
      i === 0 || !out.tty ? 'listed' : '',
      [l.day, l.source, l.type, l.goneAt ? '(no longer listed upstream)' : ''].filter(Boolean).join(' '),
    ]);
    out.fields(
      [
        ['id', p.id + (p.version ? `v${p.version}` : '')],
        ['authors', p.authors.map(cleanLine).join(', ')],
        ['categories', p.categories.map(cleanLine).join(', ')],
        ...listed,
        ['upvotes', p.upvotes === null ? null : String(p.upvotes)],
        ['history', trend],
        ['comments', p.comments === null ? null : String(p.comments)],
        ['published', p.publishedAt],
        ['versions', versionsLine(d.versions)],
        ['updated', d.updated],
        ['DOI', p.doi ? cleanLine(p.doi) : null],
        ['journal ref', p.journalRef ? cleanLine(p.journalRef) : null],
        ['arXiv comments', p.arxivComments ? cleanLine(p.arxivComments) : null],
        ['license', p.license ? cleanLine(p.license) : null],
        ['starred', d.star ? d.star.starredAt.slice(0, 10) : null],
        ['tags', d.star ? d.star.tags.map(cleanLine).join(', ') : null],
        ['arXiv', p.url],
        ['PDF', p.pdfUrl],
        ['Hugging Face', p.hfUrl],
        [
          'GitHub',
          p.githubRepo ? cleanLine(p.githubRepo) + (p.githubStars !== null ? `  (★ ${p.githubStars})` : '') : null,
        ],
        ['project', p.projectPage ? cleanLine(p.projectPage) : null],
        ['organization', p.organization ? cleanLine(p.organization) : null],
        ['submitted by', p.submitter ? cleanLine(p.submitter) : null],
        ['keywords', p.aiKeywords.map(cleanLine).join(', ')],
      ],
      { wrap: true },
    );
    block(
      'Affiliations',
      d.affiliations.length
        ? d.affiliations.map((a) => `${cleanLine(a.name)} (${a.affiliations.map(cleanLine).join('; ')})`).join(', ')
        : null,
    );
    block('AI summary', p.aiSummary ? cleanLine(p.aiSummary) : null);
    block('Abstract', cleanLine(p.abstract));
    return 0;
  },
});
