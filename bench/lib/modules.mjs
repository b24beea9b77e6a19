// The core's modules, compiled one by one from src/ (scripts/build.mjs buildModules) into
// bench/.cache/modules: the benchmarks time the core in-process from them. The CLI itself
// runs as the one bundle in dist/, which whole-process timings use.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildModules } from '../../scripts/build.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const MODULES_DIR = join(ROOT, 'bench', '.cache', 'modules');
export const MODULES = pathToFileURL(MODULES_DIR + '/');

mkdirSync(MODULES_DIR, { recursive: true });
await buildModules(MODULES_DIR);

/** Imports a compiled module of src/ by its path there (`core/query.js`). */
export const core = (p) => import(new URL(p, MODULES).href);

const { saveDay } = await core('db/store.js');
const { parseApiBody } = await core('sources/hf-daily.js');

/** Saves one API day file (`YYYY-MM-DD….json`) into `db` as a sync of it would, stamped `now`. */
export function saveDayFile(db, file, now) {
  const name = file.slice(file.lastIndexOf('/') + 1);
  const parsed = parseApiBody(readFileSync(file, 'utf8'), name);
  return saveDay(db, {
    source: 'hf',
    day: name.slice(0, 10),
    entries: parsed.entries,
    skipped: parsed.skipped,
    requests: 1,
    via: 'api',
    now,
  });
}
