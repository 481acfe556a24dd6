import type { Command } from 'commander';
import { createContext } from '../context.js';
import { migrateDown, migrateToLatest } from '../db/migrate.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (or revert the last one with --down)')
    .option('--down', 'revert the most recent migration')
    .action(async (options: { down?: boolean }) => {
      const ctx = await createContext({ migrate: false });
      try {
        const done = options.down ? await migrateDown(ctx.db) : await migrateToLatest(ctx.db);
        console.log(done.length ? done.join('\n') : 'Nothing to do: the database is up to date.');
      } finally {
        await ctx.close();
      }
    });
}
