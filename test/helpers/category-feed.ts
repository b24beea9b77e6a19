// One category's announcement made from the real whole-arXiv day (rss/all-archives_2024-11-28,
// 1504 items): the items that carry the category, typed as rss.arxiv.org types them for a
// feed of that category alone (arxiv-feed's rule: a new paper whose primary category is
// another is `cross`, a replacement of one is `replace-cross`). Built at run time from the
// real body, never copied.
import { readArxivSample } from './arxiv.js';

export const WHOLE_DAY = 'rss/all-archives_2024-11-28_whole-day.xml';

export function categoryFeed(cat: string): string {
  const body = readArxivSample(WHOLE_DAY);
  const head = body.slice(0, body.indexOf('<item>'));
  const tail = body.slice(body.lastIndexOf('</item>') + '</item>'.length);
  const items = body.match(/<item>[\s\S]*?<\/item>/g) ?? [];
  const mine = items
    .filter((it) => it.includes(`<category>${cat}</category>`))
    .map((it) => {
      const primary = /<category>([^<]*)<\/category>/.exec(it)?.[1];
      if (primary === cat) return it;
      return it
        .replace(
          /(Announce Type: )(new|replace)( )/,
          (_, a, t, b) => `${a}${t === 'new' ? 'cross' : 'replace-cross'}${b}`,
        )
        .replace(
          /<arxiv:announce_type>(new|replace)<\/arxiv:announce_type>/,
          (_, t) => `<arxiv:announce_type>${t === 'new' ? 'cross' : 'replace-cross'}</arxiv:announce_type>`,
        );
    });
  const channel = head
    .replace(/<title>[^<]*<\/title>/, `<title>${cat} updates on arXiv.org</title>`)
    .replace(/rss\/astro-ph[^<"]*/g, `rss/${cat}`);
  return channel + mine.join('\n    ') + tail;
}
