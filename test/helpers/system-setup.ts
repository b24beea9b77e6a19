// Before the system tier: the tests there run dist/ (bin/papers.js loads it), so a dist/
// built before the last edit of src/ would test code that is not the code. Stop at once.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from './fixtures.js';

/** What the bundle is made from: src/ and the build's own scripts. */
const INPUTS = ['src', 'scripts/build.mjs', 'scripts/commands.mjs'];

/** The most recently modified file under `paths` (relative to the repository). */
export function newestInput(root = ROOT, paths = INPUTS): { file: string; mtimeMs: number } {
  let newest = { file: '', mtimeMs: 0 };
  const visit = (p: string) => {
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) visit(join(p, e));
    else if (st.mtimeMs > newest.mtimeMs) newest = { file: relative(root, p), mtimeMs: st.mtimeMs };
  };
  for (const p of paths) if (existsSync(join(root, p))) visit(join(root, p));
  return newest;
}

/** Why dist/ cannot be tested, or undefined when it is current. */
export function staleDist(root = ROOT): string | undefined {
  const bundle = join(root, 'dist', 'papers.cjs');
  if (!existsSync(bundle)) return 'dist/papers.cjs is missing: npm run build';
  const newest = newestInput(root);
  if (newest.mtimeMs > statSync(bundle).mtimeMs) {
    return `dist is older than src: npm run build (${newest.file} changed after dist/papers.cjs was built)`;
  }
  return undefined;
}

export default function setup(): void {
  const why = staleDist();
  if (why) throw new Error(why);
}
