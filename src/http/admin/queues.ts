import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { QueueBackend } from '../../delivery/queue-backend.js';
import { QUEUE_NAMES } from '../../queues.js';

export const QUEUES_PATH = '/admin/queues';

/**
 * bull-board over delivery's queues at /admin/queues. It is a script-driven app, so it gets its
 * own, looser policy than the console's script-free pages; the console's sign-in check (a hook of
 * the parent plugin) covers it all the same.
 */
const BOARD_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
    fontSrc: ["'self'", 'https://fonts.gstatic.com', 'data:'],
    imgSrc: ["'self'", 'data:'],
    connectSrc: ["'self'"],
    baseUri: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
  },
};

export async function registerQueueBoard(app: FastifyInstance, queues: QueueBackend): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: Object.values(QUEUE_NAMES).map((name) => new BullMQAdapter(queues.queue(name))),
    // @bull-board/fastify 9.10.1 carries its own copy of @bull-board/api 9.10.1: same shape,
    // separate declarations, so the types need a nudge.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'paperboy queues' } },
  });
  await app.register(async (board) => {
    await board.register(helmet, { contentSecurityPolicy: BOARD_CSP });
    await board.register(serverAdapter.registerPlugin(), { prefix: QUEUES_PATH });
  });
}
