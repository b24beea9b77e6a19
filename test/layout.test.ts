// Terminal layout (issue 15.3): display width, truncation and wrapping are linear in the
// text. Work is counted in characters examined (layoutWork), never timed.
import { describe, expect, it } from 'vitest';
import { displayWidth, layoutWork, truncate, wrap } from '../src/render/text.js';

function work<T>(f: () => T): { value: T; chars: number } {
  layoutWork.chars = 0;
  const value = f();
  return { value, chars: layoutWork.chars };
}

describe('layout results', () => {
  it('wide and zero-width characters', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('中文')).toBe(4);
    expect(displayWidth('🚀x')).toBe(3);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('truncate keeps what fits and ends with an ellipsis', () => {
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello world', 5)).toBe('hell…');
    expect(truncate('中文字', 4)).toBe('中…');
    expect(truncate('😀😀😀', 4)).toBe('😀…');
    expect(truncate('abc', 0)).toBe('…');
  });

  it('wrap breaks between words, splits words wider than a line', () => {
    expect(wrap('the quick brown fox', 9)).toEqual(['the quick', 'brown fox']);
    expect(wrap('  a   b  ', 10)).toEqual(['a b']);
    expect(wrap('abcdefghij xy', 4)).toEqual(['abcd', 'efgh', 'ij', 'xy']);
    expect(wrap('ab abcdefghij', 4)).toEqual(['ab', 'abcd', 'efgh', 'ij']);
    expect(wrap('中文中文中', 4)).toEqual(['中文', '中文', '中']);
    expect(wrap('😀😀😀 x', 4)).toEqual(['😀😀', '😀 x']);
    // A character wider than the line still advances: one a line, never a loop.
    expect(wrap('中中', 1)).toEqual(['中', '中']);
  });
});

describe('layout is linear in the text', () => {
  const word = 'x'.repeat(1_000_000);

  it('wrap of a 1M-character word examines each character a bounded number of times', () => {
    const { value, chars } = work(() => wrap(`A ${word} title`, 80));
    expect(value).toHaveLength(12_502);
    expect(value.slice(1, -1).every((l) => l.length === 80)).toBe(true);
    expect(value.join('')).toBe(`A${word}title`);
    expect(chars).toBeLessThanOrEqual(3 * word.length);
  });

  it('truncate reads no further than the cut', () => {
    const { value, chars } = work(() => truncate(word, 80));
    expect(value).toBe('x'.repeat(79) + '…');
    expect(chars).toBeLessThanOrEqual(81);
  });

  it('displayWidth examines each character once', () => {
    const { value, chars } = work(() => displayWidth(`${word}中`));
    expect(value).toBe(word.length + 2);
    expect(chars).toBe(word.length + 1);
  });
});
