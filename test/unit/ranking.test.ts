import { describe, expect, it } from 'vitest';
import { editionWindow } from '../../src/editions/edition-window.js';
import type { Paper } from '../../src/papers/paper.js';
import { buildEditionIndex } from '../../src/ranking/edition-index.js';
import { rankPapers } from '../../src/ranking/rank.js';
import { normalizeName, tokenize } from '../../src/ranking/tokenize.js';
import { type PreferencesInput, preferencesSchema } from '../../src/subscribers/preferences.js';
import { generatePapers } from '../support/generate.js';

function paper(id: string, title: string, abstract = '', extra: Partial<Paper> = {}): Paper {
  return {
    id,
    title,
    abstract,
    authors: [],
    organization: null,
    organizationName: null,
    publishedAt: null,
    listedOn: '2026-11-27',
    upvotes: 10,
    comments: 0,
    githubRepo: null,
    githubStars: null,
    projectPage: null,
    thumbnail: null,
    aiSummary: null,
    aiKeywords: [],
    ...extra,
  };
}

const DAY = editionWindow('2026-11-27', 'daily');
const prefs = (p: PreferencesInput = {}) => preferencesSchema.parse(p);
const ids = (papers: { paper: Paper }[]) => papers.map((r) => r.paper.id);

const CORPUS = [
  paper(
    'a1',
    'Multi-Agent Reinforcement Learning with Mean-Field Critics',
    'Cooperative agents learn jointly.',
  ),
  paper('a2', 'Federated Learning on Edge Devices', 'Clients train a shared model without sharing data.', {
    upvotes: 200,
  }),
  paper('a3', 'Learning to Reinforce Agent Memory', 'We study memory for multi-step learning agents.'),
  paper('a4', 'A Survey of Diffusion Models', 'This survey reviews diffusion models for images.', {
    upvotes: 90,
    aiKeywords: ['diffusion models', 'survey'],
  }),
  paper('a5', 'Video Diffusion with Camera Control', 'Diffusion models generate camera-controlled videos.', {
    upvotes: 40,
    organization: 'Meta AI',
    organizationName: 'meta-ai',
  }),
  paper('a6', 'Speech Recognition for Low-Resource Languages', 'Robust ASR with self-supervised encoders.', {
    upvotes: 5,
    authors: ['Jürgen Müller', 'Ana Silva'],
  }),
];

describe('tokenize', () => {
  it('lower-cases, splits on punctuation in any script, folds accents, drops stop words and stems', () => {
    expect(tokenize('The Multi-Agent Systems are LEARNING quickly!')).toEqual([
      'multi',
      'agent',
      'system',
      'learn',
      'quickli',
    ]);
    expect(tokenize('Über große Modelle')).toEqual(['uber', 'große', 'model']);
    expect(tokenize('GPT-4o in 3D, a x y')).toEqual(['gpt', '4o', '3d']);
    expect(tokenize('we propose a novel method of the')).toEqual([]);
  });

  it('makes plurals and verb forms meet', () => {
    expect(tokenize('agents')).toEqual(tokenize('agent'));
    expect(tokenize('diffusion models')).toEqual(tokenize('Diffusion Model'));
  });

  it('normalises names for follows', () => {
    expect(normalizeName('meta-ai')).toBe(normalizeName('Meta AI'));
    expect(normalizeName('Jürgen Müller')).toBe('jurgen muller');
  });
});

