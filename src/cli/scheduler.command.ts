import type { Command } from 'commander';
import { runEntryPoint } from './entry-point.js';

export function registerScheduler(program: Command): void {
  program
    .command('scheduler')
    .description("Every hour, enqueue that hour's plan job (deterministic id: safe to run twice)")
    .action(() => runEntryPoint('scheduler'));
}
