// `npm run bench -- render [subscribers]`: renders one edition's digests for 10k subscribers with
// varied selections (5–20 of 80 papers, both templates, every abstracts option, real signed links
// signed before the timing starts).
// Baselines in the same run, on a sample: mjml2html per subscriber and React Email per subscriber.
// The fast path renders all subscribers, compile and cache-filling included in its time.
import { performance } from 'node:perf_hooks';
import type { Paper } from '../src/papers/paper.js';
import type { DigestInput } from '../src/render/digest.types.js';

// React runs its production build where paperboy is deployed (NODE_ENV=production); its development
// build is several times slower. Set before React loads, hence the dynamic imports below.
process.env.NODE_ENV ??= 'production';
const { subscriberLinks } = await import('../src/links/links.js');
const { digestLinks } = await import('../src/render/digest.types.js');
const { createDigestRenderer, renderDigestNaive } = await import('../src/render/render-digest.js');
const { generatePapers, rng } = await import('../test/support/generate.js');

const SUBSCRIBERS = Number(process.argv[2] ?? 10_000);
const SAMPLE = 200;
const EDITION = '2026-11-26';
const GMAIL_CLIP_BYTES = 102 * 1024;

const papers: Paper[] = generatePapers(80, { seed: 2026, listedOn: EDITION });
const config = {
  publicUrl: 'https://papers.example.org',
  signingSecrets: { current: 'x'.repeat(40), previous: undefined },
};
const r = rng(7);

/**
 * Signing is the links module's work, not rendering's, and costs the same on both paths: the
 * links are signed up front (timed on their own) and looked up while rendering.
 */
let signingMs = 0;
function signedLinks(i: number, chosen: Paper[]): DigestInput['links'] {
  const start = performance.now();
  const links = digestLinks(subscriberLinks(config, { id: `sub-${i}`, tokenVersion: 1 }), EDITION);
  const table = new Map<string, string>();
  for (const paper of chosen) {
    for (const value of ['more', 'less'] as const)
      table.set(`${paper.id}:${value}`, links.feedback!(paper.id, value));
  }
  signingMs += performance.now() - start;
  return { ...links, feedback: (paperId, value) => table.get(`${paperId}:${value}`)! };
}

function subscriber(i: number): DigestInput {
  const count = 5 + Math.floor(r() * 16);
  const chosen = new Set<Paper>();
  while (chosen.size < count) chosen.add(papers[Math.floor(r() * papers.length)]!);
  return {
    edition: { date: EDITION, frequency: i % 10 === 0 ? 'weekly' : 'daily' },
    recipient: { email: `reader${i}@example.org` },
    preferences: {
      template: i % 2 === 0 ? 'classic' : 'modern',
      format: 'html',
      abstracts: (['short', 'full', 'none'] as const)[i % 3]!,
    },
    papers: [...chosen].map((paper, k) => ({
      paper,
      score: 100 - k,
      why: `matches: ${paper.aiKeywords[0]}`,
    })),
    links: signedLinks(i, [...chosen]),
    sender: { name: 'paperboy', address: '1 Example Street, 00000 Example City' },
    subjectTemplate: '{{date}}: {{topTitle}}{{more}}',
  };
}

const inputs = Array.from({ length: SUBSCRIBERS }, (_, i) => subscriber(i));
const signing = signingMs / SUBSCRIBERS;
console.log(
  `NODE_ENV=${process.env.NODE_ENV}; ${SUBSCRIBERS} subscribers, ${papers.length} papers in the edition`,
);
console.log(`signing every link of a digest (not in the figures below): ${signing.toFixed(3)} ms/digest`);
const sampleOf = (template: 'classic' | 'modern') =>
  inputs.filter((i) => i.preferences.template === template).slice(0, SAMPLE);

