/**
 * A source by the name a user writes: `hf` is the Hugging Face adapter (listings by
 * requested day), `arxiv:CATS` an announcement source. What the CLI resolves
 * `--source NAME` and the followed sources with.
 */
import { parseSourceName } from './source-name.js';
import { arxivSource, type ArxivSourceOptions } from './arxiv/source.js';
import { hfDaily } from './hf-daily.js';
import type { AnnouncementSource, SourceAdapter } from './types.js';

export type ResolvedSource = { kind: 'hf'; adapter: SourceAdapter } | { kind: 'arxiv'; source: AnnouncementSource };

export function resolveSource(name: string, arxiv: ArxivSourceOptions): ResolvedSource {
  const parsed = parseSourceName(name);
  if (parsed.kind === 'hf') return { kind: 'hf', adapter: hfDaily };
  return { kind: 'arxiv', source: arxivSource(parsed.name, arxiv) };
}
