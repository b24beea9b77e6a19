// Generated arXiv announcement feeds (RSS 2.0, rss.arxiv.org's shape) for the arXiv benchmark
// (bench/arxiv.mjs). The real whole-day feed in ../shared/arxiv-samples/rss/ is the template:
// its channel header is kept byte for byte (dates changed), its items give the titles,
// abstracts, author names, category sets, licenses, DOIs and journal references that are
// recombined, with a seeded PRNG, one day at a time. Ids are fresh `YYMM.NNNNN` for new and
// cross listings; replacements name papers announced on earlier days with a higher version.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from './rng.mjs';
import { arxivSamplesDir } from '../../kit/samples.mjs';

// Beside the HF samples, found as they are (kit/samples.mjs: $PAPERS_SAMPLES, ../shared).
export const WHOLE_DAY = join(arxivSamplesDir(), 'rss', 'all-archives_2024-11-28_whole-day.xml');

const ITEM = /<item>([\s\S]*?)<\/item>/g;
const field = (item, tag) => {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(item);
  return m ? m[1] : null;
};

/** The template: the channel header and the item pools (text kept XML-escaped as in the feed). */
export function loadTemplate(path = WHOLE_DAY) {
  const body = readFileSync(path, 'utf8');
  const head = body.slice(0, body.indexOf('<item>'));
  const items = [];
  for (const m of body.matchAll(ITEM)) {
    const it = m[1];
    const desc = field(it, 'description') ?? '';
    const abs = desc.replace(/^arXiv:\S+\s+Announce Type:\s*\S+\s*\n?Abstract:\s*/, '');
    items.push({
      title: field(it, 'title'),
      abstract: abs,
      sentences: abs.split(/(?<=\.) (?=[A-Z])/),
      creators: (field(it, 'dc:creator') ?? '').split(', ').filter(Boolean),
      categories: [...it.matchAll(/<category>([^<]*)<\/category>/g)].map((c) => c[1]),
      rights: field(it, 'dc:rights'),
      doi: field(it, 'arxiv:DOI'),
      journal: field(it, 'arxiv:journal_reference'),
    });
  }
  const names = [...new Set(items.flatMap((i) => i.creators).filter((n) => !/[()]/.test(n) && n.length < 40))];
  return { head, items, names };
}

const DAY_MS = 86_400_000;
const DOW = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Thu, 28 Nov 2024` for a day. */
export function rfcDate(day) {
  const d = new Date(`${day}T00:00:00Z`);
  return `${DOW[d.getUTCDay()]}, ${String(d.getUTCDate()).padStart(2, '0')} ${MON[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** `count` weekdays from `first` on. */
export function weekdays(count, first = '2024-01-02') {
  const out = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); out.length < count; t += DAY_MS) {
    const dow = new Date(t).getUTCDay();
    if (dow !== 0 && dow !== 6) out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Yields `{ day, body, items, fresh }` for `days` consecutive weekdays: about `perDay` items
 * each (±15%), of which ~62% new, ~8% cross, ~25% replace, ~5% replace-cross (replacements
 * only once earlier days exist).
 */
export function* generateFeeds({ days, perDay = 2000, seed = 1, template = loadTemplate(), first = '2024-01-02' }) {
  const { head, items, names } = template;
  const announced = []; // ids announced so far, for replacements
  const versions = new Map();
  const counters = new Map();
  for (const day of weekdays(days, first)) {
    const rng = new Rng(seed, `arxiv:${day}`);
    const n = rng.int(Math.round(perDay * 0.85), Math.round(perDay * 1.15));
    const date = rfcDate(day);
    const month = day.slice(2, 4) + day.slice(5, 7);
    const parts = [];
    const seen = new Set();
    const fresh = [];
    for (let i = 0; i < n; i++) {
      const r = rng.next();
      let type = r < 0.62 ? 'new' : r < 0.7 ? 'cross' : r < 0.95 ? 'replace' : 'replace-cross';
      if (type.startsWith('replace') && announced.length === 0) type = 'new';
      let id;
      let v = 1;
      if (type.startsWith('replace')) {
        id = announced[rng.int(0, announced.length - 1)];
        if (seen.has(id)) {
          i--;
          continue;
        }
        v = (versions.get(id) ?? 1) + 1;
        versions.set(id, v);
      } else {
        const c = (counters.get(month) ?? rng.int(1, 500)) + rng.int(1, 2);
        counters.set(month, c);
        id = `${month}.${String(c).padStart(5, '0')}`;
        fresh.push(id);
      }
      seen.add(id);
      const a = rng.pick(items);
      const b = rng.pick(items);
      // Title: the head of one real title and the tail of another, at a word boundary.
      const aw = a.title.split(' ');
      const bw = b.title.split(' ');
      const title = [...aw.slice(0, Math.max(1, aw.length >> 1)), ...bw.slice(bw.length >> 1)].join(' ');
      // Abstract: the first sentences of one donor, the rest of the other.
      const k = Math.max(1, a.sentences.length >> 1);
      const abstract = [...a.sentences.slice(0, k), ...b.sentences.slice(Math.min(k, b.sentences.length - 1))].join(
        ' ',
      );
      const nAuthors = Math.min(1 + Math.floor(-Math.log(1 - rng.next()) * 4), 40);
      const authors = Array.from({ length: nAuthors }, () => rng.pick(names)).join(', ');
      const cats = rng.pick(items).categories;
      const lines = [
        '    <item>',
        `      <title>${title}</title>`,
        `      <link>https://arxiv.org/abs/${id}</link>`,
        `      <description>arXiv:${id}v${v} Announce Type: ${type} \nAbstract: ${abstract}</description>`,
        `      <guid isPermaLink="false">oai:arXiv.org:${id}v${v}</guid>`,
        ...cats.map((c) => `      <category>${c}</category>`),
        `      <pubDate>${date} 00:00:00 -0500</pubDate>`,
        `      <arxiv:announce_type>${type}</arxiv:announce_type>`,
        `      <dc:rights>${a.rights ?? 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/'}</dc:rights>`,
        `      <dc:creator>${authors}</dc:creator>`,
      ];
      if (v > 1 && b.doi) lines.push(`      <arxiv:DOI>${b.doi}</arxiv:DOI>`);
      if (v > 1 && b.journal) lines.push(`      <arxiv:journal_reference>${b.journal}</arxiv:journal_reference>`);
      lines.push('    </item>');
      parts.push(lines.join('\n'));
    }
    for (const id of fresh) announced.push(id);
    const header = head
      .replace(/<lastBuildDate>[^<]*<\/lastBuildDate>/, `<lastBuildDate>${date} 14:47:20 +0000</lastBuildDate>`)
      .replace(/<pubDate>[^<]*<\/pubDate>/, `<pubDate>${date} 00:00:00 -0500</pubDate>`);
    const body = `${header}${parts.join('\n')}\n  </channel>\n</rss>\n`;
    yield { day, body, items: parts.length, fresh: fresh.length };
  }
}
