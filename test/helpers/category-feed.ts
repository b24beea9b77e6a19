// One category's announcement made from the real whole-arXiv day (rss/all-archives_2024-11-28,
// 1504 items): the items that carry the category, typed as rss.arxiv.org types them for a
// feed of that category alone (arxiv-feed's rule: a new paper whose primary category is
// another is `cross`, a replacement of one is `replace-cross`). Built at run time from the
// real body, never copied.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ARXIV_SAMPLES, readArxivSample } from './arxiv.js';
import { type RunCliOptions, runCli } from './run-cli.js';

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

/** Every entry of the real query-API answers (`files`, else all of api/), by canonical id. */
export function apiEntries(files?: readonly string[]): Map<string, string> {
  const byId = new Map<string, string>();
  const names = files ?? readdirSync(join(ARXIV_SAMPLES, 'api')).map((f) => `api/${f}`);
  for (const f of names) {
    for (const e of readArxivSample(f).match(/<entry>[\s\S]*?<\/entry>/g) ?? []) {
      const id = /<id>https?:\/\/arxiv\.org\/abs\/([^<]+?)(v\d+)?<\/id>/.exec(e)?.[1];
      if (id && !byId.has(id)) byId.set(id, e);
    }
  }
  return byId;
}

/** The query API's answer to an id_list, from `entries` (a version asked answers that entry). */
export function apiAnswer(entries: Map<string, string>, idList: string | undefined): string {
  const empty = readArxivSample('api/api-2026_id_0000.0000_s0_m100_8b51d9633a68.xml');
  const ids = (idList ?? '').split(',').map((i) => i.replace(/v\d+$/, ''));
  return empty.replace('</feed>', `${ids.map((i) => entries.get(i) ?? '').join('\n')}</feed>`);
}

/** runCli against a local arXiv (ARXIV_ENDPOINT, no delay), in the archive `at().home`. */
export function arxivCli(at: () => { home: string; url: string; now: string }) {
  return (argv: string[], opts: RunCliOptions = {}) => {
    const { home, url, now } = at();
    return runCli(argv, { home, now, ...opts, env: { ARXIV_ENDPOINT: url, PAPERS_ARXIV_DELAY_MS: '0', ...opts.env } });
  };
}
