import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

import { TEST_REDIS_URL } from './services.js';

export { TEST_REDIS_URL };

/** The machine's Redis (not a mock). Each test uses its own key prefix and deletes its keys after. */
export function randomPrefix(): string {
  return `pbtest-${randomBytes(5).toString('hex')}`;
}

export async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
