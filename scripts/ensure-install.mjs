// Runs before `npm run demo`, `npm test` and `npm run bench`: installs dependencies on a fresh
// clone (or after package-lock.json changed), so each of those is the only command needed.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const stale =
  !existsSync(marker) ||
  !existsSync('node_modules/.bin/vitest') ||
  statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs + 1000;

if (stale) {
  process.stderr.write('paperboy: installing dependencies (npm ci)…\n');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}

// Tests need the machine's PostgreSQL, Redis and Chromium; start or install them where we can.
if (process.argv.includes('--services')) {
  execSync('bash scripts/services.sh', { stdio: 'inherit' });
}
