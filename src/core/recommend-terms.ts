/**
 * The words of a paper for the recommender (recommend.ts): title and abstract lower-cased, split
 * into words (letters and digits), English, boilerplate and praise stop words dropped (a
 * reason never reads "called" or "best"), plurals folded (an S-stemmer), then the words and
 * the pairs of neighbouring words (as scikit-learn's ngram_range=(1, 2)). Terms are dense
 * integer ids, so counting a paper makes no garbage: at 100k papers that is most of the time.
 */

const STOP = new Set(
  `a about above after again against all almost along also although am among an and another any are as at be
  because been before being below between both but by can could did do does doing done down during each either
  etc even ever every few for from further had has have having he her here hers him his how however i if in into
  is it its itself just may me might more most much must my no nor not now of off often on once only or other
  our ours out over own per rather same she should since so some such than that the their theirs them then there
  therefore these they this those though through thus to too under until up upon us very via was we well were what
  when where whether which while who whom whose why will with within without would yet you your
  paper propose proposed present presents introduce introduces show shows shown demonstrate demonstrates result
  results approach approaches method methods novel new use used using based existing work works furthermore
  moreover significantly significant achieve achieves achieved state art extensive experiments experiment
  code available github https http www com org
  called named best better good great strong stronger superior outperform outperforms outperforming remarkable
  impressive promising first one two three make makes made many several various including include includes across
  like take takes given enable enables key main find finds found need needs way ways effective effectively simple
  comprehensive performance improve improves improved improving improvement improvements`.split(/\s+/),
);

/** Harman's S-stemmer: plurals folded, nothing else (stems stay words a reader knows). */
function stem(w: string): string {
  const n = w.length;
  if (n < 4 || w.charCodeAt(n - 1) !== 115 /* s */) return w;
  if (w.endsWith('ies') && !w.endsWith('eies') && !w.endsWith('aies')) return w.slice(0, -3) + 'y';
  if (w.endsWith('es') && !w.endsWith('aes') && !w.endsWith('ees') && !w.endsWith('oes')) return w.slice(0, -1);
  if (w.endsWith('us') || w.endsWith('ss') || w.endsWith('is')) return w;
  return w.slice(0, -1);
}

const LETTER = /[a-z]/;

/**
 * Terms as dense integer ids: words (through a cache of raw tokens, so each distinct token is
 * stemmed once) and pairs of words (an open-addressing table on the two word ids). Integer
 * ids keep the per-paper counting free of garbage: at 100k papers that is most of the time.
 */
export class Terms {
  private readonly wordIds = new Map<string, number>();
  /** term id -> its word, or '' for a pair */
  private readonly words: string[] = [];
  /** term id -> first and second word of a pair (-1 for a word) */
  private readonly firsts: number[] = [];
  private readonly seconds: number[] = [];
  // Raw tokens -> word id (or -1), open addressing on a hash of the characters computed while
  // scanning: a token seen before is found without slicing it out of the text.
  private tokKeys: string[] = new Array<string>(1 << 14).fill('');
  private tokHash = new Int32Array(1 << 14);
  private tokVals = new Int32Array(1 << 14);
  private tokens = 0;
  private keysA = new Int32Array(1 << 16).fill(-1);
  private keysB = new Int32Array(1 << 16);
  private vals = new Int32Array(1 << 16);
  private pairs = 0;
  /** After fitting, new pairs are not added: they have no feature anyway. */
  frozen = false;

  get count(): number {
    return this.words.length;
  }

  /** The word id of s[start, end) whose FNV-1a hash is `hash`: -1 for a stop word, a number, a letter. */
  token(s: string, start: number, end: number, hash: number): number {
    const mask = this.tokKeys.length - 1;
    const len = end - start;
    let h = hash & mask;
    for (let k = this.tokKeys[h]!; k !== ''; k = this.tokKeys[h]!) {
      if (this.tokHash[h] === hash && k.length === len && s.startsWith(k, start)) return this.tokVals[h]!;
      h = (h + 1) & mask;
    }
    const token = s.slice(start, end);
    const id = this.word(token);
    if (2 * (this.tokens + 1) > this.tokKeys.length) this.growTokens();
    this.putToken(token, hash, id);
    return id;
  }

  private word(token: string): number {
    if (token.length < 2 || STOP.has(token) || !LETTER.test(token)) return -1;
    const w = stem(token);
    let id = this.wordIds.get(w);
    if (id === undefined) {
      id = this.add(w, -1, -1);
      this.wordIds.set(w, id);
    }
    return id;
  }

