import type { Command } from 'commander';
import { registerMigrate } from './migrate.command.js';
import { registerSuppressions } from './suppressions.command.js';

/** Every CLI command, one register function per file. */
export function registerCommands(program: Command): void {
  registerMigrate(program);
  registerSuppressions(program);
}
