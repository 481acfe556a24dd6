import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { editionWindow } from '../../src/editions/edition-window.js';
import type { Paper } from '../../src/papers/paper.js';
import { buildEditionIndex } from '../../src/ranking/edition-index.js';
import { type FeedbackVote, rankPapers } from '../../src/ranking/rank.js';
import { preferencesSchema } from '../../src/subscribers/preferences.js';

// The hand-labelled evaluation set: see test/fixtures/eval (build.ts composes it from vocabulary.ts
// and profiles.ts; labels come from the subtopic each paper was written for).
interface EvalProfile {
  id: string;
  preferences: { topics: string[]; follow: string[]; exclude: string[] };
  feedback: { paperId: string; value: 1 | -1 }[];
  relevance: Record<string, number>;
}
const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/eval/${name}`, import.meta.url), 'utf8')) as T;
const papers = load<(Paper & { truth?: unknown })[]>('papers.json').map(({ truth: _truth, ...p }) => ({
  ...p,
  publishedAt: null,
  githubRepo: null,
  projectPage: null,
  thumbnail: null,
}));
const profiles = load<EvalProfile[]>('profiles.json');
const byId = new Map(papers.map((p) => [p.id, p]));
const index = buildEditionIndex(papers, editionWindow('2026-11-27', 'daily'));

function dcg(gains: number[]): number {
  return gains.reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
}

function evaluate(profile: EvalProfile, personal: boolean) {
  const feedback: FeedbackVote[] = profile.feedback.map((f) => ({
    paper: byId.get(f.paperId) as Paper,
    value: f.value,
  }));
  const preferences = preferencesSchema.parse(
    personal ? profile.preferences : { exclude: profile.preferences.exclude },
  );
  const ranked = rankPapers(index, {
    preferences,
    feedback: personal ? feedback : [],
    sentPaperIds: profile.feedback.map((f) => f.paperId),
  }).papers.map((r) => r.paper.id);
  const gains = ranked.map((id) => profile.relevance[id] ?? 0);
  const ideal = Object.values(profile.relevance)
    .sort((a, b) => b - a)
    .slice(0, 10);
  return {
    ndcg: dcg(gains.slice(0, 10)) / dcg(ideal),
    p5: gains.slice(0, 5).filter((g) => g > 0).length / 5,
  };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('ranking quality on the labelled evaluation set', () => {
  it('has a realistic size', () => {
    expect(papers.length).toBeGreaterThanOrEqual(300);
    expect(profiles.length).toBeGreaterThanOrEqual(30);
  });

  it('beats popularity-only ranking by a clear margin (nDCG@10 and precision@5)', () => {
    const personal = profiles.map((p) => evaluate(p, true));
    const popular = profiles.map((p) => evaluate(p, false));
    const figures = {
      personal: { ndcg10: mean(personal.map((r) => r.ndcg)), p5: mean(personal.map((r) => r.p5)) },
      popularity: { ndcg10: mean(popular.map((r) => r.ndcg)), p5: mean(popular.map((r) => r.p5)) },
    };
    console.log(
      `ranking quality over ${profiles.length} profiles × ${papers.length} papers: ` +
        `personal nDCG@10 ${figures.personal.ndcg10.toFixed(3)}, P@5 ${figures.personal.p5.toFixed(3)}; ` +
        `popularity-only nDCG@10 ${figures.popularity.ndcg10.toFixed(3)}, P@5 ${figures.popularity.p5.toFixed(3)}`,
    );
    const weakest = profiles
      .map((p, i) => ({ id: p.id, ndcg: (personal[i] as { ndcg: number }).ndcg }))
      .sort((a, b) => a.ndcg - b.ndcg)
      .slice(0, 5);
    console.log(`weakest profiles: ${weakest.map((w) => `${w.id} ${w.ndcg.toFixed(2)}`).join(', ')}`);
    expect(figures.personal.ndcg10 - figures.popularity.ndcg10).toBeGreaterThanOrEqual(0.15);
    expect(figures.personal.p5 - figures.popularity.p5).toBeGreaterThanOrEqual(0.15);
    expect(figures.personal.ndcg10).toBeGreaterThan(0.6);
  });
});
