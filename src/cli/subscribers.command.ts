import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createContext } from '../context.js';
import type { SubscriberStatus } from '../db/schema.js';
import { importSubscribersCsv } from '../subscribers/import-subscribers.js';
import { type PreferenceField, preferencesFromFields, validEmail } from '../subscribers/preferences-input.js';
import {
  createSubscriber,
  findSubscriberByEmail,
  listSubscribers,
} from '../subscribers/subscribers.repository.js';

/** Option name → commander's camelCase key, which is also the preference's name. */
const OPTIONS: [PreferenceField, string, string][] = [
  ['topics', 'topics', 'topics and keywords, comma-separated ("multi-agent, reinforcement learning")'],
  ['exclude', 'exclude', 'leave out papers matching any of these keywords, comma-separated'],
  ['follow', 'follow', 'authors and organisations to boost, comma-separated ("Meta AI, Yann LeCun")'],
  ['max-papers', 'maxPapers', 'papers per digest, 1–50 (default 10)'],
  ['min-upvotes', 'minUpvotes', 'leave out papers with fewer upvotes (default 0)'],
  ['frequency', 'frequency', 'daily | weekdays | weekly (default daily)'],
  ['weekly-day', 'weeklyDay', 'weekday of a weekly digest, 1 = Monday … 7 = Sunday (default 1)'],
  ['timezone', 'timezone', 'IANA time zone, e.g. Europe/Berlin (default UTC)'],
  ['send-hour', 'sendHour', 'hour of the day the digest goes out, 0–23 (default 7)'],
  ['template', 'template', 'classic | modern (default classic)'],
  ['format', 'format', 'html | text (default html)'],
  ['abstracts', 'abstracts', 'full | short | none (default short)'],
  ['quiet-day', 'quietDay', 'skip | note: what to send when nothing matches (default skip)'],
];

function fieldErrors(errors: { field: string; message: string }[], prefix = '--'): string {
  return errors.map((e) => `${prefix}${e.field}: ${e.message}`).join('; ');
}

export function registerSubscribers(program: Command): void {
  const subscribers = program.command('subscribers').description('Add, import and list subscribers');

  const add = subscribers
    .command('add')
    .description('Add an active subscriber with these preferences (the operator path: no confirmation email)')
    .argument('<email>', 'email address');
  for (const [name, , help] of OPTIONS) add.option(`--${name} <value>`, help);
  add.action(async (emailArg: string, options: Record<string, string | undefined>) => {
    const email = validEmail(emailArg);
    if (!email) throw new Error(`"${emailArg}" is not an email address`);
    const fields = Object.fromEntries(OPTIONS.map(([name, key]) => [name, options[key]]));
    const prefs = preferencesFromFields(fields);
    if (!prefs.preferences) throw new Error(fieldErrors(prefs.errors));
    const ctx = await createContext();
    try {
      const existing = await findSubscriberByEmail(ctx.db, email);
      if (existing) {
        throw new Error(
          `${existing.email} is already subscriber ${existing.id} (${existing.status}); use "subscribers import" to update preferences`,
        );
      }
      const s = await createSubscriber(ctx.db, {
        email,
        status: 'active',
        preferences: prefs.preferences,
        source: 'operator',
      });
      console.log(`Added subscriber ${s.id} <${s.email}> (active).`);
    } finally {
      await ctx.close();
    }
  });

  subscribers
    .command('import')
    .description(
      'Import subscribers from a CSV file with a header row: email, then any of topics, exclude, follow, ' +
        'max-papers, min-upvotes, frequency, weekly-day, timezone, send-hour, template, format, abstracts, ' +
        'quiet-day. Separate list values with ";". Known addresses get the new preferences.',
    )
    .argument('<file>', 'CSV file')
    .action(async (file: string) => {
      const csv = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new Error(`cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`);
      });
      const ctx = await createContext();
      try {
        const summary = await importSubscribersCsv(ctx.db, csv);
        for (const p of summary.problems) console.error(`${file}:${p.line}: ${p.field}: ${p.message}`);
        const skipped = new Set(summary.problems.map((p) => p.line)).size;
        console.log(
          `Imported ${file}: ${summary.created} added, ${summary.updated} updated, ${skipped} row(s) skipped.`,
        );
        if (skipped > 0) {
          throw new Error(
            `${skipped} row(s) were not imported; fix them and import the file again (known addresses are updated, not duplicated)`,
          );
        }
      } finally {
        await ctx.close();
      }
    });

  subscribers
    .command('list')
    .description('List subscribers in id order')
    .option('--status <status>', 'pending | active | unsubscribed')
    .option('--after <id>', 'start after this subscriber id (the next page)')
    .option('--limit <n>', 'at most this many (default 100)', '100')
    .action(async (options: { status?: string; after?: string; limit: string }) => {
      if (options.status && !['pending', 'active', 'unsubscribed'].includes(options.status)) {
        throw new Error(`--status: must be pending, active or unsubscribed, got "${options.status}"`);
      }
      if (!/^\d+$/.test(options.limit))
        throw new Error(`--limit: must be a whole number, got "${options.limit}"`);
      if (options.after !== undefined && !/^\d+$/.test(options.after)) {
        throw new Error(`--after: must be a subscriber id, got "${options.after}"`);
      }
      const ctx = await createContext();
      try {
        const list = await listSubscribers(ctx.db, {
          status: options.status as SubscriberStatus | undefined,
          after: options.after,
          limit: Number(options.limit),
        });
        for (const s of list) {
          const p = s.preferences;
          const topics = p.topics.length ? p.topics.join(', ') : '(popular papers)';
          console.log(`${s.id}\t${s.email}\t${s.status}\t${p.frequency}\t${topics}`);
        }
        if (list.length === 0) console.log('No subscribers.');
      } finally {
        await ctx.close();
      }
    });
}
