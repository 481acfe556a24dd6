import type { EditionIndex } from './edition-index.js';
import type { RankingProfile } from './rank.js';

type Prefs = RankingProfile['preferences'];

const MAX_TOPICS_SHOWN = 3;

function upvotes(n: number): string {
  return `${n} upvote${n === 1 ? '' : 's'}`;
}

/** The short line that says why a paper is in the digest: "matches: multi-agent · you follow Meta AI". */
export function explainPaper(
  index: EditionIndex,
  doc: number,
  prefs: Prefs,
  context: { popularityOnly: boolean; generation: number },
): string {
  const s = index.scratch;
  const votes = index.upvotes[doc] as number;
  if (context.popularityOnly || s.stamp[doc] !== context.generation) return `trending: ${upvotes(votes)}`;
  const parts: string[] = [];
  const mask = s.topicMask[doc] as number;
  if (mask !== 0) {
    const labels = prefs.topics.filter((_, j) => j < 32 && (mask & (1 << j)) !== 0);
    parts.push(`matches: ${labels.slice(0, MAX_TOPICS_SHOWN).join(', ')}`);
  }
  const follow = s.follow[doc] as number;
  if (follow >= 0) parts.push(`you follow ${prefs.follow[follow]}`);
  if ((s.feedback[doc] as number) >= 0.15) parts.push('like papers you liked');
  if (votes >= index.trendingUpvotes || parts.length === 0) parts.push(`trending: ${upvotes(votes)}`);
  return parts.join(' · ');
}

function windowWords(index: EditionIndex): string {
  const w = index.window;
  return w.start === w.end ? `on ${w.end}` : `from ${w.start} to ${w.end}`;
}

function list(items: readonly string[]): string {
  return items.length > 4 ? `${items.slice(0, 4).join(', ')}, …` : items.join(', ');
}

export type EmptyCase =
  | { kind: 'no-papers' }
  | {
      kind: 'filtered' | 'no-match';
      sent: number;
      excluded: number;
      excludeHits: string[];
      generation: number;
    };

/** Why a selection came out empty, in words an operator (or the "nothing new" note) can use. */
export function explainEmpty(index: EditionIndex, prefs: Prefs, why: EmptyCase): string {
  const n = index.size;
  if (why.kind === 'no-papers') return `no papers listed ${windowWords(index)}`;
  let below = 0;
  for (let d = 0; d < n; d++) {
    if (index.scratch.excluded[d] !== why.generation && (index.upvotes[d] as number) < prefs.minUpvotes)
      below++;
  }
  const left = n - why.sent - why.excluded - below;
  const all = `all ${n} paper${n === 1 ? '' : 's'} listed ${windowWords(index)}`;
  const excludedWords = `matched your excluded keywords (${list(why.excludeHits)})`;
  const belowWords = `below your minimum of ${upvotes(prefs.minUpvotes)}`;
  if (left === 0) {
    if (why.sent === n) return `${all} were already sent to you in earlier digests`;
    if (why.excluded === n) return `${all} ${excludedWords}`;
    if (below === n) return `${all} were ${belowWords}`;
    const parts = [
      why.sent ? `${why.sent} already sent` : '',
      why.excluded ? `${why.excluded} ${excludedWords}` : '',
      below ? `${below} ${belowWords}` : '',
    ].filter(Boolean);
    return `none of the ${n} papers listed ${windowWords(index)} is left: ${parts.join(', ')}`;
  }
  const wanted = [
    prefs.topics.length ? `your topics (${list(prefs.topics)})` : '',
    prefs.follow.length ? `the authors and organisations you follow (${list(prefs.follow)})` : '',
  ].filter(Boolean);
  const filtered = n - left > 0 ? ` (${n - left} more were filtered out)` : '';
  return `none of the ${left} paper${left === 1 ? '' : 's'} listed ${windowWords(index)} matched ${wanted.join(' or ')}${filtered}`;
}
