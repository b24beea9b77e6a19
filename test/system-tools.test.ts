// Issue 11.10: without Chromium the HTML digest's browser tests are skipped with the reason
// and the install command; where `CI` is set they never skip (a missing browser fails them).
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProgram, isCi, skipReason } from './helpers/system-tools.js';

const CHROMIUM = {
  program: 'chromium',
  install: 'apt-get install -y --no-install-recommends chromium fonts-dejavu-core',
  why: 'to render the page in a real browser',
};

const bin = mkdtempSync(join(tmpdir(), 'papers-bin-'));
writeFileSync(join(bin, 'chromium'), '#!/bin/sh\n');
chmodSync(join(bin, 'chromium'), 0o755);
writeFileSync(join(bin, 'not-executable'), '');
const empty = mkdtempSync(join(tmpdir(), 'papers-nobin-'));

describe('skipReason', () => {
  it('missing and not CI: skipped, saying why and how to install it', () => {
    expect(skipReason(CHROMIUM, { PATH: empty })).toBe(
      'chromium is not installed (needed to render the page in a real browser); ' +
        'install it with: apt-get install -y --no-install-recommends chromium fonts-dejavu-core',
    );
    expect(skipReason(CHROMIUM, { PATH: empty, CI: '' })).toMatch(/is not installed/);
    expect(skipReason(CHROMIUM, { PATH: empty, CI: 'false' })).toMatch(/is not installed/);
  });

  it('never skipped where CI is set, installed or not', () => {
    for (const CI of ['true', '1', 'yes']) expect(skipReason(CHROMIUM, { PATH: empty, CI })).toBeUndefined();
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({})).toBe(false);
  });

  it('installed: runs; found in PATH or by path, only when executable', () => {
    expect(skipReason(CHROMIUM, { PATH: `${empty}:${bin}` })).toBeUndefined();
    expect(findProgram('chromium', `${empty}:${bin}`)).toBe(join(bin, 'chromium'));
    expect(findProgram(join(bin, 'chromium'), '')).toBe(join(bin, 'chromium'));
    expect(findProgram('not-executable', bin)).toBeUndefined();
    expect(skipReason({ ...CHROMIUM, program: '/nonexistent/chromium' }, { PATH: bin })).toMatch(
      /^\/nonexistent\/chromium is not installed/,
    );
  });
});