  private putToken(token: string, hash: number, id: number): void {
    const mask = this.tokKeys.length - 1;
    let h = hash & mask;
    while (this.tokKeys[h] !== '') h = (h + 1) & mask;
    this.tokKeys[h] = token;
    this.tokHash[h] = hash;
    this.tokVals[h] = id;
    this.tokens++;
  }

  private growTokens(): void {
    const [keys, hashes, vals] = [this.tokKeys, this.tokHash, this.tokVals];
    this.tokKeys = new Array<string>(keys.length * 2).fill('');
    this.tokHash = new Int32Array(keys.length * 2);
    this.tokVals = new Int32Array(keys.length * 2);
    this.tokens = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== '') this.putToken(keys[i]!, hashes[i]!, vals[i]!);
  }

  pair(a: number, b: number): number {
    const mask = this.keysA.length - 1;
    let h = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca6b)) & mask;
    while (this.keysA[h] !== -1) {
      if (this.keysA[h] === a && this.keysB[h] === b) return this.vals[h]!;
      h = (h + 1) & mask;
    }
    if (this.frozen) return -1;
    if (2 * (this.pairs + 1) > this.keysA.length) {
      this.grow();
      return this.pair(a, b);
    }
    this.keysA[h] = a;
    this.keysB[h] = b;
    this.pairs++;
    return (this.vals[h] = this.add('', a, b));
  }

  text(t: number): string {
    const a = this.firsts[t]!;
    return a < 0 ? this.words[t]! : `${this.words[a]} ${this.words[this.seconds[t]!]}`;
  }

  private add(word: string, a: number, b: number): number {
    this.words.push(word);
    this.firsts.push(a);
    this.seconds.push(b);
    return this.words.length - 1;
  }

  private grow(): void {
    const [ka, kb, v] = [this.keysA, this.keysB, this.vals];
    const size = ka.length * 2;
    this.keysA = new Int32Array(size).fill(-1);
    this.keysB = new Int32Array(size);
    this.vals = new Int32Array(size);
    const mask = size - 1;
    for (let i = 0; i < ka.length; i++) {
      if (ka[i] === -1) continue;
      let h = (Math.imul(ka[i]!, 0x9e3779b1) ^ Math.imul(kb[i]!, 0x85ebca6b)) & mask;
      while (this.keysA[h] !== -1) h = (h + 1) & mask;
      this.keysA[h] = ka[i]!;
      this.keysB[h] = kb[i]!;
      this.vals[h] = v[i]!;
    }
  }
}

/** The terms of one text and their counts; reused from paper to paper. */
export class Counter {
  private stamp = new Int32Array(1 << 16);
  private slot = new Int32Array(1 << 16);
  private doc = 0;
  ids: number[] = [];
  tfs: number[] = [];

  /** Words (lower-cased letters and digits) and pairs of neighbouring words. */
  count(text: string, terms: Terms): void {
    this.doc++;
    this.ids.length = 0;
    this.tfs.length = 0;
    const s = text.toLowerCase();
    let prev = -1;
    let start = -1;
    let hash = 0;
    for (let i = 0; i <= s.length; i++) {
      const c = i < s.length ? s.charCodeAt(i) : 32;
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (start < 0) {
          start = i;
          hash = 0x811c9dc5;
        }
        hash = Math.imul(hash ^ c, 0x01000193);
        continue;
      }
      if (start < 0) continue;
      const w = terms.token(s, start, i, hash);
      start = -1;
      // A stop word or a number breaks a pair: pairs stay phrase-like.
      if (w < 0) {
        prev = -1;
        continue;
      }
      this.add(w);
      if (prev >= 0) {
        const p = terms.pair(prev, w);
        if (p >= 0) this.add(p);
      }
      prev = w;
    }
  }

  private add(t: number): void {
    if (t >= this.stamp.length) {
      const size = Math.max(t + 1, this.stamp.length * 2);
      const [st, sl] = [new Int32Array(size), new Int32Array(size)];
      st.set(this.stamp);
      sl.set(this.slot);
      this.stamp = st;
      this.slot = sl;
    }
    if (this.stamp[t] === this.doc) this.tfs[this.slot[t]!]!++;
    else {
      this.stamp[t] = this.doc;
      this.slot[t] = this.ids.length;
      this.ids.push(t);
      this.tfs.push(1);
    }
  }
}

/** What the model reads of a paper: its title and abstract (never HF's AI keywords or AI summary). */
export const textOf = (d: { title: string; abstract: string }) => `${d.title}. ${d.abstract}`;
