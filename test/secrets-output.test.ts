// No secrets in output, config side (issue 15.7): HF_TOKEN with a trailing CR/LF is trimmed
// and sent clean, a token with a control inside is refused naming HF_TOKEN, credentials in a
// URL are redacted for messages. Output errors are errors (15.8): a full disk or an I/O error
// on a stream becomes one error line (exit 1), a reader gone away a quiet end.
import { closeSync, openSync, writeSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkEndpoint, checkToken, redactUrl, resolveConfig } from '../src/config.js';
import { OutputError, ReaderGoneError, UsageError, outputError } from '../src/errors.js';
import { fixtureDays, startHfServer } from './helpers/fixtures.js';
import { runCli, tempHome } from './helpers/run-cli.js';

describe('HF_TOKEN', () => {
  it('is trimmed: a trailing CR/LF from a saved file never reaches a header', () => {
    expect(resolveConfig({ HF_TOKEN: 'hf_abc\r\n' }).token).toBe('hf_abc');
    expect(resolveConfig({ HF_TOKEN: ' hf_abc\n' }).token).toBe('hf_abc');
    expect(resolveConfig({ HF_TOKEN: '\r\n' }).token).toBeUndefined();
  });

  it('is sent trimmed by a real sync', async () => {
    const server = await startHfServer(fixtureDays());
    try {
      const r = await runCli(['sync', '--date', '2025-03-17'], {
        home: tempHome(),
        now: '2025-03-20T00:00:00Z',
        env: { HF_ENDPOINT: server.url, HF_TOKEN: 'hf_secret\r\n' },
      });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(server.requests.map((q) => q.headers.authorization)).toEqual(
        server.requests.map(() => 'Bearer hf_secret'),
      );
    } finally {
      await server.close();
    }
  });

  it('with a control or space inside, is refused with a message naming HF_TOKEN', () => {
    expect(() => checkToken('hf_abc')).not.toThrow();
    expect(() => checkToken(undefined)).not.toThrow();
    for (const t of ['hf_\rbc', 'hf_ a', 'hf_\u001b[2J']) {
      let err: unknown;
      try {
        checkToken(t);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(
        /^HF_TOKEN has a character that cannot be sent in a header \(".*" at position 4\)$/,
      );
      // eslint-disable-next-line no-control-regex
      expect((err as Error).message).not.toMatch(/[\u0000-\u001f]/);
    }
  });
});

describe('credentials in URLs', () => {
  it('redactUrl hides the userinfo, whatever it is', () => {
    expect(redactUrl('http://user:pass@host:8080/x?y=1')).toBe('http://***@host:8080/x?y=1');
    expect(redactUrl('https://hf_token@huggingface.co')).toBe('https://***@huggingface.co');
    expect(redactUrl('https://huggingface.co/a@b')).toBe('https://huggingface.co/a@b');
    expect(redactUrl('not a url user:pass@host')).toBe('not a url user:pass@host');
  });

  it("checkEndpoint's error does not print the password", () => {
    expect(() => checkEndpoint('ftp://user:s3cret@host/')).toThrow(
      /^HF_ENDPOINT is not an http\(s\) URL: "ftp:\/\/\*\*\*@host\/"$/,
    );
  });
});

describe('output errors', () => {
  it('a full disk (/dev/full) is one OutputError naming the output, exit 1', () => {
    const fd = openSync('/dev/full', 'w');
    let err: unknown;
    try {
      writeSync(fd, 'x\n');
    } catch (e) {
      err = e;
    } finally {
      closeSync(fd);
    }
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    const out = outputError(err);
    expect(out).toBeInstanceOf(OutputError);
    expect(out!.message).toBe('cannot write to standard output: no space left on the device');
    expect(out!.exitCode).toBe(1);
    expect(out!.hint).toBe('free some space, or write elsewhere');
  });

  it('EIO is an error too; EPIPE is the reader gone (exit 0); anything else is no output error', () => {
    const errno = (code: string) => Object.assign(new Error(code), { code });
    expect(outputError(errno('EIO'), 'out.md')!.message).toBe('cannot write to out.md: an input/output error');
    expect(outputError(errno('EPIPE'))).toBeInstanceOf(ReaderGoneError);
    expect(outputError(errno('EPIPE'))!.exitCode).toBe(0);
    expect(outputError(errno('ERR_INVALID_ARG_TYPE'))).toBeUndefined();
    expect(outputError(new TypeError('bug'))).toBeUndefined();
  });
});
