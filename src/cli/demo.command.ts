import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createContext } from '../context.js';
import { storedCount } from '../papers/ingest.js';
import { runIngest, SAMPLE_FILE } from '../papers/run-ingest.js';
import type { PreferencesInput } from '../subscribers/preferences.js';
import { upsertSubscriberByEmail } from '../subscribers/subscribers.repository.js';
import { formatSummary, runThroughQueue } from './run.command.js';

/** The sample lists papers on these two days; the demo sends the second day's edition. */
const DEMO_EDITION = '2026-11-26';

const DEMO_SUBSCRIBERS: { email: string; preferences: PreferencesInput }[] = [
  {
    email: 'ada@example.org',
    preferences: { topics: ['reasoning', 'reinforcement learning'], template: 'classic' },
  },
  {
    email: 'grace@example.org',
    preferences: { topics: ['agents', 'web agents'], template: 'modern', abstracts: 'full' },
  },
  {
    email: 'alan@example.org',
    preferences: { topics: ['diffusion models', 'image generation'], maxPapers: 5 },
  },
  {
    email: 'katherine@example.org',
    preferences: { format: 'text', maxPapers: 3, timezone: 'America/New_York' },
  },
  {
    email: 'edsger@example.org',
    preferences: { topics: ['protein folding'], minUpvotes: 10_000, quietDay: 'note', template: 'modern' },
  },
  { email: 'barbara@example.org', preferences: { topics: ['quantum chemistry'], minUpvotes: 10_000 } },
];

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('Run one real edition end to end on embedded defaults (sample papers, outbox mail)')
    .action(async () => {
      const ctx = await createContext();
      try {
        const { config, db } = ctx;
        console.log(
          `database: ${ctx.database.embedded ? `embedded PostgreSQL under ${config.dataDir}` : 'DATABASE_URL'}; ` +
            `queues: ${config.redisUrl ? 'BullMQ on Redis' : 'BullMQ on PostgreSQL'}; mail: ${config.mail.transport}`,
        );
        const ingested = await runIngest(db, config, { kind: 'file', path: SAMPLE_FILE });
        console.log(`papers: ${storedCount(ingested)} from ${path.relative(process.cwd(), SAMPLE_FILE)}`);
        for (const s of DEMO_SUBSCRIBERS) {
          await upsertSubscriberByEmail(db, {
            email: s.email,
            status: 'active',
            preferences: s.preferences,
            source: 'demo',
          });
        }
        console.log(`subscribers: ${DEMO_SUBSCRIBERS.map((s) => s.email).join(', ')}`);
        console.log(`sending edition ${DEMO_EDITION} through the queue…`);
        const result = await runThroughQueue(ctx, DEMO_EDITION);
        for (const line of formatSummary(result.summary)) console.log(line);
        console.log(
          result.sentNow > 0
            ? `sent ${result.sentNow} emails`
            : 'nothing new sent: every subscriber already has this edition (run it as often as you like)',
        );
        printOutbox(config.mail.transport, path.join(config.mail.outboxDir, DEMO_EDITION));
      } finally {
        await ctx.close();
      }
    });
}

function printOutbox(transport: string, dir: string): void {
  if (transport !== 'outbox' || !existsSync(dir)) return;
  const names = readdirSync(dir);
  const files = names.filter((f) => f.endsWith('.eml'));
  const shown = path.relative(process.cwd(), dir) || dir;
  console.log(`\nThe emails are in ${shown}/ (${files.length} × .eml with every header, plus .html):`);
  for (const f of files) console.log(`  ${shown}/${f}`);
  const html = names.find((f) => f.endsWith('.html'));
  console.log(
    `\nPreview: open an .html in a browser (xdg-open ${shown}/${html ?? '<name>.html'}), or an .eml in any mail\n` +
      'client to see every header (List-Unsubscribe, List-Unsubscribe-Post, the edition and template tags).\n' +
      'Try another template or day for anyone: npx paperboy preview --email ada@example.org --template modern --out ada.html\n' +
      'The pages and the operator console: ADMIN_TOKEN=<16+ characters> npx paperboy serve, then open http://localhost:3000/admin',
  );
}
