// The README's performance figures are generated from the committed bench/results.json by
// bench/readme-table.mjs: the block in README.md must be exactly what the script makes of
// the results, so no figure is typed by hand or outlives the run that measured it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-ignore: a plain ESM bench script
import { BEGIN, END, currentBlock, renderReadme, replaceBlock } from '../bench/readme-table.mjs';
import { ROOT } from './helpers/fixtures.js';

const results = JSON.parse(readFileSync(join(ROOT, 'bench', 'results.json'), 'utf8'));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('README performance block', () => {
  it('is what bench/readme-table.mjs makes of bench/results.json', () => {
    const block = currentBlock(readme);
    expect(block, 'README.md has no generated block: node bench/readme-table.mjs --write').not.toBeNull();
    expect(block, 'the block differs from bench/results.json: node bench/readme-table.mjs --write').toBe(
      renderReadme(results),
    );
  });

  it('comes from a run of the default scales, every floor checked', () => {
    expect(results.options.scales).toEqual(['10k', '100k']);
    expect(results.options.quick).toBe(false);
    expect(results.floorSql.length).toBeGreaterThan(0);
    expect(results.floorSql.every((c: { same: boolean }) => c.same)).toBe(true);
    expect(results.rows.some((r: { status: string }) => r.status === 'FLOOR DIFFERS')).toBe(false);
  });

  it('states the query set behind the percentiles', () => {
    const block = renderReadme(results);
    for (const q of results.scales['10k'].search.queries) expect(block).toContain(`\`${q.query}\``);
    for (const c of results.scales['10k'].list.combos) expect(block).toContain(`-k '${c.keyword}'`);
    expect(block).toContain('load average');
  });

  it('a README without the markers is an error, and the block is replaced whole', () => {
    expect(() => replaceBlock('# no block\n', 'x')).toThrow(/no generated performance block/);
    expect(replaceBlock(`a\n${BEGIN}\nold\n${END}\nb\n`, 'NEW')).toBe('a\nNEW\nb\n');
  });
});
