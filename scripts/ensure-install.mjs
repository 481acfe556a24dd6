// Runs before `npm run demo`, `npm test` and `npm run bench`: installs dependencies on a fresh
// clone, or when package-lock.json changed since the last install, so each of those is the only
// command needed. The lock file's hash is kept in node_modules (file times lie after a checkout).
import { execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const hashFile = 'node_modules/.paperboy-lock-hash';
const lockHash = createHash('sha256').update(readFileSync('package-lock.json')).digest('hex');
const installed = existsSync('node_modules/.package-lock.json') && existsSync('node_modules/.bin/vitest');
const recorded = existsSync(hashFile) ? readFileSync(hashFile, 'utf8').trim() : undefined;

if (!installed || (recorded !== undefined && recorded !== lockHash)) {
  process.stderr.write('paperboy: installing dependencies (npm ci)…\n');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
if (recorded !== lockHash) writeFileSync(hashFile, lockHash);

// Tests need the machine's PostgreSQL, Redis and Chromium; start or install them where we can.
if (process.argv.includes('--services')) {
  execSync('bash scripts/services.sh', { stdio: 'inherit' });
}
