import { type Command, Option } from 'commander';
import { createContext } from '../context.js';
import { describeSummary, storedCount } from '../papers/ingest.js';
import { type IngestPlan, runIngest } from '../papers/run-ingest.js';
import { eachDay, isDay, today } from '../sources/days.js';
import { progressBar } from './progress.js';

interface IngestOptions {
  date?: string;
  from?: string;
  to?: string;
  file?: string;
  source: 'hf' | 'arxiv' | 'file';
  query?: string;
  json?: boolean;
}

const MAX_DAYS = 366;

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description("Read papers into the database (default: today's Hugging Face daily papers)")
    .option('--date <YYYY-MM-DD>', 'one listing day')
    .option('--from <YYYY-MM-DD>', 'first day of a range (with --to)')
    .option('--to <YYYY-MM-DD>', 'last day of a range (default: --from)')
    .option('--file <path>', 'a JSON file holding an array of daily_papers items')
    .addOption(
      new Option('--source <source>', 'where papers come from')
        .choices(['hf', 'arxiv', 'file'])
        .default('hf'),
    )
    .option('--query <query>', 'arXiv search query, e.g. "cat:cs.AI" (with --source arxiv)')
    .option('--json', 'print the summary as one JSON object on stdout')
    .addHelpText(
      'after',
      `
Examples:
  paperboy ingest --date 2026-11-25
  paperboy ingest --from 2026-11-23 --to 2026-11-27
  paperboy ingest --file data/sample-daily-papers.json
  paperboy ingest --source arxiv --query "cat:cs.AI" --from 2026-11-25 --to 2026-11-26

Bad records are listed (position, id, field) and skipped; the good ones still go in. The exit
code is non-zero only when nothing valid was read (an empty weekend from Hugging Face is fine).
`,
    )
    .action(async (options: IngestOptions) => {
      const plan = planFrom(options);
      const ctx = await createContext();
      const bar = progressBar(plan.kind === 'hf' ? 'days' : 'papers');
      try {
        const summary = await runIngest(ctx.db, ctx.config, plan, {
          onProgress: bar.update,
          http: {
            onRetry: ({ url, attempt, delayMs, reason }) =>
              bar.log(`retrying ${url} in ${(delayMs / 1000).toFixed(1)} s (${reason}, attempt ${attempt})`),
          },
        });
        bar.stop();
        const { problems, line } = describeSummary(summary);
        for (const p of problems) process.stderr.write(`${p}\n`);
        if (options.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
        else process.stdout.write(`${line}\n`);
        if (summary.read === 0 && plan.kind !== 'file') {
          process.stderr.write('nothing listed for that period (weekends are empty)\n');
        } else if (storedCount(summary) === 0) {
          throw new Error(
            summary.read === 0
              ? 'nothing valid was read: the file holds no records'
              : `nothing valid was read: ${summary.rejected.length} of ${summary.read} records rejected`,
          );
        }
      } finally {
        bar.stop();
        await ctx.close();
      }
    });
}

/** Turns the options into a plan, or one sentence saying what is wrong with them. */
export function planFrom(o: IngestOptions): IngestPlan {
  for (const [flag, value] of [
    ['--date', o.date],
    ['--from', o.from],
    ['--to', o.to],
  ] as const) {
    if (value !== undefined && !isDay(value))
      throw new Error(`${flag} must be a day as YYYY-MM-DD, not "${value}"`);
  }
  if (o.date && (o.from || o.to)) throw new Error('give either --date or --from/--to, not both');
  if (o.to && !o.from) throw new Error('--to needs --from');
  const from = o.date ?? o.from ?? today();
  const to = o.date ?? o.to ?? from;
  if (to < from) throw new Error(`--to (${to}) is before --from (${from})`);
  if (o.query !== undefined && o.source !== 'arxiv') throw new Error('--query is for --source arxiv');

  if (o.file !== undefined || o.source === 'file') {
    if (!o.file) throw new Error('--source file needs --file PATH');
    if (o.date || o.from) throw new Error('--file takes no dates: each item carries its own listing day');
    if (o.source === 'arxiv') throw new Error('--file reads daily_papers items; it cannot be --source arxiv');
    return { kind: 'file', path: o.file };
  }
  if (o.source === 'arxiv') {
    if (!o.query?.trim()) throw new Error('--source arxiv needs --query, e.g. --query "cat:cs.AI"');
    return { kind: 'arxiv', query: o.query, from, to };
  }
  const days = eachDay(from, to);
  if (days.length > MAX_DAYS)
    throw new Error(`a range of ${days.length} days is too long (at most ${MAX_DAYS})`);
  return { kind: 'hf', days };
}
