import { type FakeServer, startFakeServer } from './fake-http.js';

export interface FakeHuggingFace extends FakeServer {
  /** daily_papers items by listing day; a day not here (a weekend) answers `[]`. */
  days: Map<string, unknown[]>;
}

/**
 * Replays `GET /api/daily_papers?date=&p=&limit=` the way Hugging Face answers it: pages of at most
 * `limit` items, `[]` for an empty day, 400 for a day after `today`. Push onto `script` for 429s,
 * 500s, malformed JSON or dropped connections.
 */
export async function startFakeHuggingFace(
  options: { days?: Record<string, unknown[]>; today?: string } = {},
): Promise<FakeHuggingFace> {
  const days = new Map(Object.entries(options.days ?? {}));
  const today = options.today ?? '2026-11-29';
  const server = await startFakeServer(({ path, query }) => {
    if (path !== '/api/daily_papers') return { status: 404, body: '{"error":"Not Found"}' };
    const date = query.date ?? today;
    if (date > today) return { status: 400, body: '{"error":"Date cannot be in the future"}' };
    const page = Number(query.p ?? 0);
    const limit = Math.min(100, Number(query.limit ?? 50));
    const items = (days.get(date) ?? []).slice(page * limit, (page + 1) * limit);
    return { status: 200, body: JSON.stringify(items) };
  });
  return Object.assign(server, { days });
}
