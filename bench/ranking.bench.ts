// `npm run bench -- ranking [subscribers]`: ranks 100k generated subscribers against a 500-paper
// edition whose index is built once, then against a 1,000-paper edition, beside a naive baseline
// that rebuilds (re-tokenises) the corpus for every subscriber, run on a sample of 300.
import { editionWindow } from '../src/editions/edition-window.js';
import type { Paper } from '../src/papers/paper.js';
import { buildEditionIndex, type EditionIndex } from '../src/ranking/edition-index.js';
import { type RankingProfile, rankPapers } from '../src/ranking/rank.js';
import { preferencesSchema } from '../src/subscribers/preferences.js';
import { generatePapers, rng } from '../test/support/generate.js';

const SUBSCRIBERS = Number(process.argv[2] ?? 100_000);
const NAIVE_SAMPLE = 300;
const LARGE_SAMPLE = 20_000;
const DATE = '2026-11-26';

const TOPICS = [
  'multi-agent',
  'tool use',
  'planning',
  'web agents',
  'reinforcement learning',
  'policy optimization',
  'reward modeling',
  'offline RL',
  'RLHF',
  'diffusion models',
  'image generation',
  'video generation',
  'object detection',
  'segmentation',
  '3D reconstruction',
  'large language models',
  'instruction tuning',
  'retrieval-augmented generation',
  'long context',
  'reasoning',
  'quantization',
  'speculative decoding',
  'KV cache',
  'mixture of experts',
  'speech recognition',
  'text-to-speech',
  'music generation',
  'robot manipulation',
  'embodied AI',
  'sim-to-real',
  'locomotion',
  'protein design',
  'weather forecasting',
  'drug discovery',
  'single-cell',
  'graph neural networks',
  'federated learning',
  'causal inference',
];
const FOLLOWS = [
  'Meta AI',
  'Google DeepMind',
  'NVIDIA',
  'Mistral AI',
  'Wei Zhang',
  'Priya Patel',
  'Allen AI',
];
const EXCLUDES = ['survey', 'benchmark', 'speech', 'medical', 'RLHF', 'video'];

function subscribers(count: number, papers: Paper[]): RankingProfile[] {
  const r = rng(99);
  const some = <T>(items: readonly T[], max: number): T[] =>
    Array.from({ length: Math.floor(r() * (max + 1)) }, () => items[Math.floor(r() * items.length)] as T);
  return Array.from({ length: count }, () => {
    const none = r() < 0.15; // no interests at all: the popular papers of the day
    const feedback =
      !none && r() < 0.2
        ? some(papers, 3).map(
            (paper) => ({ paper: { ...paper, id: `old-${paper.id}` }, value: r() < 0.8 ? 1 : -1 }) as const,
          )
        : [];
    return {
      preferences: preferencesSchema.parse({
        topics: none ? [] : some(TOPICS, 5),
        follow: none ? [] : some(FOLLOWS, 2),
        exclude: some(EXCLUDES, 2),
        minUpvotes: r() < 0.1 ? 20 : 0,
        maxPapers: r() < 0.8 ? 10 : 5 + Math.floor(r() * 20),
      }),
      feedback,
      sentPaperIds: r() < 0.3 ? some(papers, 10).map((p) => p.id) : [],
    };
  });
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function run(index: EditionIndex, profiles: RankingProfile[]) {
  const times = new Float64Array(profiles.length);
  let chosen = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < profiles.length; i++) {
    const t0 = performance.now();
    chosen += rankPapers(index, profiles[i] as RankingProfile).papers.length;
    times[i] = performance.now() - t0;
  }
  const total = performance.now() - start;
  const used = process.cpuUsage(cpu);
  times.sort();
  // CPU time next to wall time: on a shared machine other processes stretch the wall clock.
  const cpuMs = (used.user + used.system) / 1000;
  return { total, cpuMs, median: percentile(times, 0.5), p95: percentile(times, 0.95), chosen };
}

const window = editionWindow(DATE, 'daily');
const papers = generatePapers(500, { seed: 42, listedOn: DATE });
let t0 = performance.now();
const index = buildEditionIndex(papers, window);
const buildMs = performance.now() - t0;
const profiles = subscribers(SUBSCRIBERS, papers);
run(index, profiles.slice(0, 2_000)); // warm-up
const main = run(index, profiles);
const perSecond = (SUBSCRIBERS / main.total) * 1000;
const perCpuSecond = (SUBSCRIBERS / main.cpuMs) * 1000;
console.log(
  `edition: 500 papers, index built once in ${buildMs.toFixed(1)} ms (${index.vocabulary.size} terms)`,
);
console.log(
  `indexed:  ${SUBSCRIBERS} subscribers in ${(main.total / 1000).toFixed(2)} s — ${Math.round(perSecond)} subscribers/s, ` +
    `median ${(main.median * 1000).toFixed(1)} µs, p95 ${(main.p95 * 1000).toFixed(1)} µs per subscriber ` +
    `(${(main.chosen / SUBSCRIBERS).toFixed(1)} papers each); ${Math.round(perCpuSecond)} subscribers per CPU-second`,
);

const bigPapers = generatePapers(1_000, { seed: 43, listedOn: DATE });
t0 = performance.now();
const bigIndex = buildEditionIndex(bigPapers, window);
const bigBuildMs = performance.now() - t0;
const bigProfiles = subscribers(LARGE_SAMPLE, bigPapers);
run(bigIndex, bigProfiles.slice(0, 2_000));
const big = run(bigIndex, bigProfiles);
console.log(
  `1,000 candidates: index built in ${bigBuildMs.toFixed(1)} ms; ${LARGE_SAMPLE} subscribers, ` +
    `median ${(big.median * 1000).toFixed(1)} µs, p95 ${(big.p95 * 1000).toFixed(1)} µs per subscriber`,
);

// The naive baseline: what ranking costs when nothing is shared between subscribers — the corpus is
// tokenised, counted and indexed again for each one. Same ranking code, same results.
const naiveTimes = new Float64Array(NAIVE_SAMPLE);
for (let i = 0; i < NAIVE_SAMPLE; i++) {
  const start = performance.now();
  rankPapers(buildEditionIndex(papers, window), profiles[i] as RankingProfile);
  naiveTimes[i] = performance.now() - start;
}
naiveTimes.sort();
const naiveMedian = percentile(naiveTimes, 0.5);
console.log(
  `naive:    re-tokenising the 500 papers per subscriber, on a sample of ${NAIVE_SAMPLE} subscribers: ` +
    `median ${naiveMedian.toFixed(2)} ms per subscriber — ${(naiveMedian / main.median).toFixed(0)}x slower`,
);
console.log(
  JSON.stringify({
    bench: 'ranking',
    papers: 500,
    subscribers: SUBSCRIBERS,
    index_build_ms: Number(buildMs.toFixed(1)),
    median_ms_per_subscriber: Number(main.median.toFixed(4)),
    p95_ms_per_subscriber: Number(main.p95.toFixed(4)),
    subscribers_per_s: Math.round(perSecond),
    subscribers_per_cpu_s: Math.round(perCpuSecond),
    median_ms_per_subscriber_1000_candidates: Number(big.median.toFixed(4)),
    p95_ms_per_subscriber_1000_candidates: Number(big.p95.toFixed(4)),
    naive_sample: NAIVE_SAMPLE,
    naive_median_ms_per_subscriber: Number(naiveMedian.toFixed(3)),
    speedup_vs_naive: Math.round(naiveMedian / main.median),
  }),
);
