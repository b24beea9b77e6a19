// Pure pieces of the keep-up features: sparkline, bars, watch descriptions, the digest
// renderers on hostile input, URL and markup escaping.
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import type { Digest } from '../src/core/digest.js';
import type { Paper } from '../src/core/papers.js';
import { sparkline } from '../src/core/signals.js';
import { describeWatch } from '../src/core/watch.js';
import { renderDigestHtml } from '../src/render/digest-html.js';
import { digestBlurb, renderDigestMarkdown } from '../src/render/digest-markdown.js';
import { htmlText, safeHttpUrl, xmlText } from '../src/render/html.js';
import { bar } from '../src/render/stats.js';
import { makePaper } from './helpers/paper.js';

function paper(id: string, o: Partial<Paper> = {}): Paper {
  return makePaper(id, {
    days: ['2025-03-10'],
    day: '2025-03-10',
    firstSeen: '2025-03-10T20:00:00.000Z',
    updatedAt: '2025-03-10T20:00:00.000Z',
    ...o,
  });
}

describe('sparkline', () => {
  it('scales values between min and max onto eight blocks', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 9, 40])).toBe('▁▂█');
    expect(sparkline([10, 5])).toBe('█▁');
  });
  it('handles empty, flat and non-finite input, and fits a width', () => {
    expect(sparkline([])).toBe('');
    expect(sparkline([7])).toBe('▄');
    expect(sparkline([3, 3, 3])).toBe('▄▄▄');
    expect(sparkline([1, NaN, Infinity, 2])).toBe('▁█');
    expect(sparkline([0, 0, 0, 0, 10, 10, 10, 10], 2)).toBe('▁█');
    expect([
      ...sparkline(
        Array.from({ length: 100 }, (_, i) => i),
        20,
      ),
    ]).toHaveLength(20);
  });
});

describe('stats bars', () => {
  it('draws eighths of a cell, at least a sliver for any non-zero value', () => {
    expect(bar(10, 10, 4)).toBe('████');
    expect(bar(5, 10, 4)).toBe('██');
    expect(bar(1, 16, 2)).toBe('▏');
    expect(bar(1, 1000, 10)).toBe('▏');
    expect(bar(0, 10, 4)).toBe('');
    expect(bar(3, 8, 1)).toBe('▍');
  });
});

describe('describeWatch', () => {
  it('shows a watch as the flags that define it, quoting where needed', () => {
    expect(
      describeWatch({
        filter: {
          keywords: ['agent', 'tool use'],
          any: true,
          exclude: ['survey'],
          author: 'Hinton',
          org: 'Google DeepMind',
          minUpvotes: 10,
          hasCode: true,
        },
        query: 'mixture of experts',
        raw: false,
      }),
    ).toBe(
      '--query "mixture of experts" -k agent -k "tool use" --any --exclude survey --author Hinton --org "Google DeepMind" --min-upvotes 10 --has-code',
    );
  });
});

describe('escaping helpers', () => {
  it('accepts only absolute http(s) URLs', () => {
    expect(safeHttpUrl('https://example.org/a b?x="1"&y=<2>')).toBe('https://example.org/a%20b?x=%221%22&y=%3C2%3E');
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,x',
      '//example.org',
      '/rel',
      'ftp://x',
      'http://',
      null,
      '',
    ]) {
      expect(safeHttpUrl(bad), String(bad)).toBeNull();
    }
  });
  it('escapes markup and strips controls', () => {
    expect(htmlText('<a href="x">&\'</a>\u001b[31m\u202e')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;');
    expect(xmlText('a\u0000b\ufffe\ud800c & <d>')).toBe('abc &amp; &lt;d&gt;');
  });
});

const HOSTILE: Digest = {
  generatedAt: '2025-03-17T07:00:00.000Z',
  since: null,
  until: null,
  markTo: '2025-03-17T06:00:00.000Z|2025-03-17|9',
  sections: [
    {
      watch: 'x<y>',
      title: '<h1>x</h1>',
      description: '-k "<script>"',
      filter: { keywords: ['<script>'] },
      query: null,
      raw: false,
      seenAt: '2025-03-16T06:00:00.000Z|2025-03-14|5',
      scope: { kind: 'mark', mark: { at: '2025-03-16T06:00:00.000Z', day: '2025-03-14', pk: 5 } },
      papers: [
        paper('2503.00001', {
          title: '# Heading [link](javascript:alert(1)) <script>alert(1)</script> *em*',
          authors: ['<img src=x onerror=alert(1)>'],
          githubRepo: 'javascript:alert(1)',
          projectPage: 'https://example.org/"><script>',
          aiSummary: '![img](https://evil.example/x.png) <iframe src=x></iframe>',
          organization: '<b>Org</b>',
        }),
      ],
    },
    {
      watch: 'empty',
      title: 'empty',
      description: '--author nobody',
      filter: { author: 'nobody' },
      query: null,
      raw: false,
      seenAt: null,
      scope: { kind: 'latest-day', day: '2025-03-17' },
      papers: [],
    },
  ],
};

describe('digest renderers on hostile input', () => {
  it('HTML: remote text never becomes markup; links are http(s) only', () => {
    const html = renderDigestHtml(HOSTILE);
    expect(html).not.toMatch(/<(script|img|iframe|b)[\s>]/);
    expect(html.match(/<h1 /g)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('href="https://example.org/%22%3E%3Cscript%3E"');
    expect(html).toContain('No new papers.');
    expect(html).toContain('listed since 2025-03-14, not shown before (marked at the sync of 2025-03-16 06:00 UTC)');
    expect(html).toContain('listed on 2025-03-17 (no mark yet: the latest day)');
  });

  it('Markdown: renders to HTML without any injected element or link', () => {
    const md = renderDigestMarkdown(HOSTILE);
    const html = new MarkdownIt().render(md);
    expect(html).not.toMatch(/<(script|img|iframe|em)\b/);
    expect(html.match(/<h1>/g)).toHaveLength(1);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(2);
    for (const h of hrefs) expect(h).toMatch(/^https:\/\//);
    expect(md).toContain('## empty (0)');
    expect(md).toContain('No new papers.');
  });

  it('uses the AI summary, else the abstract cut at a sentence', () => {
    expect(digestBlurb(paper('1', { aiSummary: 'Short summary.' }))).toBe('Short summary.');
    const long = 'First sentence is here. '.repeat(40).trim();
    const b = digestBlurb(paper('1', { abstract: long }), 100);
    expect(b.length).toBeLessThanOrEqual(100);
    expect(b.endsWith('here.')).toBe(true);
  });
});
