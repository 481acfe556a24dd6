import type { EditionIndex, TermVector } from './edition-index.js';

/** Editions up to this size keep every paper-pair similarity once computed (n² floats: 16 MB at 2,000). */
const SIMILARITY_CACHE_MAX_PAPERS = 2_000;

/**
 * Similarity of two papers of the edition. Subscribers' digests overlap a lot, so the same pairs
 * come up again and again: they are computed once per edition.
 */
export function similarity(index: EditionIndex, a: number, b: number): number {
  const n = index.size;
  // Rounded to float32 always, so a cached and a fresh similarity are the same number.
  if (n > SIMILARITY_CACHE_MAX_PAPERS) {
    return Math.fround(cosine(index.vectors[a] as TermVector, index.vectors[b] as TermVector));
  }
  let cache = index.cache.get('similarities') as Float32Array | undefined;
  if (!cache) {
    cache = new Float32Array(n * n).fill(Number.NaN);
    index.cache.set('similarities', cache);
  }
  const key = a < b ? a * n + b : b * n + a;
  let sim = cache[key] as number;
  if (Number.isNaN(sim)) {
    sim = Math.fround(cosine(index.vectors[a] as TermVector, index.vectors[b] as TermVector));
    cache[key] = sim;
  }
  return sim;
}

/** Cosine of two normalised sparse vectors (sorted term ids): a merge. */
export function cosine(a: TermVector, b: TermVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  const at = a.terms;
  const bt = b.terms;
  while (i < at.length && j < bt.length) {
    const x = at[i] as number;
    const y = bt[j] as number;
    if (x === y) {
      sum += (a.weights[i++] as number) * (b.weights[j++] as number);
    } else if (x < y) i++;
    else j++;
  }
  return sum;
}
