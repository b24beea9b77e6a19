/**
 * The digest as Markdown (CommonMark/GFM), for notes folders: a section per watch,
 * papers by upvotes, each with its AI summary (else the start of its abstract). Remote
 * text goes through the export's `mdText`/`mdUrl`, so it cannot open markup.
 */
import type { Digest, DigestSection } from '../core/digest.js';
import { digestSummary, forYouNote } from '../core/digest.js';
import { describeScope } from '../core/new.js';
import type { Paper } from '../core/papers.js';
import { cleanLine, displayText } from '../text.js';
import { mdText, mdUrl } from './markdown.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The text a digest shows for a paper: the AI summary, else the abstract cut at a sentence. */
export function digestBlurb(p: Paper, max = 400): string {
  const text = (p.aiSummary ?? p.abstract ?? '').replace(/\s+/g, ' ').trim();
  if (p.aiSummary || text.length <= max) return text;
  const cut = text.slice(0, max);
  const stop = cut.lastIndexOf('. ');
  return stop > max / 2 ? cut.slice(0, stop + 1) : cut.replace(/\s+\S*$/, '') + '…';
}

/** "listed since 2025-03-10, not shown before (...)", "listed on 2025-03-11 (no mark yet: the latest day)". */
export function sectionScope(d: Digest, s: DigestSection): string {
  // One scope for every section is said once, in the summary line under the title
  // (digestSummary): repeating it under each section ("no mark yet: the latest day") is noise.
  const scopes = new Set(d.sections.map((x) => describeScope(x.scope)));
  return scopes.size === 1 ? '' : describeScope(s.scope);
}

function link(label: string, url: string | null | undefined): string | null {
  const dest = mdUrl(url);
  return dest ? `[${label}](${dest})` : null;
}

function item(p: Paper): string {
  const title = mdText(displayText(p.title)) || mdText(p.id);
  const votes = p.upvotes === null ? '' : ` · ${plural(p.upvotes, 'upvote')}`;
  const lines: string[] = [`- **${link(title, p.url) ?? title}**${votes}`];
  const meta: string[] = [];
  const authors = p.authors.map(mdText).filter(Boolean);
  if (authors.length) meta.push(authors.length > 6 ? `${authors.slice(0, 6).join(', ')} et al.` : authors.join(', '));
  const org = mdText(p.organization);
  if (org) meta.push(org);
  if (p.day) meta.push(`listed ${mdText(p.day)}`);
  const relevance = (p as { relevance?: number }).relevance;
  if (typeof relevance === 'number') meta.push(`relevance ${relevance.toFixed(2)}`);
  if (meta.length) lines.push(meta.join(' · '));
  const links = [link('PDF', p.pdfUrl), link('Hugging Face', p.hfUrl)];
  if (p.githubRepo)
    links.push(link(p.githubStars !== null ? `Code (${plural(p.githubStars, 'star')})` : 'Code', p.githubRepo));
  if (p.projectPage) links.push(link('Project page', p.projectPage));
  lines.push(links.filter(Boolean).join(' · '));
  let out = lines.map((l, i) => (i === 0 ? l : '  ' + l)).join('\\\n') + '\n';
  const blurb = mdText(digestBlurb(p));
  if (blurb) out += `\n  ${blurb}\n`;
  return out + '\n';
}

export function renderDigestMarkdown(d: Digest): string {
  const out: string[] = [];
  out.push(`# Papers digest · ${d.generatedAt.slice(0, 10)}\n\n`);
  out.push(`${mdText(digestSummary(d))} · generated ${d.generatedAt.slice(0, 16).replace('T', ' ')} UTC\n\n`);
  for (const s of d.sections) {
    out.push(`## ${mdText(s.title)} (${s.papers.length})\n\n`);
    const scope = [s.description ? `\`${cleanLine(s.description).replace(/`/g, "'")}\`` : '', sectionScope(d, s)]
      .filter(Boolean)
      .join(' · ');
    if (scope) out.push(`${scope}\n\n`);
    const note = forYouNote(s);
    if (note) out.push(`${mdText(note)}\n\n`);
    if (s.papers.length === 0) {
      if (note) continue;
      out.push('No new papers.\n\n');
      continue;
    }
    for (const p of s.papers) out.push(item(p));
  }
  return out.join('').replace(/\n+$/, '\n');
}
