import type { Paper } from '../../src/papers/paper.js';

/**
 * Deterministic generated papers and daily_papers items for benchmarks and load tests. Real-looking
 * enough for ranking to have something to chew on; not an evaluation set (that is hand-written).
 */

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const FIELDS: Record<string, string[]> = {
  agents: ['multi-agent', 'tool use', 'planning', 'web agents', 'agentic workflows', 'self-reflection'],
  rl: [
    'reinforcement learning',
    'policy optimization',
    'reward modeling',
    'offline RL',
    'RLHF',
    'exploration',
  ],
  vision: [
    'diffusion models',
    'image generation',
    'video generation',
    'object detection',
    'segmentation',
    '3D reconstruction',
  ],
  nlp: [
    'large language models',
    'instruction tuning',
    'retrieval-augmented generation',
    'long context',
    'tokenization',
    'reasoning',
  ],
  systems: [
    'inference efficiency',
    'quantization',
    'speculative decoding',
    'KV cache',
    'mixture of experts',
    'distributed training',
  ],
  speech: [
    'speech recognition',
    'text-to-speech',
    'audio language models',
    'voice conversion',
    'music generation',
    'speech translation',
  ],
  robotics: [
    'robot manipulation',
    'embodied AI',
    'sim-to-real',
    'vision-language-action',
    'locomotion',
    'imitation learning',
  ],
  science: [
    'protein design',
    'molecular generation',
    'weather forecasting',
    'materials discovery',
    'single-cell',
    'drug discovery',
  ],
};
const FIELD_NAMES = Object.keys(FIELDS);
const VERBS = [
  'Scaling',
  'Rethinking',
  'Towards',
  'Learning',
  'Benchmarking',
  'Understanding',
  'Improving',
  'Unifying',
];
const NOUNS = ['Framework', 'Benchmark', 'Approach', 'Study', 'Recipe', 'Model', 'Dataset', 'Analysis'];
const FIRST = [
  'Wei',
  'Ana',
  'Lukas',
  'Priya',
  'Kenji',
  'Fatima',
  'Oliver',
  'Mei',
  'Carlos',
  'Ines',
  'Yuki',
  'Omar',
];
const LAST = [
  'Zhang',
  'Garcia',
  'Müller',
  'Patel',
  'Tanaka',
  'Haddad',
  'Smith',
  'Chen',
  'Rossi',
  'Kowalski',
  'Kim',
  'Nguyen',
];
const ORGS = [
  'Meta AI',
  'Google DeepMind',
  'Microsoft Research',
  'Alibaba Qwen',
  'NVIDIA',
  'Allen AI',
  'Mistral AI',
  null,
  null,
];

function pick<T>(r: () => number, items: readonly T[]): T {
  return items[Math.floor(r() * items.length)] as T;
}

export interface GeneratedPaperOptions {
  seed?: number;
  /** The day every paper is listed on, 'YYYY-MM-DD'. */
  listedOn?: string;
  idPrefix?: string;
}

export function generatePapers(count: number, options: GeneratedPaperOptions = {}): Paper[] {
  const r = rng(options.seed ?? 42);
  const listedOn = options.listedOn ?? '2026-11-26';
  const prefix = options.idPrefix ?? '2611';
  const papers: Paper[] = [];
  for (let i = 0; i < count; i++) {
    const field = pick(r, FIELD_NAMES);
    const topics = FIELDS[field] as string[];
    const a = pick(r, topics);
    const b = pick(r, topics);
    const other = pick(r, FIELDS[pick(r, FIELD_NAMES)] as string[]);
    const title = `${pick(r, VERBS)} ${a} with ${b}: A ${pick(r, NOUNS)} for ${other}`;
    const abstract =
      `We study ${a} in the setting of ${b}. Existing methods for ${other} struggle when data is scarce. ` +
      `We propose a simple ${pick(r, NOUNS).toLowerCase()} that combines ${a} and ${other}, ` +
      `and evaluate it on ${3 + Math.floor(r() * 9)} benchmarks, improving over strong baselines by ` +
      `${(1 + r() * 20).toFixed(1)}%. Code and models are released.`;
    const authorCount = 1 + Math.floor(r() * 9);
    const authors = Array.from({ length: authorCount }, () => `${pick(r, FIRST)} ${pick(r, LAST)}`);
    const organization = pick(r, ORGS);
    const upvotes = Math.floor(r() ** 3 * 300);
    const hasCode = r() < 0.5;
    papers.push({
      id: `${prefix}.${String(10000 + i).padStart(5, '0')}`,
      title,
      abstract,
      authors,
      organization,
      organizationName: organization ? organization.toLowerCase().replace(/\W+/g, '-') : null,
      publishedAt: new Date(`${listedOn}T00:00:00Z`),
      listedOn,
      upvotes,
      comments: Math.floor(upvotes / (3 + r() * 10)),
      githubRepo: hasCode ? `https://github.com/example/${field}-${i}` : null,
      githubStars: hasCode ? Math.floor(r() ** 2 * 2000) : null,
      projectPage: r() < 0.3 ? `https://example.org/projects/${i}` : null,
      thumbnail: null,
      aiSummary: r() < 0.7 ? `A ${a} method that improves ${other} using ${b}.` : null,
      aiKeywords: [a, b, other],
    });
  }
  return papers;
}

/** The same papers in the shape the Hugging Face daily_papers API (and `ingest --file`) uses. */
export function toDailyPapersItems(papers: Paper[]): unknown[] {
  return papers.map((p) => ({
    paper: {
      id: p.id,
      title: p.title,
      summary: p.abstract,
      authors: p.authors.map((name) => ({ name })),
      publishedAt: p.publishedAt?.toISOString(),
      upvotes: p.upvotes,
      ai_summary: p.aiSummary ?? undefined,
      ai_keywords: p.aiKeywords,
      githubRepo: p.githubRepo ?? undefined,
      githubStars: p.githubStars ?? undefined,
      projectPage: p.projectPage ?? undefined,
      organization: p.organizationName ? { name: p.organizationName, fullname: p.organization } : undefined,
      submittedOnDailyAt: `${p.listedOn}T08:00:00.000Z`,
    },
    numComments: p.comments,
    title: p.title,
    summary: p.abstract,
    publishedAt: p.publishedAt?.toISOString(),
  }));
}
