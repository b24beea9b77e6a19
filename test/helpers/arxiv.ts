// The real arXiv bodies (../shared/arxiv-samples), found beside the HF samples the way the
// benchmark finds those; read at run time, never copied into the repo.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
// @ts-ignore: a plain ESM helper without type declarations
import { samplesDir } from '../../bench/lib/samples.mjs';

export const ARXIV_SAMPLES = resolve(samplesDir() as string, '..', 'arxiv-samples');

export function readArxivSample(rel: string): string {
  return readFileSync(join(ARXIV_SAMPLES, rel), 'utf8');
}
