import type { Command } from 'commander';
import { runEntryPoint } from './entry-point.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run the plan and send workers until SIGTERM/SIGINT (finishes jobs in hand first)')
    .action(() => runEntryPoint('worker'));
}
