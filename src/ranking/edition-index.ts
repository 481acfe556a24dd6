import { daysBetween, type EditionWindow } from '../editions/edition-window.js';
import type { Paper } from '../papers/paper.js';
import { normalizeName, tokenize } from './tokenize.js';

/**
 * Everything about one edition's papers that does not depend on the subscriber, computed once and
 * shared by every subscriber ranked against it: the vocabulary, BM25F weights as an inverted index,
 * bigram postings for phrases, per-paper term vectors for diversity and feedback, popularity and
 * freshness. Ranking a subscriber then only walks the postings of a handful of query terms.
 */

/** BM25F field weights and length normalisation: a word in the title says more than one in the abstract. */
const FIELDS = [
  { weight: 3, b: 0.5 }, // title
  { weight: 1, b: 0.75 }, // abstract (+ AI summary)
  { weight: 2, b: 0.3 }, // AI keywords
] as const;
const K1 = 1.2;
/** Terms kept per paper vector: enough to tell near-duplicates apart, cheap to compare. */
const VECTOR_TERMS = 32;
const BIGRAM_BASE = 2 ** 21;

export interface TermVector {
  terms: Int32Array; // sorted ascending
  weights: Float32Array; // L2-normalised
}

export interface EditionIndex {
  window: EditionWindow;
  papers: readonly Paper[];
  size: number;
  idToIndex: ReadonlyMap<string, number>;
  /** Rank of each paper's id in ascending id order: the stable tie-break. */
  idRank: Int32Array;
  vocabulary: ReadonlyMap<string, number>;
  idf: Float64Array;
  /** Inverted index: for each term, papers (ascending) and their BM25F weights. */
  postingDocs: Int32Array[];
  postingWeights: Float32Array[];
  /** Adjacent term pairs (a·2^21 + b) → papers containing them, for phrase matches. */
  bigrams: ReadonlyMap<number, Int32Array>;
  /** The same, over titles and AI keywords only: what a paper is about, for excluded keywords. */
  headDocs: Int32Array[];
  headBigrams: ReadonlyMap<number, Int32Array>;
  /** Per-paper sparse vectors (CSR) and their transpose, for MMR similarity and feedback. */
  vectors: TermVector[];
  vectorPostingDocs: Int32Array[];
  vectorPostingWeights: Float32Array[];
  /** Dampened popularity in [0, 1] and freshness within the window in [0, 1]. */
  popularity: Float64Array;
  freshness: Float64Array;
  upvotes: Int32Array;
  /** Upvotes from which a paper is called trending: the edition's top tenth, and at least 20. */
  trendingUpvotes: number;
  /** Normalised author / organisation names → papers; distinct organisation names for partial follows. */
  names: ReadonlyMap<string, Int32Array>;
  organisations: readonly string[];
  avgFieldLength: readonly number[];
  /** Per-edition caches of compiled query parts, shared by subscribers with the same phrases. */
  cache: Map<string, unknown>;
  /** Scratch space reused by every ranking call (ranking is synchronous, so one set suffices). */
  scratch: RankingScratch;
}

export interface RankingScratch {
  generation: number;
  stamp: Uint32Array;
  excluded: Uint32Array;
  relevance: Float64Array;
  topicMask: Uint32Array;
  follow: Int32Array;
  feedback: Float64Array;
  touched: Int32Array;
}

function fieldTokens(paper: Paper): string[][] {
  return [
    tokenize(paper.title),
    tokenize(`${paper.abstract} ${paper.aiSummary ?? ''}`),
    // A break between keywords so no phrase spans two of them.
    paper.aiKeywords.flatMap((k) => [...tokenize(k), '']),
  ];
}

function popularityOf(p: Paper): number {
  // Logs so one viral paper does not flatten the rest; upvotes count most, then discussion and code.
  return Math.log1p(p.upvotes) + 0.4 * Math.log1p(p.comments) + 0.25 * Math.log1p(p.githubStars ?? 0);
}

/** Field-weighted, length-normalised, saturated term frequencies of one paper (no idf yet). */
function bm25fTf(fields: string[][], avg: readonly number[], vocab: ReadonlyMap<string, number>) {
  const tf = new Map<number, number>();
  fields.forEach((tokens, f) => {
    const { weight, b } = FIELDS[f] as (typeof FIELDS)[number];
    const len = tokens.filter((t) => t !== '').length;
    const norm = 1 - b + (b * len) / Math.max(avg[f] as number, 1);
    for (const t of tokens) {
      const id = t === '' ? undefined : vocab.get(t);
      if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + weight / norm);
    }
  });
  return tf;
}

function toVector(weights: Map<number, number>): TermVector {
  const top = [...weights].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, VECTOR_TERMS);
  top.sort((a, b) => a[0] - b[0]);
  const norm = Math.sqrt(top.reduce((s, [, w]) => s + w * w, 0)) || 1;
  return {
    terms: Int32Array.from(top, ([t]) => t),
    weights: Float32Array.from(top, ([, w]) => w / norm),
  };
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (list[list.length - 1] !== value) list.push(value);
}

