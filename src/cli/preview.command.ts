import { writeFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { createContext } from '../context.js';
import { buildEml } from '../delivery/eml.js';
import { previewDigest } from '../delivery/preview-digest.js';
import { latestListedDate } from '../papers/papers.repository.js';
import { TEMPLATE_NAMES } from '../subscribers/preferences.js';

interface PreviewOptions {
  email?: string;
  date?: string;
  template?: (typeof TEMPLATE_NAMES)[number];
  format: 'html' | 'text' | 'eml';
  out?: string;
}

export function registerPreview(program: Command): void {
  program
    .command('preview')
    .description("Write exactly what a subscriber would be sent for a day's edition")
    .option('--email <address>', 'the subscriber (default: a subscriber with the default preferences)')
    .option('--date <YYYY-MM-DD>', "the edition's listing day (default: the latest day with papers)")
    .addOption(new Option('--template <name>', 'try another template').choices([...TEMPLATE_NAMES]))
    .addOption(
      new Option('--format <format>', 'what to write').choices(['html', 'text', 'eml']).default('html'),
    )
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (options: PreviewOptions) => {
      if (options.date && !/^\d{4}-\d{2}-\d{2}$/.test(options.date)) {
        throw new Error(`--date must look like 2026-11-26 (got "${options.date}")`);
      }
      const ctx = await createContext();
      try {
        const date = options.date ?? (await latestListedDate(ctx.db));
        if (!date) throw new Error('There are no papers yet: run "paperboy ingest" first, or give --date.');
        const preview = await previewDigest(ctx, {
          email: options.email,
          date,
          template: options.template,
          format: options.format === 'text' ? 'text' : undefined,
        });
        if (preview.kind === 'skip') {
          process.stderr.write(`Nothing would be sent for ${date}: ${preview.reason}\n`);
          return;
        }
        const { email } = preview;
        const body =
          options.format === 'eml'
            ? await buildEml(email, '<preview@paperboy>')
            : options.format === 'text' || !email.html
              ? email.text
              : email.html;
        if (options.out) {
          await writeFile(options.out, body);
          process.stderr.write(`Wrote ${options.out}: "${email.subject}", ${preview.papers.length} papers\n`);
        } else {
          process.stdout.write(body);
        }
      } finally {
        await ctx.close();
      }
    });
}
