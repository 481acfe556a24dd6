import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Long-running processes live in workers/ (entry points), which src/ never imports: the CLI starts
 * them as child processes running the same files `node --import tsx workers/<name>.ts` would.
 */
export function entryPointPath(name: 'worker' | 'scheduler'): string {
  return fileURLToPath(new URL(`../../workers/${name}.ts`, import.meta.url));
}

export function spawnEntryPoint(
  name: 'worker' | 'scheduler',
  options: { env?: NodeJS.ProcessEnv; quiet?: boolean } = {},
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', entryPointPath(name)], {
    stdio: options.quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    env: { ...process.env, ...options.env },
  });
}

/** Runs an entry point in the foreground: signals go to it, and its exit code becomes ours. */
export async function runEntryPoint(name: 'worker' | 'scheduler'): Promise<void> {
  const child = spawnEntryPoint(name);
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on('SIGTERM', forward('SIGTERM'));
  process.on('SIGINT', forward('SIGINT'));
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`${name} exited with code ${code}`);
}
