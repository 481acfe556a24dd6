import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { type AppContext, createContext } from '../context.js';
import { createComposer } from '../delivery/compose-digest.js';
import type { EditionSummary } from '../delivery/deliveries.repository.js';
import { createQueueBackend, queueBackendOptions } from '../delivery/queue-backend.js';
import { dryRunEdition, type RunEditionResult, runEdition } from '../delivery/run-edition.js';
import { spawnEntryPoint } from './entry-point.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description("Plan and send day D's edition now to every subscriber due that day, and wait for it")
    .option('--date <YYYY-MM-DD>', "the papers' listing day (default: yesterday, UTC)")
    .option('--dry-run', 'plan and send nothing; print who would get what')
    .action(async (options: { date?: string; dryRun?: boolean }) => {
      const date = options.date ?? DateTime.utc().minus({ days: 1 }).toISODate()!;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !DateTime.fromISO(date).isValid) {
        throw new Error(`--date must be a day as YYYY-MM-DD (got "${date}")`);
      }
      const ctx = await createContext();
      try {
        if (options.dryRun) await dryRun(ctx, date);
        else printRun(await runThroughQueue(ctx, date));
      } finally {
        await ctx.close();
      }
    });
}

/** Shared with the demo: run edition D through the queue, starting a worker process if none runs. */
export async function runThroughQueue(ctx: AppContext, date: string): Promise<RunEditionResult> {
  const backend = createQueueBackend(queueBackendOptions(ctx.config, ctx.database.url));
  try {
    return await runEdition(ctx, backend, {
      date,
      startWorkers: async () => {
        const child = spawnEntryPoint('worker', {
          quiet: true,
          // The child shares this process's database (the embedded one too) and stays quiet.
          env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
        });
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        return {
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        };
      },
    });
  } finally {
    await backend.close();
  }
}

export function formatSummary(s: EditionSummary): string[] {
  const lines = [
    `edition ${s.date}: ${s.counts.sent} sent, ${s.counts.skipped} skipped, ${s.counts.failed} failed` +
      (s.counts.planned + s.counts.sending ? `, ${s.counts.planned + s.counts.sending} waiting` : ''),
  ];
  for (const r of s.reasons) lines.push(`  ${r.state} ×${r.count}: ${r.reason}`);
  return lines;
}

function printRun(r: RunEditionResult): void {
  const total = Object.values(r.summary.counts).reduce((a, b) => a + b, 0);
  console.log(`planned ${total} deliveries for edition ${r.summary.date}`);
  for (const line of formatSummary(r.summary)) console.log(line);
  console.log(
    r.sentNow > 0
      ? `sent ${r.sentNow} emails in this run`
      : 'nothing new to send: every due subscriber already has this edition',
  );
  if (r.paused) console.log('the edition is paused: the waiting deliveries go out once it is resumed');
}

async function dryRun(ctx: AppContext, date: string): Promise<void> {
  const composer = createComposer({ db: ctx.db, config: ctx.config });
  let count = 0;
  for await (const line of dryRunEdition(ctx, composer, date)) {
    count++;
    console.log(`${line.email}\t${line.frequency}/${line.template}\t${line.outcome}`);
  }
  console.log(`dry run: ${count} subscribers due for edition ${date}; nothing planned or sent`);
}
