// The system programs some tests drive (Chromium for the HTML digest, `bibtex`, `script` for a
// pseudo-terminal, `less`): whether they are there, and what a test does when one is not.
// One policy for all of them: on a developer's machine a missing one is a skip that says
// why and how to install it; where `CI` is set it is never a skip but a failure, so CI
// cannot pass by leaving a program out (.ci/run installs them).
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export const CHROMIUM_INSTALL = 'apt-get install -y --no-install-recommends chromium fonts-dejavu-core';

/** A program a test needs: what it is called (or its path), how to install it, what for. */
export interface Need {
  program: string;
  install: string;
  why: string;
}

export const CHROMIUM: Need = {
  program: process.env.PAPERS_TEST_CHROMIUM || 'chromium',
  install: CHROMIUM_INSTALL,
  why: 'to render the page in a real browser',
};
export const BIBTEX: Need = {
  program: 'bibtex',
  install: 'apt-get install -y --no-install-recommends texlive-binaries',
  why: 'to read the export as LaTeX would',
};
export const SCRIPT: Need = {
  program: 'script',
  install: 'apt-get install -y util-linux',
  why: 'a pseudo-terminal for the built CLI',
};
export const LESS: Need = { program: 'less', install: 'apt-get install -y less', why: 'the default pager' };
export const SETPRIV: Need = {
  program: 'setpriv',
  install: 'apt-get install -y util-linux',
  why: 'to run papers as another user',
};

/** The path of `program` (a name looked up in PATH, or a path), or undefined. */
export function findProgram(program: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates =
    isAbsolute(program) || program.includes('/')
      ? [program]
      : path
          .split(delimiter)
          .filter(Boolean)
          .map((d) => join(d, program));
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Whether the environment says it is CI: `CI` set to anything but empty, `0` or `false`. */
export function isCi(env: Record<string, string | undefined> = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * Why the tests that need `program` are skipped, or undefined when they run: they run when
 * it is installed, and always where CI is set (then a missing program fails them loudly).
 */
export function skipReason(need: Need, env: Record<string, string | undefined> = process.env): string | undefined {
  if (isCi(env) || findProgram(need.program, env.PATH ?? '')) return undefined;
  return missing(need);
}

function missing(need: Need): string {
  return `${need.program} is not installed (needed ${need.why}); install it with: ${need.install}`;
}

/**
 * At the start of a test that runs `need`: returns when it is installed; otherwise skips the
 * test with the reason outside CI, and fails it under CI.
 */
export function requireProgram(ctx: { skip(note?: string): void }, need: Need): void {
  if (findProgram(need.program)) return;
  if (isCi()) throw new Error(missing(need));
  ctx.skip(missing(need));
}

/** As requireProgram, for a test that must run as root (`why`): a skip outside CI, a failure under it. */
export function requireRoot(ctx: { skip(note?: string): void }, why: string): void {
  if (process.getuid?.() === 0) return;
  const reason = `${why}: run the tests as root (CI does)`;
  if (isCi()) throw new Error(reason);
  ctx.skip(reason);
}
