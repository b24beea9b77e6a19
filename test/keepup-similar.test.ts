// `papers similar` on a hand-made corpus whose answer is known: five topics of three
// papers each (video diffusion, LLM agents, speech recognition, proteins, robot
// manipulation) plus generic papers, all sharing boilerplate words and one co-author.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters as plain } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './helpers/run-cli.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'keepup', 'similar', '2025-02-03.json');
const corpus = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { paper: { id: string; upvotes: number } }[];
const TOPICS: Record<string, string[]> = {};
for (const e of corpus) {
  const topic = e.paper.id.slice(0, 7); // 2502.1xxxx, 2502.2xxxx, ...
  if (topic !== '2502.90') (TOPICS[topic] ??= []).push(e.paper.id);
}

interface Hit {
  id: string;
  similarity: number;
  upvotes: number;
}

describe('papers similar', () => {
  const home = tempHome();
  const cli = (argv: string[], tty = false) => runCli(argv, { home, tty, now: '2025-02-04T08:00:00Z' });
  const similar = async (argv: string[]) => {
    const r = await cli(['similar', ...argv, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Hit[];
  };

  beforeAll(async () => {
    const r = await cli(['import', FIXTURE]);
    expect(r.exitCode, r.stderr).toBe(0);
  });

  it('ranks the two other papers of the same topic first, for every paper', async () => {
    expect(Object.values(TOPICS).map((t) => t.length)).toEqual([3, 3, 3, 3, 3]);
    for (const members of Object.values(TOPICS)) {
      for (const id of members) {
        const hits = await similar([id, '--limit', '3']);
        expect(
          hits
            .map((h) => h.id)
            .slice(0, 2)
            .sort(),
          id,
        ).toEqual(members.filter((m) => m !== id).sort());
        expect(hits.some((h) => h.id === id)).toBe(false);
        // A clear margin between the topic and the rest.
        expect(hits[2]!.similarity, id).toBeLessThan(hits[1]!.similarity / 2);
        for (const h of hits) expect(h.similarity).toBeGreaterThan(0);
        for (const h of hits) expect(h.similarity).toBeLessThanOrEqual(1);
      }
    }
  });

  it('takes any id form, --limit and the list filters', async () => {
    const [v1, v2, v3] = TOPICS['2502.10']!;
    expect((await similar([`https://arxiv.org/abs/${v1}v2`, '-n', '1'])).length).toBe(1);
    const all = await similar([v1!, '--limit', '0']);
    expect(all).toEqual([]);
    const unlimited = await similar([v1!, '--limit', '100']);
    expect(unlimited.length).toBeGreaterThan(2);
    expect(unlimited.length).toBeLessThan(corpus.length);
    // v2 has fewer upvotes than v3 in the fixture: --min-upvotes drops it, v3 stays first.
    const up = new Map(corpus.map((e) => [e.paper.id, e.paper.upvotes]));
    const filtered = await similar([v1!, '--min-upvotes', String(up.get(v3!)), '-n', '2']);
    expect(filtered[0]!.id).toBe(v3);
    expect(filtered.map((h) => h.id)).not.toContain(v2);
    for (const h of filtered) expect(h.upvotes).toBeGreaterThanOrEqual(up.get(v3!)!);
    expect(
      (await similar([v1!, '--org', 'Speech Group', '-n', '2']))
        .map((h) => h.id)
        .every((id) => id.startsWith('2502.30')),
    ).toBe(true);
  });

  it('prints TSV when piped and a ranked list on a TTY', async () => {
    const [p1, p2, p3] = TOPICS['2502.40']!;
    const piped = await cli(['similar', p1!, '-n', '2']);
    expect(piped.exitCode).toBe(0);
    expect(
      piped.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0])
        .sort(),
    ).toEqual([p2, p3].sort());
    const tty = await cli(['similar', p1!, '-n', '2'], true);
    expect(plain(tty.stdout)).toMatch(
      new RegExp(`^Similar to ${p1!.replace('.', '\\.')}: Predicting Protein Structure`),
    );
    expect(plain(tty.stdout)).toMatch(/^1\. +▲\d+ .*\n[\s\S]*^2\. +▲\d+ /m);
    expect(plain(tty.stdout)).toMatch(/similarity \d+%/);
  });

  it('fails clearly for a paper not in the archive or a bad id', async () => {
    const missing = await cli(['similar', '2401.99999']);
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toMatch(/^error: 2401\.99999 is not in the archive\nhint: /);
    expect((await cli(['similar', 'not-an-id'])).exitCode).toBe(2);
  });
});
