import type { EditionIndex } from './edition-index.js';
import { similarity } from './similarity.js';

/**
 * Maximal marginal relevance: pick the best remaining paper, discounted by how similar it is to
 * the papers already picked, so the top ten are not ten versions of one idea. `docs`/`scores`
 * come best first; returns the picked papers in order with their discounted scores.
 *
 * Lazy: a paper's discounted value only falls as papers are picked, so its stale value bounds the
 * fresh one, and similarities are computed only for papers that could still win a round. The
 * result is the same as computing every similarity.
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
  const compared = new Int32Array(count); // how many picked papers each one was compared with
  const taken = new Uint8Array(count);
  const picked: number[] = [];
  const pickedScores: number[] = [];
  const rank = index.idRank;
  while (picked.length < Math.min(k, count)) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < count; i++) {
      if (taken[i]) continue;
      const relevance = lambda * (scores[i] as number) * scale;
      if (relevance < bestValue) break; // sorted by score: nobody further down can win
      if (relevance - (1 - lambda) * (maxSim[i] as number) < bestValue) continue;
      const doc = docs[i] as number;
      for (let p = compared[i] as number; p < picked.length; p++) {
        const sim = similarity(index, doc, picked[p] as number);
        if (sim > (maxSim[i] as number)) maxSim[i] = sim;
      }
      compared[i] = picked.length;
      const value = relevance - (1 - lambda) * (maxSim[i] as number);
      if (
        value > bestValue ||
        (value === bestValue && (rank[docs[i] as number] as number) < (rank[docs[best] as number] as number))
      ) {
        best = i;
        bestValue = value;
      }
    }
    taken[best] = 1;
    picked.push(docs[best] as number);
    pickedScores.push(bestValue / lambda / scale);
  }
  return { docs: picked, scores: pickedScores };
}
