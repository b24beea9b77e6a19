// The filter table (issue 21.5): each list filter declared once, and filterFromFlags,
// hasFilter, the watch codec and describeWatch agree on every field because they loop
// over it. A new filter is one entry here (and its SQL): this test covers it.
import { describe, expect, it } from 'vitest';
import { filterFromFlags, type FilterFlags } from '../src/cmdutil/filters.js';
import { FIELDS, loadFields } from '../src/core/filter-fields.js';
import { hasFilter } from '../src/core/new.js';
import { describeWatch, watchFilter } from '../src/core/watch.js';

const NOW = new Date('2025-03-17T12:00:00Z');
/** Every filter flag set once, as commander hands them over. */
const FLAGS = {
  keyword: ['agents', 'tool use'],
  any: true,
  exclude: ['survey'],
  author: 'Müller',
  org: 'DeepMind',
  minUpvotes: 10,
  hasCode: true,
  source: ['arxiv:cs.CL'],
  cat: ['cs.CL'],
  type: ['new', 'new', 'cross'],
} as FilterFlags;

describe('the filter table', () => {
  it('every field goes flags -> filter -> stored watch -> JSON -> filter -> the same flags', () => {
    const f = filterFromFlags(FLAGS, NOW);
    expect(FIELDS.map((x) => x.key).every((k) => f[k] !== undefined)).toBe(true);
    const stored = watchFilter(f);
    const back = JSON.parse(JSON.stringify(stored));
    expect(back).toEqual(stored);
    expect(describeWatch({ filter: back, query: null, raw: false })).toBe(
      '-k agents -k "tool use" --any --exclude survey --author "Müller" --org DeepMind --min-upvotes 10 ' +
        '--has-code --source arxiv:cs.CL --cat cs.CL --type new --type cross',
    );
  });

  it('each field alone makes a filter, except --any, which only changes how keywords match', () => {
    for (const field of FIELDS) {
      const one = { [field.flagKey]: (FLAGS as Record<string, unknown>)[field.flagKey] } as FilterFlags;
      const f = filterFromFlags(one, NOW);
      expect(hasFilter(f), field.flag).toBe(!field.modifier);
    }
    expect(hasFilter(filterFromFlags({}, NOW))).toBe(false);
  });

  it('blanks are not stored; a stored field of the wrong shape is dropped', () => {
    expect(watchFilter(filterFromFlags({ keyword: [' ', 'a'], author: '  ', any: true }, NOW))).toEqual({
      keywords: ['a'],
    });
    expect(loadFields({ minUpvotes: 'x', keywords: [1, 'a'], any: 'yes', hasCode: true, types: [] })).toEqual({
      keywords: ['a'],
      hasCode: true,
    });
  });
});
