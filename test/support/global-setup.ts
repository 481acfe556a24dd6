import net from 'node:net';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './services.js';

function reachable(url: string, fallbackPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || fallbackPort) });
    socket.setTimeout(2000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Tests use the real PostgreSQL and Redis; say so plainly when either is not there. */
export default async function setup(): Promise<void> {
  const missing: string[] = [];
  if (!(await reachable(TEST_DATABASE_URL, 5432))) missing.push(`PostgreSQL at ${TEST_DATABASE_URL}`);
  if (!(await reachable(TEST_REDIS_URL, 6379))) missing.push(`Redis at ${TEST_REDIS_URL}`);
  if (missing.length) {
    throw new Error(
      `The tests need ${missing.join(' and ')}. Start them (scripts/services.sh does it on Debian), ` +
        'or point TEST_DATABASE_URL / TEST_REDIS_URL elsewhere.',
    );
  }
}
