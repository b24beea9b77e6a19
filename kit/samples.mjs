// Where the real data samples are: what the tests and the benchmarks both read at run time
// (never copied into the repository). One rule for every checkout: $PAPERS_SAMPLES (the
// hf-papers-samples folder), else `shared/hf-papers-samples` beside the clone; otherwise a
// clear error. No machine's own path is named here (test/machine-paths.test.ts checks).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (kit/ is one level below it). */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the Hugging Face samples are looked for when $PAPERS_SAMPLES is unset. */
export const BESIDE_CLONE = resolve(REPO_ROOT, '..', 'shared', 'hf-papers-samples');

/**
 * The Hugging Face samples folder (it holds `hf-api/daily/`): $PAPERS_SAMPLES when set, else
 * ../shared/hf-papers-samples beside the clone. Throws, naming both, when neither holds them.
 */
export function samplesDir(env = process.env) {
  const set = env.PAPERS_SAMPLES;
  if (set) {
    if (existsSync(join(set, 'hf-api', 'daily'))) return resolve(set);
    throw new Error(`PAPERS_SAMPLES=${set} holds no hf-api/daily/: point it at the hf-papers-samples folder`);
  }
  if (existsSync(join(BESIDE_CLONE, 'hf-api', 'daily'))) return BESIDE_CLONE;
  throw new Error(
    `the real samples were not found in ${BESIDE_CLONE}: put shared/hf-papers-samples beside the ` +
      'clone, or set PAPERS_SAMPLES to the hf-papers-samples folder',
  );
}

/** The arXiv samples folder: $PAPERS_ARXIV_SAMPLES, else arxiv-samples beside the HF samples. */
export function arxivSamplesDir(env = process.env) {
  return env.PAPERS_ARXIV_SAMPLES ? resolve(env.PAPERS_ARXIV_SAMPLES) : resolve(samplesDir(env), '..', 'arxiv-samples');
}
