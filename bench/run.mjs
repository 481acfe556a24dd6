// `npm run bench -- <name>` runs bench/<name>.bench.ts. Each benchmark prints its figures and
// ends with one JSON line of them; none fails on time.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const name = process.argv[2];
const available = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (one of: ${available.join(', ') || 'none yet'})`);
  process.exit(2);
}
const file = new URL(`./${name}.bench.ts`, import.meta.url).pathname;
if (!existsSync(file)) process.exit(2);
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--expose-gc', file, ...process.argv.slice(3)],
  {
    stdio: 'inherit',
    env: { TZ: 'UTC', ...process.env },
  },
);
process.exit(result.status ?? 1);
