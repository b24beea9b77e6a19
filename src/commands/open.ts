/**
 * `papers open ID [--pdf]`: the paper's abstract page (or PDF) in the browser: $BROWSER,
 * else the system's opener (xdg-open, open on macOS). Piped, or when no opener can be
 * started, the URL is printed instead, so `papers open ID | xargs firefox` and a headless
 * shell work too. Needs no archive: any arXiv id or link.
 */
import { spawn } from 'node:child_process';
import { argument, flag, jsonOption } from '../cmdutil/options.js';
import { defineCommand } from '../cmdutil/spec.js';
import { createOutput } from '../render/output.js';
import { arxivUrl, parsePaperId, pdfUrl, versionedId } from '../ids.js';

/** The browser commands to try, first to last: $BROWSER's (colon-separated, `%s` for the URL), then the system's. */
export function openers(browser: string | undefined, platform: string): string[][] {
  const mine = (browser ?? '')
    .split(':')
    .map((b) => b.trim())
    .filter(Boolean)
    .map((b) => b.split(/\s+/));
  const system = platform === 'darwin' ? [['open']] : platform === 'win32' ? [] : [['xdg-open']];
  return [...mine, ...system];
}

/** Starts `cmd` with the URL and leaves it running; false when it cannot be started. */
function start(cmd: string[], url: string): Promise<boolean> {
  const args = cmd.slice(1).some((a) => a.includes('%s'))
    ? cmd.slice(1).map((a) => a.replace(/%s/g, url))
    : [...cmd.slice(1), url];
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd[0]!, args, { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}

export default defineCommand({
  name: 'open',
  summary: "open a paper's arXiv page (or its PDF) in the browser; piped, print the URL",
  description: `The browser is $BROWSER (several, colon-separated, are tried in turn; %s in one stands
for the URL), else xdg-open (open on macOS). When output is piped, or no browser can be started,
the URL is printed instead. A version in the id (2406.12345v2) opens that version.
With --json, nothing is opened: {"id", "url"} is printed.`,
  access: 'read',
  args: { id: argument('<id>', 'an arXiv id or link, in any form `papers show` takes') },
  options: { pdf: flag('--pdf', 'the PDF instead of the abstract page'), ...jsonOption },
  examples: ['papers open 2406.12345', 'papers open hep-th/9901001 --pdf', 'papers open 2406.12345 | pbcopy'],
  async run(ctx, o) {
    const id = parsePaperId(o.id);
    const v = versionedId(o.id)?.version;
    const url = (o.pdf ? pdfUrl(id) : arxivUrl(id)) + (v ? `v${v}` : '');
    if (o.json) {
      createOutput(ctx, o).value({ id: v ? `${id}v${v}` : id, url });
      return 0;
    }
    if (ctx.io.tty) {
      for (const cmd of openers(ctx.config.browser, process.platform)) {
        if (await start(cmd, url)) {
          if (!ctx.quiet && ctx.io.errTty) ctx.io.err(ctx.io.errColor.dim(`opened ${url}`));
          return 0;
        }
      }
    }
    ctx.io.out(url);
    return 0;
  },
});
