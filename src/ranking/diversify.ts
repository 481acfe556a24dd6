import { cosine, type EditionIndex, type TermVector } from './edition-index.js';

/**
 * Maximal marginal relevance: pick the best remaining paper, discounted by how similar it is to
 * the papers already picked, so the top ten are not ten versions of one idea. `docs`/`scores`
 * come best first; returns the picked papers in order with their discounted scores.
 *
 * @param lambda 1 = plain score order, 0 = only novelty. @defaultValue 0.7
 */
export function diversify(
  index: EditionIndex,
  docs: Int32Array,
  scores: Float64Array,
  count: number,
  k: number,
  lambda = 0.7,
): { docs: number[]; scores: number[] } {
  const top = count > 0 ? (scores[0] as number) : 0;
  const scale = top > 0 ? 1 / top : 1;
  const maxSim = new Float64Array(count);
  const taken = new Uint8Array(count);
  const picked: number[] = [];
  const pickedScores: number[] = [];
  const rank = index.idRank;
  while (picked.length < Math.min(k, count)) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      if (taken[i]) continue;
      const value = lambda * (scores[i] as number) * scale - (1 - lambda) * (maxSim[i] as number);
      if (
        value > bestValue ||
        (value === bestValue && (rank[docs[i] as number] as number) < (rank[docs[best] as number] as number))
      ) {
        best = i;
        bestValue = value;
      }
    }
    taken[best] = 1;
    const doc = docs[best] as number;
    picked.push(doc);
    pickedScores.push(bestValue / lambda / scale);
    const v = index.vectors[doc] as TermVector;
    for (let i = 0; i < count; i++) {
      if (taken[i]) continue;
      const sim = cosine(v, index.vectors[docs[i] as number] as TermVector);
      if (sim > (maxSim[i] as number)) maxSim[i] = sim;
    }
  }
  return { docs: picked, scores: pickedScores };
}
