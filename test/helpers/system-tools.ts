// The system programs some tests drive (Chromium for the HTML digest, `bibtex`): whether
// they are there, and what a test does when one is not. On a developer's machine a missing
// one is a skip that says why and how to install it; where `CI` is set it is never a skip,
// so CI cannot pass by leaving a program out (.ci/run installs them).
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export const CHROMIUM_INSTALL = 'apt-get install -y --no-install-recommends chromium fonts-dejavu-core';

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
export function skipReason(
  program: string,
  install: string,
  env: Record<string, string | undefined> = process.env,
): string | undefined {
  if (isCi(env) || findProgram(program, env.PATH ?? '')) return undefined;
  return `${program} is not installed (needed to render the page in a real browser); install it with: ${install}`;
}
