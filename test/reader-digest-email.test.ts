// `digest --format email` (issue 22.10): an RFC 5322 message that `sendmail -t` takes, a
// multipart/alternative of the plain text and the HTML, Subject/Date/From/To from flags or
// the environment. Read back with a real MIME parser (postal-mime), in-process and through
// the built CLI.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import PostalMime from 'postal-mime';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

const NOW = '2025-06-26T07:00:00Z';
let home = '';

beforeAll(async () => {
  home = tempHome();
  const days = ['2025-05-22', '2025-06-25'].map((d) => join(FIXTURES, `${d}.json`));
  const r = await runCli(['import', ...days], { home, now: NOW });
  expect(r.exitCode, r.stderr).toBe(0);
});

const FLAGS = ['--since', '2025-05-01', '--from', 'Papers <papers@example.org>', '--to', 'ada@example.org'];

describe('digest --format email', () => {
  it('parses as a MIME message: headers, a text part and an HTML part with the same papers', async () => {
    const r = await runCli(['digest', '--format', 'email', ...FLAGS], { home, now: NOW });
    expect(r.exitCode, r.stderr).toBe(0);
    const mail = await PostalMime.parse(r.stdout);
    expect(mail.from).toEqual({ address: 'papers@example.org', name: 'Papers' });
    expect(mail.to).toEqual([{ address: 'ada@example.org', name: '' }]);
    expect(mail.subject).toMatch(/^papers digest 2025-06-26: \d+ papers$/);
    expect(new Date(mail.date!).toISOString()).toBe('2025-06-26T07:00:00.000Z');
    expect(mail.messageId).toMatch(/^<[0-9a-f]{32}@example\.org>$/);
    const md = (await runCli(['digest', ...FLAGS.slice(0, 2)], { home, now: NOW })).stdout;
    const html = (await runCli(['digest', '--format', 'html', ...FLAGS.slice(0, 2)], { home, now: NOW })).stdout;
    expect(mail.text!.replace(/\r\n/g, '\n')).toBe(md);
    expect(mail.html!.replace(/\r\n/g, '\n')).toBe(html);
    // multipart/alternative, plain text first (the preferred last), every line CRLF and short.
    expect(r.stdout).toMatch(/^Content-Type: multipart\/alternative;\r\n boundary="/m);
    expect(r.stdout.indexOf('text/plain')).toBeLessThan(r.stdout.indexOf('text/html'));
    const lines = r.stdout.split('\r\n');
    expect(lines.at(-1)).toBe('');
    for (const l of lines) {
      expect(l.includes('\n')).toBe(false);
      expect(l.length).toBeLessThanOrEqual(78);
    }
  });

  it('takes From and To from the environment, a Subject given, and encodes non-ASCII text', async () => {
    const r = await runCli(
      ['digest', '--format', 'email', '--since', '2025-05-01', '--subject', 'Lesestoff für Montag'],
      {
        home,
        now: NOW,
        env: { PAPERS_MAIL_FROM: 'papers@example.org', PAPERS_MAIL_TO: 'ada@example.org, bob@example.org' },
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    const mail = await PostalMime.parse(r.stdout);
    expect(mail.subject).toBe('Lesestoff für Montag');
    expect(mail.to!.map((a) => a.address)).toEqual(['ada@example.org', 'bob@example.org']);
  });

  it('needs a recipient and a sender, and refuses a header with a line break (no injection)', async () => {
    const none = await runCli(['digest', '--format', 'email', '--from', 'a@example.org'], { home, now: NOW });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/^error: --format email needs a recipient: give --to\nhint: .*PAPERS_MAIL_TO/);
    const bad = await runCli(['digest', '--format', 'email', ...FLAGS, '--subject', 'x\nBcc: eve@example.org'], {
      home,
      now: NOW,
    });
    expect(bad.exitCode).toBe(2);
    expect(bad.stdout).toBe('');
  });

  it('-o FILE.eml writes the email, through the built CLI with the environment', async () => {
    const file = join(home, 'digest.eml');
    const run = promisify(execFile);
    await run(process.execPath, [join(ROOT, 'bin', 'papers.js'), 'digest', '--since', '2025-05-01', '-o', file], {
      env: {
        PATH: process.env.PATH ?? '',
        PAPERS_HOME: home,
        PAPERS_MAIL_FROM: 'papers@example.org',
        PAPERS_MAIL_TO: 'ada@example.org',
      },
    });
    const mail = await PostalMime.parse(readFileSync(file, 'utf8'));
    expect(mail.to).toEqual([{ address: 'ada@example.org', name: '' }]);
    expect(mail.html).toMatch(/<html/i);
    expect(mail.text).toMatch(/^# /);
  });
});
