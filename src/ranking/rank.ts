import type { Paper } from '../papers/paper.js';
import type { Preferences } from '../subscribers/preferences.js';
import { diversify } from './diversify.js';
import { type EditionIndex, vectorOf } from './edition-index.js';
import { explainEmpty, explainPaper } from './explain.js';
import { compileExclude, compileFollow, compileTopic } from './query.js';
import type { RankedPaper, Selection } from './types.js';

/** One 👍 (1) or 👎 (-1) the subscriber gave an earlier paper. */
export interface FeedbackVote {
  paper: Paper;
  value: 1 | -1;
}

export interface RankingProfile {
  preferences: Pick<Preferences, 'topics' | 'exclude' | 'follow' | 'minUpvotes' | 'maxPapers'>;
  /** Papers sent to this subscriber in earlier digests: never sent twice. */
  sentPaperIds?: Iterable<string>;
  feedback?: readonly FeedbackVote[];
}

/** How the parts of a score weigh against each other; relevance is scaled to [0, 1] per subscriber. */
export const WEIGHTS = {
  relevance: 1,
  popularity: 0.3,
  freshness: 0.1,
  follow: 0.4,
  feedback: 1,
  /** Rocchio: liked papers pull, disliked ones push (a little less, one 👎 is a weaker signal). */
  liked: 1,
  disliked: 0.75,
  /** A paper this close to the liked ones is wanted even without a topic match. */
  feedbackQualifies: 0.25,
  feedbackTerms: 40,
} as const;

/** Rank one subscriber's candidates in an edition: pure, deterministic, ties broken by paper id. */
export function rankPapers(index: EditionIndex, profile: RankingProfile): Selection {
  const { preferences: prefs } = profile;
  const s = index.scratch;
  if (s.generation >= 0xfffffff0) {
    s.generation = 0;
    s.stamp.fill(0);
    s.excluded.fill(0);
  }
  const gen = ++s.generation;
  const n = index.size;
  if (n === 0) return { papers: [], emptyReason: explainEmpty(index, prefs, { kind: 'no-papers' }) };

  let sent = 0;
  for (const id of profile.sentPaperIds ?? []) {
    const d = index.idToIndex.get(id);
    if (d !== undefined && s.excluded[d] !== gen) {
      s.excluded[d] = gen;
      sent++;
    }
  }
  let excluded = 0;
  const excludeHits: string[] = [];
  for (const keyword of prefs.exclude) {
    let hit = false;
    for (const d of compileExclude(index, keyword)) {
      if (s.excluded[d] === gen) continue;
      s.excluded[d] = gen;
      excluded++;
      hit = true;
    }
    if (hit) excludeHits.push(keyword);
  }

  let touched = 0;
  const touch = (d: number) => {
    if (s.stamp[d] === gen) return;
    s.stamp[d] = gen;
    s.relevance[d] = 0;
    s.topicMask[d] = 0;
    s.follow[d] = -1;
    s.feedback[d] = 0;
    s.touched[touched++] = d;
  };
  prefs.topics.forEach((topic, j) => {
    const m = compileTopic(index, topic);
    for (let i = 0; i < m.docs.length; i++) {
      const d = m.docs[i] as number;
      touch(d);
      s.relevance[d] = (s.relevance[d] as number) + (m.scores[i] as number);
      if (j < 32) s.topicMask[d] = (s.topicMask[d] as number) | (1 << j);
    }
  });
  prefs.follow.forEach((name, j) => {
    for (const d of compileFollow(index, name)) {
      touch(d);
      if ((s.follow[d] as number) < 0) s.follow[d] = j;
    }
  });
  const hasFeedback = accumulateFeedback(index, profile.feedback ?? [], touch);
  const interests = prefs.topics.length > 0 || prefs.follow.length > 0;

  let relMax = 0;
  for (let i = 0; i < touched; i++) relMax = Math.max(relMax, s.relevance[s.touched[i] as number] as number);
  const relScale = relMax > 0 ? 1 / relMax : 0;
  const k = prefs.maxPapers;
  const diverse = interests || hasFeedback;
  const pool = diverse ? Math.min(Math.max(3 * k, 30), 150) : k;
  const top = new TopK(index, pool);
  const limit = interests ? touched : n;
  for (let i = 0; i < limit; i++) {
    const d = interests ? (s.touched[i] as number) : i;
    if (s.excluded[d] === gen || (index.upvotes[d] as number) < prefs.minUpvotes) continue;
    const mine = s.stamp[d] === gen;
    const fb = mine ? (s.feedback[d] as number) : 0;
    let score = WEIGHTS.popularity * (index.popularity[d] as number);
    score += WEIGHTS.freshness * (index.freshness[d] as number) + WEIGHTS.feedback * fb;
    if (interests) {
      const follows = (s.follow[d] as number) >= 0;
      if (s.topicMask[d] === 0 && !follows && fb < WEIGHTS.feedbackQualifies) continue;
      score += WEIGHTS.relevance * (s.relevance[d] as number) * relScale + (follows ? WEIGHTS.follow : 0);
    }
    top.offer(d, score);
  }

  if (top.count === 0) {
    return {
      papers: [],
      emptyReason: explainEmpty(index, prefs, {
        kind: interests ? 'no-match' : 'filtered',
        sent,
        excluded,
        excludeHits,
        generation: gen,
      }),
    };
  }
  const picked = diverse
    ? diversify(index, top.docs, top.scores, top.count, k)
    : {
        docs: Array.from(top.docs.subarray(0, top.count)),
        scores: Array.from(top.scores.subarray(0, top.count)),
      };
  const papers: RankedPaper[] = picked.docs.map((d, i) => ({
    paper: index.papers[d] as Paper,
    score: picked.scores[i] as number,
    why: explainPaper(index, d, prefs, { popularityOnly: !interests && !hasFeedback, generation: gen }),
  }));
  return { papers };
}

