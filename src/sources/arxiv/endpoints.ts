/**
 * Where arXiv requests go and how far apart: what config.ts reads from the environment.
 * Its own small module, so that every command's start-up does not load the arXiv parsers.
 */

/** arXiv's terms: no more than one request every 3 seconds. */
export const ARXIV_DELAY_MS = 3_000;

export interface ArxivEndpoints {
  rss: string;
  api: string;
  oai: string;
  /** Papers' PDFs (`/pdf/ID`): arxiv.org itself. */
  pdf: string;
}

export const DEFAULT_ARXIV_ENDPOINTS: ArxivEndpoints = {
  rss: 'https://rss.arxiv.org',
  api: 'https://export.arxiv.org',
  // OAI-PMH moved from export.arxiv.org/oai2 to oaipmh.arxiv.org/oai in March 2025.
  oai: 'https://oaipmh.arxiv.org',
  pdf: 'https://arxiv.org',
};

/**
 * The delay between requests: arXiv's 3 s, or `PAPERS_ARXIV_DELAY_MS` where tests set it
 * (for tests only: a shorter delay breaks arXiv's terms).
 */
export function arxivDelayMs(value?: string): number {
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value.trim()) : ARXIV_DELAY_MS;
}

/** `ARXIV_ENDPOINT` (one base URL for all four) or arXiv's own hosts. */
export function arxivEndpoints(override?: string): ArxivEndpoints {
  const base = override?.trim().replace(/\/+$/, '');
  return base ? { rss: base, api: base, oai: base, pdf: base } : DEFAULT_ARXIV_ENDPOINTS;
}
