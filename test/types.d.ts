// Declarations for untyped modules the tests use.
declare module 'bibtex-parse' {
  export interface BibEntry {
    key: string;
    type: string;
    [field: string]: unknown;
  }
  const bibtexParse: { entries(text: string): BibEntry[]; parse(text: string): unknown[] };
  export default bibtexParse;
}
declare module '*/kit/samples.mjs' {
  export const BESIDE_CLONE: string;
  export function samplesDir(env?: Record<string, string | undefined>): string;
  export function arxivSamplesDir(env?: Record<string, string | undefined>): string;
}
declare module '*/hf-server.mjs' {
  export function startHfServer(days: unknown, opts?: unknown): Promise<import('./helpers/fixtures.js').HfServer>;
  export function loadDays(dir: string): Map<string, Record<string, unknown>[]>;
  export function renderPage(day: string, entries: unknown[]): string;
}
