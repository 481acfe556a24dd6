import { bigramKey, type EditionIndex } from './edition-index.js';
import { alternativeOf } from './synonyms.js';
import { normalizeName, tokenize } from './tokenize.js';

/**
 * A subscriber's phrases compiled against one edition. Each phrase is compiled once per edition and
 * cached on the index: subscribers share topics ("reinforcement learning"), so most look-ups hit.
 */

/** Papers one topic matches, with the topic's relevance score for each. */
export interface TopicMatches {
  label: string;
  docs: Int32Array;
  scores: Float32Array;
}

/** A phrase found in this order in a paper is worth more than its words scattered about. */
const PHRASE_BONUS = 1.5;
const MAX_CACHE = 50_000;

function cached<T>(index: EditionIndex, key: string, build: () => T): T {
  const hit = index.cache.get(key);
  if (hit !== undefined) return hit as T;
  const value = build();
  if (index.cache.size >= MAX_CACHE) index.cache.clear();
  index.cache.set(key, value);
  return value;
}

function termIds(index: EditionIndex, phrase: string): (number | undefined)[] {
  return tokenize(phrase).map((t) => index.vocabulary.get(t));
}

/** Papers in which every adjacent pair of the phrase's words occurs adjacently. */
function phraseDocs(
  index: EditionIndex,
  ids: (number | undefined)[],
  bigrams: ReadonlyMap<number, Int32Array> = index.bigrams,
): Set<number> | null {
  if (ids.length < 2 || ids.some((t) => t === undefined)) return null;
  let result: Set<number> | null = null;
  for (let i = 1; i < ids.length; i++) {
    const docs: Int32Array | undefined = bigrams.get(bigramKey(ids[i - 1] as number, ids[i] as number));
    if (!docs) return new Set();
    const next = new Set<number>();
    for (const d of docs) if (result === null || result.has(d)) next.add(d);
    result = next;
  }
  return result;
}

/** Share of a topic's idf mass a paper must contain to match it. */
const MIN_COVERAGE = 0.6;

/**
 * BM25F over the topic's words. A paper must contain the words that carry most of the topic's
 * weight (by idf): "reinforcement" alone still says reinforcement learning, "learning" alone does
 * not, so "federated learning" is no match for it. Partial matches score less, phrases more.
 */
export function compileTopic(index: EditionIndex, topic: string): TopicMatches {
  const label = topic.trim();
  return cached(index, `t:${label.toLowerCase()}`, () => {
    const own = matchTopic(index, label);
    const alternative = alternativeOf(label);
    // The other spelling must match in full: "reinforcement learning from human feedback" is RLHF,
    // not any paper on reinforcement learning.
    return alternative ? union(own, matchTopic(index, alternative, 1)) : own;
  });
}

/** Papers matching either spelling, each with the better of its two scores. */
function union(a: TopicMatches, b: TopicMatches): TopicMatches {
  const best = new Map<number, number>();
  a.docs.forEach((d, i) => {
    best.set(d, a.scores[i] as number);
  });
  b.docs.forEach((d, i) => {
    best.set(d, Math.max(best.get(d) ?? 0, b.scores[i] as number));
  });
  const docs = [...best.keys()].sort((x, y) => x - y);
  return {
    label: a.label,
    docs: Int32Array.from(docs),
    scores: Float32Array.from(docs, (d) => best.get(d) as number),
  };
}

function matchTopic(index: EditionIndex, label: string, minCoverage = MIN_COVERAGE): TopicMatches {
  const ids = [...new Set(termIds(index, label))];
  // A word no paper uses is as rare as can be: it counts towards the mass the paper misses.
  const rarest = Math.log(1 + (index.size + 0.5) / 0.5);
  const mass = ids.reduce<number>((m, t) => m + (t === undefined ? rarest : (index.idf[t] as number)), 0);
  if (ids.length === 0 || mass === 0) return { label, docs: new Int32Array(0), scores: new Float32Array(0) };
  const sum = new Map<number, number>();
  const covered = new Map<number, number>();
  for (const t of ids) {
    if (t === undefined) continue;
    const docs = index.postingDocs[t] as Int32Array;
    const weights = index.postingWeights[t] as Float32Array;
    const share = (index.idf[t] as number) / mass;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i] as number;
      sum.set(d, (sum.get(d) ?? 0) + (weights[i] as number));
      covered.set(d, (covered.get(d) ?? 0) + share);
    }
  }
  const phrase = phraseDocs(index, ids);
  const hits = [...covered].filter(([, c]) => c >= minCoverage - 1e-9).sort((a, b) => a[0] - b[0]);
  return {
    label,
    docs: Int32Array.from(hits, ([d]) => d),
    scores: Float32Array.from(hits, ([d, c]) => {
      const s = (sum.get(d) as number) * c;
      return phrase?.has(d) ? s * PHRASE_BONUS : s;
    }),
  };
}

/**
 * Papers an excluded keyword rules out: the word (stemmed) or the whole phrase in the title or the
 * AI keywords — what the paper is about. A passing mention in the abstract ("on five benchmarks")
 * does not exclude a paper.
 */
export function compileExclude(index: EditionIndex, keyword: string): Int32Array {
  return cached(index, `x:${keyword.trim().toLowerCase()}`, () => {
    const ids = termIds(index, keyword);
    if (ids.length === 0) return new Int32Array(0);
    if (ids.length === 1)
      return ids[0] === undefined ? new Int32Array(0) : (index.headDocs[ids[0]] as Int32Array);
    const docs = phraseDocs(index, ids, index.headBigrams) ?? new Set<number>();
    return Int32Array.from([...docs].sort((a, b) => a - b));
  });
}

/**
 * Papers by a followed author or organisation: the full name (accents, case and dashes aside), or
 * for organisations every word of it ("DeepMind" follows "Google DeepMind").
 */
export function compileFollow(index: EditionIndex, name: string): Int32Array {
  const wanted = normalizeName(name);
  return cached(index, `f:${wanted}`, () => {
    if (wanted === '') return new Int32Array(0);
    const docs = new Set<number>(index.names.get(wanted) ?? []);
    const words = wanted.split(' ');
    for (const org of index.organisations) {
      if (org === wanted) continue;
      const orgWords = org.split(' ');
      if (words.every((w) => orgWords.includes(w))) for (const d of index.names.get(org) ?? []) docs.add(d);
    }
    return Int32Array.from([...docs].sort((a, b) => a - b));
  });
}
