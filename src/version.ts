import { readFileSync } from 'node:fs';

/** The package version, from the package.json above this file (dist/cli.js or the bundle dist/papers.cjs). */
export const VERSION: string = (() => {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'papers' && pkg.version) return pkg.version;
    } catch {
      /* try the next one */
    }
  }
  return '0.0.0';
})();