describe('rankPapers', () => {
  const index = buildEditionIndex(CORPUS, DAY);

  it('matches topics as phrases and ranks the phrase match first; "learning" alone does not match', () => {
    const { papers } = rankPapers(index, { preferences: prefs({ topics: ['reinforcement learning'] }) });
    expect(ids(papers)[0]).toBe('a1');
    expect(ids(papers)).not.toContain('a2'); // federated learning is not reinforcement learning
    expect(papers[0]?.why).toBe('matches: reinforcement learning');
  });

  it('with no interests ranks by popularity alone, as on the Daily Papers page', () => {
    const { papers } = rankPapers(index, { preferences: prefs() });
    expect(ids(papers)).toEqual(['a2', 'a4', 'a5', 'a1', 'a3', 'a6']);
    expect(papers[0]?.why).toBe('trending: 200 upvotes');
  });

  it('leaves out excluded keywords (title and keywords) and papers under the minimum upvotes', () => {
    const { papers } = rankPapers(index, {
      preferences: prefs({ topics: ['diffusion'], exclude: ['survey'] }),
    });
    expect(ids(papers)).toEqual(['a5']);
    const min = rankPapers(index, { preferences: prefs({ minUpvotes: 50 }) });
    expect(ids(min.papers)).toEqual(['a2', 'a4']);
  });

  it('never repeats a paper sent in an earlier digest', () => {
    const { papers } = rankPapers(index, { preferences: prefs(), sentPaperIds: new Set(['a2', 'a4', 'zz']) });
    expect(ids(papers)).toEqual(['a5', 'a1', 'a3', 'a6']);
  });

  it('boosts followed organisations and authors (accents and case aside) and says so', () => {
    const { papers } = rankPapers(index, {
      preferences: prefs({ topics: ['diffusion'], follow: ['meta ai'] }),
    });
    expect(ids(papers)[0]).toBe('a5');
    expect(papers[0]?.why).toMatch(/^matches: diffusion · you follow meta ai( · trending: 40 upvotes)?$/);
    const byAuthor = rankPapers(index, { preferences: prefs({ follow: ['jurgen muller'] }) });
    expect(ids(byAuthor.papers)).toEqual(['a6']);
    expect(byAuthor.papers[0]?.why).toBe('you follow jurgen muller');
  });

  it('follows organisations by part of their name', () => {
    const idx = buildEditionIndex(
      [
        paper('g1', 'Weather Forecasting', '', {
          organization: 'Google DeepMind',
          organizationName: 'google-deepmind',
        }),
      ],
      DAY,
    );
    expect(ids(rankPapers(idx, { preferences: prefs({ follow: ['DeepMind'] }) }).papers)).toEqual(['g1']);
  });

  it('learns from feedback: a liked paper pulls similar ones up, a disliked one pushes them down', () => {
    const papers = generatePapers(200, { seed: 7 });
    const idx = buildEditionIndex(papers, editionWindow('2026-11-26', 'daily'));
    const liked = paper(
      'old1',
      'Protein design with molecular generation',
      'Protein design for drug discovery.',
      {
        aiKeywords: ['protein design', 'drug discovery'],
      },
    );
    const base = rankPapers(idx, { preferences: prefs() });
    const withLike = rankPapers(idx, { preferences: prefs(), feedback: [{ paper: liked, value: 1 }] });
    const science = (r: typeof base) =>
      r.papers.filter((p) => /protein|drug|molecul/i.test(p.paper.title)).length;
    expect(science(withLike)).toBeGreaterThan(science(base));
    expect(withLike.papers.some((p) => p.why.includes('like papers you liked'))).toBe(true);
    const withDislike = rankPapers(idx, { preferences: prefs(), feedback: [{ paper: liked, value: -1 }] });
    expect(science(withDislike)).toBeLessThanOrEqual(science(base));
  });

  it('keeps near-duplicates from filling the top ten (MMR)', () => {
    const dupes = Array.from({ length: 12 }, (_, i) =>
      paper(
        `d${String(i).padStart(2, '0')}`,
        'Speculative Decoding with Draft Heads for Fast LLM Inference',
        'Draft heads propose tokens; the target model verifies them in one pass.',
        {
          upvotes: 100,
        },
      ),
    );
    const others = Array.from({ length: 6 }, (_, i) =>
      paper(
        `o${i}`,
        `Quantization of LLM Inference Kernels, part ${i}`,
        `Kernel ${i} quantizes weights to ${i + 2} bits for LLM inference.`,
        {
          upvotes: 20,
        },
      ),
    );
    const idx = buildEditionIndex([...dupes, ...others], DAY);
    const { papers } = rankPapers(idx, { preferences: prefs({ topics: ['LLM inference'] }) });
    expect(papers).toHaveLength(10);
    expect(ids(papers).filter((id) => id.startsWith('o')).length).toBeGreaterThanOrEqual(3);
    expect(ids(papers)[0]).toBe('d00'); // equal scores: the lowest id first
  });

  it('is deterministic, whatever the input order, with ties broken by paper id', () => {
    const papers = generatePapers(300, { seed: 3 });
    const p = prefs({ topics: ['multi-agent', 'diffusion models'], follow: ['NVIDIA'], maxPapers: 20 });
    const a = rankPapers(buildEditionIndex(papers, DAY), { preferences: p });
    const b = rankPapers(buildEditionIndex([...papers].reverse(), DAY), { preferences: p });
    expect(ids(a.papers)).toEqual(ids(b.papers));
    expect(a.papers.map((r) => r.score)).toEqual(b.papers.map((r) => r.score));
    const tied = buildEditionIndex([paper('t3', 'x'), paper('t1', 'x'), paper('t2', 'x')], DAY);
    expect(ids(rankPapers(tied, { preferences: prefs() }).papers)).toEqual(['t1', 't2', 't3']);
  });

  it('says why a selection is empty', () => {
    expect(
      rankPapers(buildEditionIndex([], editionWindow('2026-11-28', 'daily')), { preferences: prefs() }),
    ).toEqual({
      papers: [],
      emptyReason: 'no papers listed on 2026-11-28',
    });
    expect(
      rankPapers(buildEditionIndex([], editionWindow('2026-11-28', 'weekly')), { preferences: prefs() })
        .emptyReason,
    ).toBe('no papers listed from 2026-11-22 to 2026-11-28');
    const reason = (p: PreferencesInput, sent: string[] = []) =>
      rankPapers(index, { preferences: prefs(p), sentPaperIds: sent }).emptyReason;
    expect(reason({ minUpvotes: 500 })).toBe(
      'all 6 papers listed on 2026-11-27 were below your minimum of 500 upvotes',
    );
    expect(reason({}, ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'])).toBe(
      'all 6 papers listed on 2026-11-27 were already sent to you in earlier digests',
    );
    expect(reason({ minUpvotes: 50 }, ['a2', 'a4'])).toBe(
      'none of the 6 papers listed on 2026-11-27 is left: 2 already sent, 4 below your minimum of 50 upvotes',
    );
    expect(reason({ topics: ['protein folding'], exclude: ['speech'] })).toBe(
      'none of the 5 papers listed on 2026-11-27 matched your topics (protein folding) (1 more were filtered out)',
    );
    expect(rankPapers(index, { preferences: prefs({ topics: ['diffusion'] }) }).emptyReason).toBeUndefined();
  });

  it('covers seven listing days for weekly digests, fresher papers first when all else is equal', () => {
    expect(editionWindow('2026-11-28', 'weekly').days).toEqual([
      '2026-11-22',
      '2026-11-23',
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
    ]);
    expect(editionWindow('2026-11-28', 'weekdays')).toMatchObject({ start: '2026-11-28', end: '2026-11-28' });
    const week = editionWindow('2026-11-28', 'weekly');
    const idx = buildEditionIndex(
      [
        paper('w1', 'Robot locomotion', '', { listedOn: '2026-11-22' }),
        paper('w2', 'Robot locomotion', '', { listedOn: '2026-11-27' }),
      ],
      week,
    );
    expect(ids(rankPapers(idx, { preferences: prefs({ topics: ['locomotion'] }) }).papers)).toEqual([
      'w2',
      'w1',
    ]);
  });

  it('respects maxPapers', () => {
    const idx = buildEditionIndex(generatePapers(100, { seed: 5 }), DAY);
    expect(rankPapers(idx, { preferences: prefs({ maxPapers: 3 }) }).papers).toHaveLength(3);
    expect(rankPapers(idx, { preferences: prefs({ maxPapers: 50 }) }).papers).toHaveLength(50);
  });
});

describe('topic spellings', () => {
  it('finds "reinforcement learning" papers for "RL" and "MoE" papers for "mixture of experts"', () => {
    const idx = buildEditionIndex(
      [
        paper('s1', 'Offline Reinforcement Learning from Logs'),
        paper('s2', 'Sparse MoE Layers for Faster Training'),
        paper('s3', 'Image Segmentation'),
      ],
      DAY,
    );
    expect(ids(rankPapers(idx, { preferences: prefs({ topics: ['RL'] }) }).papers)).toEqual(['s1']);
    const moe = rankPapers(idx, { preferences: prefs({ topics: ['mixture of experts'] }) });
    expect(ids(moe.papers)).toEqual(['s2']);
    expect(moe.papers[0]?.why).toBe('matches: mixture of experts');
  });
});
