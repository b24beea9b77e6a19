// The replay server for benchmarks: test/helpers/hf-server.mjs serving a generated corpus
// from its cache folder. A small LRU keeps the few days being paged in memory, so a 1M
// corpus (gigabytes of bodies) is never loaded whole.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHfServer } from '../../test/helpers/hf-server.mjs';

export async function startCorpusServer(daysDir, { lru = 32 } = {}) {
  const cache = new Map();
  const lookup = (day) => {
    if (cache.has(day)) {
      const v = cache.get(day);
      cache.delete(day);
      cache.set(day, v);
      return v;
    }
    const f = join(daysDir, `${day}.json`);
    // A day without a file is a day without a list: the API answers [].
    const v = existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
    cache.set(day, v);
    if (cache.size > lru) cache.delete(cache.keys().next().value);
    return v;
  };
  return startHfServer(lookup, { noHtml: true });
}
