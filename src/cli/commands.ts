import type { Command } from 'commander';
import { registerDemo } from './demo.command.js';
import { registerIngest } from './ingest.command.js';
import { registerMigrate } from './migrate.command.js';
import { registerPreview } from './preview.command.js';
import { registerRun } from './run.command.js';
import { registerScheduler } from './scheduler.command.js';
import { registerServe } from './serve.command.js';
import { registerSubscribers } from './subscribers.command.js';
import { registerSuppressions } from './suppressions.command.js';
import { registerWorker } from './worker.command.js';

/** Every CLI command, one register function per file. */
export function registerCommands(program: Command): void {
  registerMigrate(program);
  registerSubscribers(program);
  registerIngest(program);
  registerSuppressions(program);
  registerWorker(program);
  registerScheduler(program);
  registerRun(program);
  registerServe(program);
  registerPreview(program);
  registerDemo(program);
}
