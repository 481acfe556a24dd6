import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { DeliveryState } from '../db/schema.js';

/** One edition as the console lists it: its status and what happened to its deliveries. */
export interface EditionStats {
  date: string;
  status: 'open' | 'paused';
  total: number;
  planned: number;
  sending: number;
  sent: number;
  failed: number;
  skipped: number;
  bounced: number;
  complained: number;
  /** Opens are only known when open tracking is on at Resend; 0 otherwise. */
  opened: number;
  clicked: number;
  /** Skipped deliveries counted by reason, most frequent first. */
  skippedReasons: { reason: string; count: number }[];
}

const n = (v: unknown) => Number(v ?? 0);

export async function listEditionStats(
  db: Db,
  options: { limit?: number; date?: string } = {},
): Promise<EditionStats[]> {
  let query = db
    .selectFrom('editions as e')
    .leftJoin('deliveries as d', 'd.edition_date', 'e.date')
    .select((eb) => [
      'e.date',
      'e.status',
      eb.fn.count<string>('d.id').as('total'),
      sql<string>`count(*) filter (where d.state = 'planned')`.as('planned'),
      sql<string>`count(*) filter (where d.state = 'sending')`.as('sending'),
      sql<string>`count(*) filter (where d.state = 'sent')`.as('sent'),
      sql<string>`count(*) filter (where d.state = 'failed')`.as('failed'),
      sql<string>`count(*) filter (where d.state = 'skipped')`.as('skipped'),
      sql<string>`count(d.bounced_at)`.as('bounced'),
      sql<string>`count(d.complained_at)`.as('complained'),
      sql<string>`count(d.opened_at)`.as('opened'),
      sql<string>`count(d.clicked_at)`.as('clicked'),
    ])
    .groupBy(['e.date', 'e.status'])
    .orderBy('e.date', 'desc')
    .limit(options.limit ?? 60);
  if (options.date) query = query.where('e.date', '=', options.date);
  const rows = await query.execute();
  if (rows.length === 0) return [];

  const reasons = await db
    .selectFrom('deliveries')
    .select(['edition_date', 'reason', (eb) => eb.fn.countAll<string>().as('count')])
    .where('state', '=', 'skipped')
    .where(
      'edition_date',
      'in',
      rows.map((r) => r.date),
    )
    .groupBy(['edition_date', 'reason'])
    .orderBy('count', 'desc')
    .execute();

  return rows.map((r) => ({
    date: r.date,
    status: r.status,
    total: n(r.total),
    planned: n(r.planned),
    sending: n(r.sending),
    sent: n(r.sent),
    failed: n(r.failed),
    skipped: n(r.skipped),
    bounced: n(r.bounced),
    complained: n(r.complained),
    opened: n(r.opened),
    clicked: n(r.clicked),
    skippedReasons: reasons
      .filter((x) => x.edition_date === r.date)
      .map((x) => ({ reason: x.reason ?? '(no reason given)', count: n(x.count) })),
  }));
}

export interface DeliveryListItem {
  id: string;
  email: string;
  state: DeliveryState;
  reason: string | null;
  attempts: number;
  template: string | null;
  subject: string | null;
  resendId: string | null;
  lastEvent: string | null;
  plannedAt: Date;
  sentAt: Date | null;
  openedAt: Date | null;
  bouncedAt: Date | null;
  complainedAt: Date | null;
}

/** One page of an edition's deliveries, failures first, then by id. */
export async function listEditionDeliveries(
  db: Db,
  date: string,
  options: { state?: DeliveryState; page?: number; pageSize?: number } = {},
): Promise<{ items: DeliveryListItem[]; total: number; page: number; pageSize: number }> {
  const pageSize = options.pageSize ?? 50;
  const page = Math.max(1, options.page ?? 1);
  let base = db
    .selectFrom('deliveries as d')
    .innerJoin('subscribers as s', 's.id', 'd.subscriber_id')
    .where('d.edition_date', '=', date);
  if (options.state) base = base.where('d.state', '=', options.state);
  const [{ total }] = (await base.select((eb) => eb.fn.countAll<string>().as('total')).execute()) as [
    { total: string },
  ];
  const rows = await base
    .select([
      'd.id',
      's.email',
      'd.state',
      'd.reason',
      'd.attempts',
      'd.template',
      'd.subject',
      'd.resend_id',
      'd.last_event',
      'd.planned_at',
      'd.sent_at',
      'd.opened_at',
      'd.bounced_at',
      'd.complained_at',
    ])
    .orderBy(sql`case d.state when 'failed' then 0 when 'sending' then 1 when 'planned' then 2 else 3 end`)
    .orderBy('d.id')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    total: n(total),
    page,
    pageSize,
    items: rows.map((r) => ({
      id: String(r.id),
      email: r.email,
      state: r.state,
      reason: r.reason,
      attempts: r.attempts,
      template: r.template,
      subject: r.subject,
      resendId: r.resend_id,
      lastEvent: r.last_event,
      plannedAt: r.planned_at,
      sentAt: r.sent_at,
      openedAt: r.opened_at,
      bouncedAt: r.bounced_at,
      complainedAt: r.complained_at,
    })),
  };
}
