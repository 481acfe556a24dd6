import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A canned answer, or `drop` to cut the connection (what fetch reports as a network error). */
export type Scripted = { status: number; body?: string; headers?: Record<string, string> } | 'drop';

export interface LoggedRequest {
  path: string;
  query: Record<string, string>;
}

export interface FakeServer {
  url: string;
  /** Every request received, in order. */
  requests: LoggedRequest[];
  /** Answers for the next requests, used up before the normal behaviour takes over. */
  script: Scripted[];
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1:0 standing in for an API this machine cannot reach. */
export async function startFakeServer(
  handle: (req: LoggedRequest) => { status: number; body: string; headers?: Record<string, string> },
): Promise<FakeServer> {
  const requests: LoggedRequest[] = [];
  const script: Scripted[] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const logged = { path: u.pathname, query: Object.fromEntries(u.searchParams) };
    requests.push(logged);
    const next = script.shift() ?? handle(logged);
    if (next === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
    res.end(next.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
