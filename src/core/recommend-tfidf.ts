/**
 * TF-IDF for the recommender: fitted on the papers the model sees (training and candidates),
 * terms in at least 2 of them and at most a fifth (half, of fewer than 500 papers), sublinear
 * term frequency (1 + ln tf) times smoothed IDF, each paper's vector of unit length.
 */
import { Counter, Terms } from './recommend-terms.js';

const MIN_DF = 2;
const MAX_DF = 0.2;
/** Below this many papers a topic can be a large share of them: terms up to half of them count. */
const SMALL = 500;

/** Sparse unit vectors, all in two flat arrays: vector i is [start[i], start[i + 1]). */
export interface Vectors {
  start: Int32Array;
  idx: Int32Array;
  val: Float64Array;
}

export class Tfidf {
  readonly terms = new Terms();
  private readonly counter = new Counter();
  /** term id -> feature, or -1 */
  private feature = new Int32Array(0);
  private featureTerm = new Int32Array(0);
  private idf = new Float64Array(0);

  /** Fits on the training texts and returns their vectors. */
  fit(texts: string[]): Vectors {
    const starts = [0];
    const ids: number[] = [];
    const tfs: number[] = [];
    for (const t of texts) {
      this.counter.count(t, this.terms);
      for (let k = 0; k < this.counter.ids.length; k++) {
        ids.push(this.counter.ids[k]!);
        tfs.push(this.counter.tfs[k]!);
      }
      starts.push(ids.length);
    }
    this.terms.frozen = true;
    const df = new Int32Array(this.terms.count);
    for (const id of ids) df[id]!++;
    const n = texts.length;
    const max = Math.max(MIN_DF, Math.floor((n < SMALL ? 0.5 : MAX_DF) * n));
    this.feature = new Int32Array(this.terms.count).fill(-1);
    const featureTerm: number[] = [];
    const idf: number[] = [];
    for (let t = 0; t < df.length; t++) {
      if (df[t]! < MIN_DF || df[t]! > max) continue;
      this.feature[t] = featureTerm.length;
      featureTerm.push(t);
      idf.push(Math.log((1 + n) / (1 + df[t]!)) + 1);
    }
    this.featureTerm = Int32Array.from(featureTerm);
    this.idf = Float64Array.from(idf);
    const out = { start: new Int32Array(n + 1), idx: [] as number[], val: [] as number[] };
    for (let i = 0; i < n; i++) {
      this.append(ids, tfs, starts[i]!, starts[i + 1]!, out.idx, out.val);
      out.start[i + 1] = out.idx.length;
    }
    return { start: out.start, idx: Int32Array.from(out.idx), val: Float64Array.from(out.val) };
  }

  /** One text's vector, in the fitted space (terms the training papers lacked are dropped). */
  transform(text: string): { idx: number[]; val: number[] } {
    this.counter.count(text, this.terms);
    const out = { idx: [] as number[], val: [] as number[] };
    this.append(this.counter.ids, this.counter.tfs, 0, this.counter.ids.length, out.idx, out.val);
    return out;
  }

  /** w·x for one text's unit vector, without building it: one pass for the dot and the norm. */
  dot(text: string, w: Float64Array): number {
    this.counter.count(text, this.terms);
    const { ids, tfs } = this.counter;
    let dot = 0;
    let norm = 0;
    for (let k = 0; k < ids.length; k++) {
      const t = ids[k]!;
      const f = t < this.feature.length ? this.feature[t]! : -1;
      if (f < 0) continue;
      const v = (1 + Math.log(tfs[k]!)) * this.idf[f]!;
      dot += w[f]! * v;
      norm += v * v;
    }
    return norm > 0 ? dot / Math.sqrt(norm) : 0;
  }

  get features(): number {
    return this.featureTerm.length;
  }

  termText(feature: number): string {
    return this.terms.text(this.featureTerm[feature]!);
  }

  /** Sublinear tf times idf, of unit length, appended to idx/val. */
  private append(ids: number[], tfs: number[], from: number, to: number, idx: number[], val: number[]): void {
    const first = idx.length;
    let norm = 0;
    for (let k = from; k < to; k++) {
      const t = ids[k]!;
      const f = t < this.feature.length ? this.feature[t]! : -1;
      if (f < 0) continue;
      const v = (1 + Math.log(tfs[k]!)) * this.idf[f]!;
      idx.push(f);
      val.push(v);
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let k = first; k < val.length; k++) val[k]! /= norm;
  }
}
