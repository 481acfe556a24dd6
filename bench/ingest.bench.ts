// npm run bench -- ingest [count]
// Validates and ingests generated daily_papers items into a fresh database on the machine's
// PostgreSQL, then ingests them again (the update path), beside a row-by-row upsert baseline.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { ingestResult } from '../src/papers/ingest.js';
import { upsertPapers } from '../src/papers/papers.repository.js';
import { validateDailyPapers } from '../src/sources/daily-papers.schema.js';
import { generatePapers, toDailyPapersItems } from '../test/support/generate.js';

const COUNT = Number(process.argv[2] ?? 10_000);
const BASELINE_COUNT = Math.min(2_000, COUNT);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `paperboy_bench_${randomBytes(5).toString('hex')}`;

async function admin(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

await admin(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const db = createDb(url.toString());
try {
  await migrateToLatest(db);
  const papers = generatePapers(COUNT, { seed: 7 });
  const items = toDailyPapersItems(papers);
  // The update path: the same papers a day later, with more upvotes.
  const later = toDailyPapersItems(
    papers.map((p) => ({ ...p, upvotes: p.upvotes + 10, comments: p.comments + 1 })),
  );

  // Warm the JIT on a separate small set so the figures measure steady work, not start-up.
  validateDailyPapers(toDailyPapersItems(generatePapers(500, { seed: 9 })), { source: 'file' });

  let t = performance.now();
  const validated = validateDailyPapers(items, { source: 'file' });
  const validateMs = performance.now() - t;
  const first = await ingestResult(db, validated);
  const insertMs = performance.now() - t;
  if (first.inserted !== COUNT) throw new Error(`expected ${COUNT} inserts, got ${JSON.stringify(first)}`);

  t = performance.now();
  const second = await ingestResult(db, validateDailyPapers(later, { source: 'file' }));
  const updateMs = performance.now() - t;
  if (second.updated !== COUNT) throw new Error(`expected ${COUNT} updates, got ${second.updated}`);

  // Baseline: what a naive loop does, one upsert statement (and commit) per paper.
  const baselineRows = validateDailyPapers(
    toDailyPapersItems(generatePapers(BASELINE_COUNT, { seed: 8, idPrefix: '2612' })),
    {
      source: 'file',
    },
  ).rows;
  t = performance.now();
  for (const row of baselineRows) await upsertPapers(db, [row]);
  const baselineMs = performance.now() - t;

  const figures = {
    bench: 'ingest',
    papers: COUNT,
    papers_per_s: rate(COUNT, insertMs),
    update_papers_per_s: rate(COUNT, updateMs),
    validate_papers_per_s: rate(COUNT, validateMs),
    baseline_row_by_row_papers_per_s: rate(BASELINE_COUNT, baselineMs),
    baseline_papers: BASELINE_COUNT,
  };
  console.log(
    `validate + insert ${COUNT} papers: ${(insertMs / 1000).toFixed(2)} s, ${figures.papers_per_s} papers/s`,
  );
  console.log(
    `  of which validation:    ${(validateMs / 1000).toFixed(2)} s, ${figures.validate_papers_per_s} papers/s`,
  );
  console.log(
    `validate + update ${COUNT} papers: ${(updateMs / 1000).toFixed(2)} s, ${figures.update_papers_per_s} papers/s`,
  );
  console.log(
    `baseline, row-by-row upserts of ${BASELINE_COUNT} papers: ${(baselineMs / 1000).toFixed(2)} s, ` +
      `${figures.baseline_row_by_row_papers_per_s} papers/s ` +
      `(batched is ${(figures.papers_per_s / figures.baseline_row_by_row_papers_per_s).toFixed(1)}x faster)`,
  );
  console.log('goal: >= 5000 papers/s');
  console.log(JSON.stringify(figures));
} finally {
  await db.destroy();
  await admin(`drop database if exists ${name} with (force)`);
}
