/**
 * The digest as one self-contained HTML page, readable in a browser and in a mail
 * client: styles inline on each element (mail clients drop <style> blocks and
 * classes), no scripts, no images, fonts or other external resources; the only URLs
 * are links, and only absolute http(s) ones. Every piece of remote text is escaped.
 */
import type { Digest, DigestSection } from '../core/digest.js';
import { digestSummary } from '../core/digest.js';
import type { Paper } from '../core/papers.js';
import { cleanLine, displayText } from '../text.js';
import { digestBlurb, sectionScope } from './digest-markdown.js';
import { escapeMarkup, htmlText, safeHttpUrl } from './html.js';

const FONT = `-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif`;
const S = {
  body: 'margin:0;padding:0;background:#f4f4f5;',
  page: `max-width:720px;margin:0 auto;padding:24px 16px;font-family:${FONT};color:#18181b;line-height:1.5;font-size:15px;overflow-wrap:break-word;word-wrap:break-word;`,
  h1: 'font-size:24px;line-height:1.25;margin:0 0 4px 0;',
  lead: 'margin:0 0 8px 0;color:#52525b;font-size:14px;',
  toc: 'margin:0 0 8px 0;padding:0;font-size:14px;color:#52525b;',
  h2: 'font-size:19px;line-height:1.3;margin:28px 0 2px 0;padding-bottom:4px;border-bottom:2px solid #d4d4d8;',
  count: 'color:#71717a;font-weight:normal;',
  scope: 'margin:0 0 12px 0;color:#71717a;font-size:13px;',
  code: `font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;background:#e4e4e7;border-radius:3px;padding:1px 4px;color:#3f3f46;`,
  empty: 'margin:0 0 12px 0;color:#71717a;font-style:italic;',
  card: 'background:#ffffff;border:1px solid #e4e4e7;border-radius:8px;padding:12px 16px;margin:0 0 12px 0;',
  title: 'font-size:16px;font-weight:bold;line-height:1.35;margin:0;',
  titleLink: 'color:#1d4ed8;text-decoration:none;',
  meta: 'font-size:13px;color:#52525b;margin:4px 0 0 0;',
  votes: 'color:#b45309;font-weight:bold;',
  blurb: 'font-size:14px;margin:8px 0 0 0;color:#27272a;',
  links: 'font-size:13px;margin:8px 0 0 0;',
  link: 'color:#1d4ed8;',
  footer: 'margin:28px 0 0 0;color:#a1a1aa;font-size:12px;',
};

function a(label: string, url: string | null | undefined, style = S.link): string | null {
  const u = safeHttpUrl(url);
  return u ? `<a href="${escapeMarkup(u)}" style="${style}">${label}</a>` : null;
}

function card(p: Paper): string {
  const title = htmlText(displayText(p.title)) || htmlText(p.id);
  const meta: string[] = [`<span style="${S.votes}">▲ ${p.upvotes}</span>`];
  const authors = p.authors.map(cleanLine).filter(Boolean);
  if (authors.length)
    meta.push(htmlText(authors.length > 6 ? `${authors.slice(0, 6).join(', ')} et al.` : authors.join(', ')));
  if (p.organization) meta.push(htmlText(p.organization));
  if (p.day) meta.push(`listed ${htmlText(p.day)}`);
  // "For you": the model's score (recommend.ts)
  const score = (p as { score?: number }).score;
  if (typeof score === 'number') meta.push(`score ${score.toFixed(2)}`);
  const links = [
    a('arXiv', p.url),
    a('PDF', p.pdfUrl),
    a('Hugging Face', p.hfUrl),
    a(p.githubStars !== null ? `Code (★ ${p.githubStars})` : 'Code', p.githubRepo),
    a('Project page', p.projectPage),
  ].filter((x): x is string => x !== null);
  const blurb = htmlText(digestBlurb(p));
  return [
    `<div style="${S.card}">`,
    `<p style="${S.title}">${a(title, p.url, S.titleLink) ?? title}</p>`,
    `<p style="${S.meta}">${meta.join(' · ')}</p>`,
    blurb ? `<p style="${S.blurb}">${blurb}</p>` : '',
    `<p style="${S.links}">${links.join(' · ')}</p>`,
    '</div>',
  ]
    .filter(Boolean)
    .join('\n');
}

function section(d: Digest, s: DigestSection, i: number): string {
  const out: string[] = [];
  out.push(
    `<h2 id="s${i}" style="${S.h2}">${htmlText(s.title)} <span style="${S.count}">(${s.papers.length})</span></h2>`,
  );
  const scope = [
    s.description ? `<code style="${S.code}">${htmlText(s.description)}</code>` : '',
    escapeMarkup(sectionScope(d, s)),
  ].filter(Boolean);
  out.push(`<p style="${S.scope}">${scope.join(' · ')}</p>`);
  if (s.papers.length === 0) out.push(`<p style="${S.empty}">No new papers.</p>`);
  for (const p of s.papers) out.push(card(p));
  return out.join('\n');
}

export function renderDigestHtml(d: Digest): string {
  const day = escapeMarkup(d.generatedAt.slice(0, 10));
  const lead = `${day} · ${htmlText(digestSummary(d))}`;
  const toc =
    d.sections.length > 1
      ? `<p style="${S.toc}">${d.sections.map((s, i) => `<a href="#s${i}" style="${S.link}">${htmlText(s.title)}</a> (${s.papers.length})`).join(' · ')}</p>`
      : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Papers digest · ${day}</title>
</head>
<body style="${S.body}">
<div style="${S.page}">
<h1 style="${S.h1}">Papers digest</h1>
<p style="${S.lead}">${lead}</p>
${toc}
${d.sections.map((s, i) => section(d, s, i)).join('\n')}
<p style="${S.footer}">Generated by papers at ${escapeMarkup(d.generatedAt.slice(0, 16).replace('T', ' '))} UTC from Hugging Face Daily Papers.</p>
</div>
</body>
</html>
`;
}