/** Each timed section starts from a clean heap, so none pays for the garbage of the one before. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function timeEach(list: DigestInput[], render: (i: DigestInput) => Promise<unknown>): Promise<number> {
  await render(list[0]!); // load modules and warm the JIT once, outside the timing
  collectGarbage();
  const start = performance.now();
  for (const input of list) await render(input);
  return (performance.now() - start) / list.length;
}

const naiveMjml = await timeEach(sampleOf('classic'), renderDigestNaive);
console.log(
  `naive MJML (mjml2html per subscriber):  ${naiveMjml.toFixed(3)} ms/digest  (sample of ${SAMPLE})`,
);
const naiveReact = await timeEach(sampleOf('modern'), renderDigestNaive);
console.log(
  `naive React Email (render per subscriber): ${naiveReact.toFixed(3)} ms/digest  (sample of ${SAMPLE})`,
);

const renderer = createDigestRenderer();
collectGarbage();
let maxBytes20 = 0;
const start = performance.now();
for (const input of inputs) {
  const { html } = await renderer.render(input);
  if (input.papers.length === 20) maxBytes20 = Math.max(maxBytes20, Buffer.byteLength(html!, 'utf8'));
}
const fastTotal = performance.now() - start;
const fast = fastTotal / inputs.length;
// A second pass over the same subscribers: the cost once every template and block is compiled.
collectGarbage();
const warmStart = performance.now();
for (const input of inputs) await renderer.render(input);
const fastWarm = (performance.now() - warmStart) / inputs.length;
console.log(
  `fast path (compiled once, cached blocks): ${fast.toFixed(4)} ms/digest  (all ${SUBSCRIBERS}, ${fastTotal.toFixed(0)} ms in total, compiling included)`,
);

// A worker compiles its templates once per process and builds paper blocks once per edition. So
// time a new edition on a renderer that has already rendered one digest per template of another
// edition (the same one warm-up render the naive paths get): the edition's block building counts,
// the process's one-time compile does not.
const edition = createDigestRenderer();
for (const template of ['classic', 'modern'] as const) {
  const other = sampleOf(template)[0]!;
  await edition.render({ ...other, papers: other.papers.map((p) => ({ ...p, paper: { ...p.paper } })) });
}
collectGarbage();
const editionStart = performance.now();
for (const input of inputs) await edition.render(input);
const fastEdition = (performance.now() - editionStart) / inputs.length;
console.log(
  `fast path, new edition on a warm process: ${fastEdition.toFixed(4)} ms/digest  (blocks built during the run, templates compiled before)`,
);

// The figures mean nothing if the fast path drifts from the reference: spot-check some outputs.
let mismatches = 0;
for (const input of inputs.filter((_, i) => i % Math.max(1, Math.floor(SUBSCRIBERS / 40)) === 0)) {
  const [a, b] = await Promise.all([renderDigestNaive(input), renderer.render(input)]);
  if (a.html !== b.html || a.text !== b.text) mismatches++;
}

const speedupMjml = naiveMjml / fast;
const speedupReact = naiveReact / fast;
console.log(
  `speedup vs per-subscriber MJML: ${speedupMjml.toFixed(0)}× cold (compiling included), ${(naiveMjml / fastEdition).toFixed(0)}× for a new edition on a warm process, ${(naiveMjml / fastWarm).toFixed(0)}× with every block cached; vs React Email: ${speedupReact.toFixed(0)}× cold`,
);
console.log(
  `largest 20-paper digest: ${maxBytes20} bytes (${((maxBytes20 / GMAIL_CLIP_BYTES) * 100).toFixed(0)}% of Gmail's ${GMAIL_CLIP_BYTES}-byte clipping limit)`,
);
console.log(`fast vs naive spot-check: ${mismatches} mismatches`);
console.log(
  JSON.stringify({
    bench: 'render',
    subscribers: SUBSCRIBERS,
    naive_sample: SAMPLE,
    naive_mjml_ms: +naiveMjml.toFixed(3),
    naive_react_ms: +naiveReact.toFixed(3),
    fast_ms: +fast.toFixed(4),
    fast_total_ms: Math.round(fastTotal),
    fast_warm_ms: +fastWarm.toFixed(4),
    speedup_vs_mjml: Math.round(speedupMjml),
    speedup_vs_react: Math.round(speedupReact),
    speedup_vs_mjml_warm: Math.round(naiveMjml / fastWarm),
    fast_edition_ms: +fastEdition.toFixed(4),
    speedup_vs_mjml_edition: Math.round(naiveMjml / fastEdition),
    max_html_bytes_20_papers: maxBytes20,
    gmail_clip_bytes: GMAIL_CLIP_BYTES,
    link_signing_ms: +signing.toFixed(3),
    fast_naive_mismatches: mismatches,
  }),
);
