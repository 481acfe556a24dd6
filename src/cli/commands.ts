import type { Command } from 'commander';
import { registerMigrate } from './migrate.command.js';
import { registerRun } from './run.command.js';
import { registerScheduler } from './scheduler.command.js';
import { registerWorker } from './worker.command.js';

/** Every CLI command, one register function per file. */
export function registerCommands(program: Command): void {
  registerMigrate(program);
  registerWorker(program);
  registerScheduler(program);
  registerRun(program);
}
