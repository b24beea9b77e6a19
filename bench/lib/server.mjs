// The replay server for benchmarks: kit/hf-server.mjs (the tests' server too) serving a generated corpus
// from its cache folder. A small LRU keeps the few days being paged in memory, so a 1M
// corpus (gigabytes of bodies) is never loaded whole.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startHfServer } from '../../kit/hf-server.mjs';

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

/**
 * The replay server as a child process (serve-corpus.mjs). Resolves { url, close() }; close()
 * resolves the number of requests it served.
 */
export function spawnCorpusServer(daysDir) {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./serve-corpus.mjs', import.meta.url)), daysDir], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = [];
  let buf = '';
  let wake = null;
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) lines.push(JSON.parse(buf.slice(0, i)));
    wake?.();
  });
  const next = () =>
    new Promise((resolve, reject) => {
      const check = () => (lines.length ? resolve(lines.shift()) : null);
      if (check() === null) {
        wake = check;
        child.once('exit', (code) =>
          lines.length ? check() : reject(new Error(`the replay server exited (${code})`)),
        );
      }
    });
  return next().then(({ url }) => ({
    url,
    async close() {
      child.stdin.end();
      return (await next()).requests;
    },
  }));
}
