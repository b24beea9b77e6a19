// The HTML digest is one self-contained page: checked statically, then rendered in
// headless Chromium (Debian's `chromium`): a screenshot, and the DOM as the browser
// built it must hold every paper link and no element that remote text tried to inject.
// Chromium missing: the browser tests are skipped with the reason and the install command,
// except where `CI` is set, where they run and fail loudly (.ci/run installs it).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './helpers/run-cli.js';
import { CHROMIUM, requireProgram } from './helpers/system-tools.js';

const run = promisify(execFile);
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'keepup', 'digest', '2025-03-12.json');

async function chromium(args: string[]): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'papers-chromium-'));
  try {
    const { stdout } = await run(
      CHROMIUM.program,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { timeout: 90_000, killSignal: 'SIGKILL', maxBuffer: 32 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

interface DigestJson {
  sections: { watch: string; papers: { id: string; url: string; title: string }[] }[];
}

describe('HTML digest', () => {
  const home = tempHome();
  const dir = mkdtempSync(join(tmpdir(), 'papers-html-'));
  const file = join(dir, 'digest.html');
  let html = '';
  let digest: DigestJson;
  const cli = async (argv: string[]) => {
    const r = await runCli(argv, { home, now: '2025-03-12T07:00:00Z' });
    expect(r.exitCode, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    return r;
  };

  beforeAll(async () => {
    await cli(['import', FIXTURE]);
    await cli(['watch', 'add', 'agents', '-k', 'agent', '-k', 'agents', '--any']);
    await cli(['watch', 'add', 'diffusion', '--query', 'diffusion']);
    await cli(['digest', '--format', 'html', '-o', file]);
    html = readFileSync(file, 'utf8');
    digest = JSON.parse((await cli(['digest', '--format', 'json'])).stdout) as DigestJson;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one self-contained page: no scripts, no external resources, links only http(s)', () => {
    expect(digest.sections.map((s) => [s.watch, s.papers.length])).toEqual([
      ['agents', 4],
      ['diffusion', 3],
    ]);
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain('<meta charset="utf-8">');
    // Every tag and attribute is one of a small safe set (no script, style, img, link,
    // iframe, form, base, event handlers or src), every style is plain inline CSS, and
    // every link is http(s) or a section anchor.
    const TAGS = new Set([
      '!doctype',
      'html',
      'head',
      'meta',
      'title',
      'body',
      'div',
      'h1',
      'h2',
      'p',
      'span',
      'a',
      'code',
    ]);
    const ATTRS = new Set(['lang', 'charset', 'name', 'content', 'style', 'id', 'href']);
    const tags = [...html.matchAll(/<\/?([A-Za-z!][A-Za-z0-9]*)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*\/?>/g)];
    expect(tags.length).toBeGreaterThan(50);
    // Every '<' in the page starts one of those tags: nothing else is markup.
    expect(html.split('<').length - 1).toBe(tags.length);
    for (const [, tag, attrs] of tags) {
      expect(TAGS, tag).toContain(tag!.toLowerCase());
      if (tag === '!DOCTYPE') continue;
      for (const [, name, value] of attrs!.matchAll(/\s([a-z-]+)(?:="([^"]*)")?/g)) {
        expect(ATTRS, `${tag} ${name}`).toContain(name);
        if (name === 'style') expect(value).not.toMatch(/url\(|@import|expression|javascript:|[<>]/i);
        if (name === 'href') expect(value).toMatch(/^(https?:\/\/[^\s"<>]+|#s\d+)$/);
      }
    }
    // Remote text arrives escaped.
    expect(html).toContain(
      'Break &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; out of the agent sandbox &amp; &quot;escape&quot;',
    );
    expect(html).toContain('Eve &lt;b&gt;Bold&lt;/b&gt;, Mallory &amp; Sons');
    expect(html).not.toContain('\u001b');
    expect(html).not.toContain('\u202e');
  });

  it('renders in headless Chromium with every paper link and nothing injected', async (ctx) => {
    requireProgram(ctx, CHROMIUM);
    const dom = await chromium(['--dump-dom', `file://${file}`]);
    expect(dom).toContain('Papers digest');
    const hrefs = new Set([...dom.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')));
    const papers = digest.sections.flatMap((s) => s.papers);
    expect(papers.length).toBe(7);
    for (const p of papers) {
      expect(hrefs, p.id).toContain(p.url);
      expect(hrefs, p.id).toContain(`https://arxiv.org/pdf/${p.id}`);
      expect(hrefs, p.id).toContain(`https://huggingface.co/papers/${p.id}`);
    }
    expect(hrefs).toContain('https://github.com/example/verifiable-agents');
    // The unmatched paper is not in the digest.
    expect(dom).not.toContain('2503.03001');
    // The browser built no element from remote text.
    expect(dom).not.toMatch(/<(script|img|b)\b/i);
    expect(dom).toContain('Break &lt;script&gt;alert("x")&lt;/script&gt;');
    expect(dom).toContain('多智能体 辩论 🤖');
  });

  it('screenshots as a non-trivial PNG', async (ctx) => {
    requireProgram(ctx, CHROMIUM);
    const png = join(dir, 'digest.png');
    await chromium([`--screenshot=${png}`, '--window-size=1000,1400', '--hide-scrollbars', `file://${file}`]);
    expect(existsSync(png)).toBe(true);
    const buf = readFileSync(png);
    expect(buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(buf.toString('latin1', 12, 16)).toBe('IHDR');
    expect([buf.readUInt32BE(16), buf.readUInt32BE(20)]).toEqual([1000, 1400]);
    // A blank 1000x1400 page compresses to a few kB; a page of text and cards does not.
    expect(statSync(png).size).toBeGreaterThan(40_000);
  });
});