export function buildEditionIndex(input: readonly Paper[], window: EditionWindow): EditionIndex {
  // In id order, one per id: the index (and every float sum over it) is the same however the
  // papers arrived, so the same edition ranks the same in every process.
  const papers = [...new Map(input.map((p) => [p.id, p])).values()].sort((a, b) => cmp(a.id, b.id));
  const n = papers.length;
  const tokens = papers.map(fieldTokens);
  const vocabulary = new Map<string, number>();
  const df: number[] = [];
  const bigramLists = new Map<number, number[]>();
  const headLists = new Map<number, number[]>();
  const headBigramLists = new Map<number, number[]>();
  const fieldTotals = [0, 0, 0];
  tokens.forEach((fields, doc) => {
    const seen = new Set<number>();
    fields.forEach((list, f) => {
      let prev = -1;
      for (const t of list) {
        if (t === '') {
          prev = -1;
          continue;
        }
        fieldTotals[f] = (fieldTotals[f] as number) + 1;
        let id = vocabulary.get(t);
        if (id === undefined) {
          id = vocabulary.size;
          vocabulary.set(t, id);
          df.push(0);
        }
        if (!seen.has(id)) {
          seen.add(id);
          df[id] = (df[id] as number) + 1;
        }
        const head = f !== 1;
        if (head) push(headLists, id, doc);
        if (prev >= 0) {
          push(bigramLists, prev * BIGRAM_BASE + id, doc);
          if (head) push(headBigramLists, prev * BIGRAM_BASE + id, doc);
        }
        prev = id;
      }
    });
  });
  const avgFieldLength = fieldTotals.map((t) => t / Math.max(n, 1));
  const idf = Float64Array.from(df, (d) => Math.log(1 + (n - d + 0.5) / (d + 0.5)));

  const postingLists: { docs: number[]; weights: number[] }[] = df.map(() => ({ docs: [], weights: [] }));
  const vectors: TermVector[] = [];
  tokens.forEach((fields, doc) => {
    const weights = new Map<number, number>();
    for (const [term, tf] of bm25fTf(fields, avgFieldLength, vocabulary)) {
      const w = ((idf[term] as number) * tf * (K1 + 1)) / (K1 + tf);
      weights.set(term, w);
      const list = postingLists[term] as { docs: number[]; weights: number[] };
      list.docs.push(doc);
      list.weights.push(w);
    }
    vectors.push(toVector(weights));
  });
  const vectorLists: { docs: number[]; weights: number[] }[] = df.map(() => ({ docs: [], weights: [] }));
  vectors.forEach((v, doc) => {
    v.terms.forEach((t, i) => {
      const list = vectorLists[t] as { docs: number[]; weights: number[] };
      list.docs.push(doc);
      list.weights.push(v.weights[i] as number);
    });
  });

  const names = new Map<string, number[]>();
  const organisations = new Set<string>();
  papers.forEach((p, doc) => {
    for (const a of p.authors) push(names, normalizeName(a), doc);
    for (const o of [p.organization, p.organizationName]) {
      if (!o) continue;
      const name = normalizeName(o);
      push(names, name, doc);
      organisations.add(name);
    }
  });

  const rawPop = papers.map(popularityOf);
  const maxPop = Math.max(1e-9, ...rawPop);
  const span = Math.max(1, window.days.length);
  const order = papers.map((_, i) => i).sort((a, b) => cmp((papers[a] as Paper).id, (papers[b] as Paper).id));
  const idRank = new Int32Array(n);
  order.forEach((doc, rank) => {
    idRank[doc] = rank;
  });

  return {
    window,
    papers,
    size: n,
    idToIndex: new Map(papers.map((p, i) => [p.id, i])),
    idRank,
    vocabulary,
    idf,
    postingDocs: postingLists.map((l) => Int32Array.from(l.docs)),
    postingWeights: postingLists.map((l) => Float32Array.from(l.weights)),
    bigrams: new Map([...bigramLists].map(([k, v]) => [k, Int32Array.from(v)])),
    headDocs: df.map((_, t) => Int32Array.from(headLists.get(t) ?? [])),
    headBigrams: new Map([...headBigramLists].map(([k, v]) => [k, Int32Array.from(v)])),
    vectors,
    vectorPostingDocs: vectorLists.map((l) => Int32Array.from(l.docs)),
    vectorPostingWeights: vectorLists.map((l) => Float32Array.from(l.weights)),
    popularity: Float64Array.from(rawPop, (p) => p / maxPop),
    // Listed on the edition's day → 1, the oldest day of a weekly window → 1/7.
    freshness: Float64Array.from(papers, (p) => 1 - Math.max(0, daysBetween(p.listedOn, window.end)) / span),
    upvotes: Int32Array.from(papers, (p) => p.upvotes),
    trendingUpvotes: Math.max(
      20,
      [...papers.map((p) => p.upvotes)].sort((a, b) => b - a)[Math.floor(n / 10)] ?? 0,
    ),
    names: new Map([...names].map(([k, v]) => [k, Int32Array.from(v)])),
    organisations: [...organisations].sort(),
    avgFieldLength,
    cache: new Map(),
    scratch: {
      generation: 0,
      stamp: new Uint32Array(n),
      excluded: new Uint32Array(n),
      relevance: new Float64Array(n),
      topicMask: new Uint32Array(n),
      follow: new Int32Array(n),
      feedback: new Float64Array(n),
      touched: new Int32Array(n),
    },
  };
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function bigramKey(a: number, b: number): number {
  return a * BIGRAM_BASE + b;
}

/**
 * The vector of a paper in this edition's term space: its own when it is in the edition, otherwise
 * computed from its text (feedback papers come from earlier editions) and cached for other subscribers.
 */
export function vectorOf(index: EditionIndex, paper: Paper): TermVector {
  const doc = index.idToIndex.get(paper.id);
  if (doc !== undefined) return index.vectors[doc] as TermVector;
  const key = `v:${paper.id}`;
  const cached = index.cache.get(key) as TermVector | undefined;
  if (cached) return cached;
  const weights = new Map<number, number>();
  for (const [term, tf] of bm25fTf(fieldTokens(paper), index.avgFieldLength, index.vocabulary)) {
    weights.set(term, ((index.idf[term] as number) * tf * (K1 + 1)) / (K1 + tf));
  }
  const vector = toVector(weights);
  index.cache.set(key, vector);
  return vector;
}
