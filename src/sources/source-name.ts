/**
 * Source names as users write them: `hf` (Hugging Face Daily Papers, the default) and
 * `arxiv:CAT[+CAT...]` (`arxiv:cs.CL+cs.LG`, `arxiv:quant-ph`, `arxiv:cs` for a whole
 * archive). Categories are checked against the shipped taxonomy; a name arXiv does not
 * have is a usage error with the closest ones as a hint.
 */
import { UsageError } from '../errors.js';
import { quoteArg } from '../text.js';
import { knownCategory, suggestCategories } from './arxiv/taxonomy.js';

export type SourceName = { kind: 'hf'; name: 'hf' } | { kind: 'arxiv'; name: string; categories: string[] };

/** Hugging Face's name, to users and in the archive (listings, sync records, runs). */
export const HF_SOURCE = 'hf';

export function parseSourceName(input: string): SourceName {
  const s = input.trim();
  if (/^(hf|hf-daily|huggingface)$/i.test(s)) return { kind: 'hf', name: HF_SOURCE };
  const m = /^arxiv:(.*)$/i.exec(s);
  if (!m) {
    throw new UsageError(`unknown source ${quoteArg(input)}`, {
      hint: 'a source is hf, or arxiv:CATEGORY[+CATEGORY...] such as arxiv:cs.CL or arxiv:cs.CL+cs.LG',
    });
  }
  const parts = m[1]!.split('+').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new UsageError(`no category in ${quoteArg(input)}`, { hint: 'write it arxiv:cs.CL, or arxiv:cs.CL+cs.LG' });
  }
  const categories: string[] = [];
  for (const p of parts) {
    const c = knownCategory(p);
    if (!c) {
      const near = suggestCategories(p);
      throw new UsageError(`arXiv has no category ${quoteArg(p)}`, {
        hint: near.length
          ? `did you mean ${near.join(', ')}? (all: https://arxiv.org/category_taxonomy)`
          : 'see https://arxiv.org/category_taxonomy for the names',
      });
    }
    if (!categories.includes(c)) categories.push(c);
  }
  return { kind: 'arxiv', name: `arxiv:${categories.join('+')}`, categories };
}
