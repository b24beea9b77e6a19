// The core's modules, compiled one by one from src/ (scripts/build.mjs buildModules) into
// bench/.cache/modules: the benchmarks time the core in-process from them. The CLI itself
// runs as the one bundle in dist/, which whole-process timings use.
import { mkdirSync } from 'node:fs';
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