/** Rocchio over term weights: the liked papers' centroid minus the disliked ones', dotted with each paper. */
function accumulateFeedback(
  index: EditionIndex,
  votes: readonly FeedbackVote[],
  touch: (d: number) => void,
): boolean {
  if (votes.length === 0) return false;
  const liked = votes.filter((v) => v.value > 0).length;
  const disliked = votes.length - liked;
  const query = new Map<number, number>();
  for (const vote of votes) {
    const v = vectorOf(index, vote.paper);
    const w = vote.value > 0 ? WEIGHTS.liked / liked : -WEIGHTS.disliked / disliked;
    for (let i = 0; i < v.terms.length; i++) {
      const t = v.terms[i] as number;
      query.set(t, (query.get(t) ?? 0) + w * (v.weights[i] as number));
    }
  }
  const terms = [...query]
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0] - b[0])
    .slice(0, WEIGHTS.feedbackTerms);
  const s = index.scratch;
  for (const [t, w] of terms) {
    const docs = index.vectorPostingDocs[t] as Int32Array;
    const weights = index.vectorPostingWeights[t] as Float32Array;
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i] as number;
      touch(d);
      s.feedback[d] = (s.feedback[d] as number) + w * (weights[i] as number);
    }
  }
  return true;
}

/** The best `size` papers seen so far, best first; equal scores ordered by paper id. */
class TopK {
  docs: Int32Array;
  scores: Float64Array;
  count = 0;
  constructor(
    private index: EditionIndex,
    private size: number,
  ) {
    this.docs = new Int32Array(size);
    this.scores = new Float64Array(size);
  }

  private better(d: number, score: number, j: number): boolean {
    const other = this.scores[j] as number;
    if (score !== other) return score > other;
    return (this.index.idRank[d] as number) < (this.index.idRank[this.docs[j] as number] as number);
  }

  offer(d: number, score: number): void {
    if (this.count === this.size && !this.better(d, score, this.count - 1)) return;
    let j = this.count < this.size ? this.count++ : this.size - 1;
    while (j > 0 && this.better(d, score, j - 1)) {
      this.docs[j] = this.docs[j - 1] as number;
      this.scores[j] = this.scores[j - 1] as number;
      j--;
    }
    this.docs[j] = d;
    this.scores[j] = score;
  }
}
