import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands.js';

const program = new Command()
  .name('paperboy')
  .description('Emails people the new research papers that matter to them, every morning.')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit with code 0; usage errors were already printed by commander.
    process.exit(error.exitCode);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`paperboy: ${message}\n`);
    if (process.env.PAPERBOY_DEBUG) console.error(error);
    process.exit(1);
  }
}
