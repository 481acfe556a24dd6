import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { DeliveryState } from '../../db/schema.js';
import {
  EditionNotFoundError,
  pauseEdition,
  resumeEdition,
  retryFailed,
  type SendQueueing,
} from '../../editions/edition-admin.service.js';
import {
  type DeliveryListItem,
  type EditionStats,
  listEditionDeliveries,
  listEditionStats,
} from '../../editions/edition-stats.repository.js';
import type { Logger } from '../../logger.js';
import { withIds } from '../../logger.js';
import { adminActions } from '../../metrics.js';
import { Csrf, html, Layout, type PageContext } from './layout.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const STATES: DeliveryState[] = ['planned', 'sending', 'sent', 'failed', 'skipped'];

const time = (d: Date | null) => (d ? d.toISOString().replace('T', ' ').slice(0, 19) : '');

function EditionsPage({ page, editions }: { page: PageContext; editions: EditionStats[] }) {
  return (
    <Layout page={page} title="Editions">
      {editions.length === 0 ? (
        <p className="muted">No editions yet: they appear once one is planned.</p>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>Edition</th>
            <th>Status</th>
            <th className="num">Deliveries</th>
            <th className="num">Planned</th>
            <th className="num">Sent</th>
            <th className="num">Failed</th>
            <th className="num">Skipped</th>
            <th className="num">Bounced</th>
            <th className="num">Complained</th>
            <th className="num">Opened</th>
            <th>Skipped because</th>
          </tr>
        </thead>
        <tbody>
          {editions.map((e) => (
            <tr key={e.date}>
              <td>
                <a href={`/admin/editions/${e.date}`}>{e.date}</a>
              </td>
              <td>
                <span className={`pill ${e.status}`}>{e.status}</span>
              </td>
              <td className="num">{e.total}</td>
              <td className="num">{e.planned + e.sending}</td>
              <td className="num">{e.sent}</td>
              <td className={e.failed ? 'num bad' : 'num'}>{e.failed}</td>
              <td className="num">{e.skipped}</td>
              <td className={e.bounced ? 'num warn' : 'num'}>{e.bounced}</td>
              <td className={e.complained ? 'num bad' : 'num'}>{e.complained}</td>
              <td className="num">{e.opened || <span className="muted">–</span>}</td>
              <td className="muted">{e.skippedReasons.map((r) => `${r.reason} (${r.count})`).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

function Actions({ page, edition }: { page: PageContext; edition: EditionStats }) {
  const action = (name: string, label: string, className?: string) => (
    <form className="inline" method="post" action={`/admin/editions/${edition.date}/${name}`}>
      <Csrf value={page.csrf} />
      <button className={className} type="submit">
        {label}
      </button>
    </form>
  );
  return (
    <p>
      {edition.status === 'open'
        ? action('pause', 'Pause sending', 'danger')
        : action('resume', 'Resume sending', 'primary')}{' '}
      {edition.failed > 0 ? action('retry', `Retry ${edition.failed} failed`) : null}{' '}
      <a className="button" href={`/admin/preview?date=${edition.date}`}>
        Preview this edition
      </a>{' '}
      <a className="button" href={`/archive/${edition.date}`}>
        Public archive page
      </a>
    </p>
  );
}

function EditionPage(props: {
  page: PageContext;
  edition: EditionStats;
  list: { items: DeliveryListItem[]; total: number; page: number; pageSize: number };
  state?: DeliveryState;
}) {
  const { edition, list, state } = props;
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const link = (p: number) => `/admin/editions/${edition.date}?page=${p}${state ? `&state=${state}` : ''}`;
  const card = (label: string, value: number, className = '') => (
    <div className={`card ${className}`}>
      <b>{value}</b>
      {label}
    </div>
  );
  return (
    <Layout page={props.page} title={`Edition ${edition.date}`}>
      <p>
        Status: <span className={`pill ${edition.status}`}>{edition.status}</span>
        {edition.status === 'paused' ? (
          <span className="muted"> — planned deliveries wait until resumed</span>
        ) : null}
      </p>
      <div className="cards">
        {card('planned', edition.planned + edition.sending)}
        {card('sent', edition.sent, 'ok')}
        {card('failed', edition.failed, edition.failed ? 'bad' : '')}
        {card('skipped', edition.skipped)}
        {card('bounced', edition.bounced)}
        {card('complained', edition.complained)}
        {card('opened', edition.opened)}
      </div>
      <Actions page={props.page} edition={edition} />
      <h2>Deliveries</h2>
      <form method="get" className="pager">
        <label className="check">
          State
          <select name="state" defaultValue={state ?? ''}>
            <option value="">all</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
        <span className="muted">
          {list.total} deliveries · page {list.page} of {pages}
        </span>
        {list.page > 1 ? <a href={link(list.page - 1)}>← previous</a> : null}
        {list.page < pages ? <a href={link(list.page + 1)}>next →</a> : null}
      </form>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>Subscriber</th>
            <th>State</th>
            <th>Reason</th>
            <th className="num">Attempts</th>
            <th>Subject</th>
            <th>Sent</th>
            <th>Last event</th>
          </tr>
        </thead>
        <tbody>
          {list.items.map((d) => (
            <tr key={d.id}>
              <td className="muted">{d.id}</td>
              <td>
                <a href={`/admin/preview?email=${encodeURIComponent(d.email)}&date=${edition.date}`}>
                  {d.email}
                </a>
              </td>
              <td>
                <span className={`pill ${d.state}`}>{d.state}</span>
              </td>
              <td className={d.state === 'failed' ? 'bad' : 'muted'}>{d.reason}</td>
              <td className="num">{d.attempts}</td>
              <td>{d.subject}</td>
              <td className="muted">{time(d.sentAt)}</td>
              <td className="muted">
                {d.complainedAt
                  ? 'complained'
                  : d.bouncedAt
                    ? 'bounced'
                    : d.openedAt
                      ? 'opened'
                      : d.lastEvent}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export interface EditionPagesDeps {
  ctx: AppContext;
  log: Logger;
  pageContext(request: FastifyRequest): PageContext;
  checkCsrf(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
  /** Puts planned deliveries back on the send queue (delivery's recovery, see admin.routes.ts). */
  queueing: SendQueueing;
}

export function registerEditionPages(app: FastifyInstance, deps: EditionPagesDeps): void {
  const { ctx } = deps;
  const send = (reply: FastifyReply, markup: string) => reply.type('text/html; charset=utf-8').send(markup);

  app.get('/admin/editions', async (request, reply) =>
    send(
      reply,
      html(<EditionsPage page={deps.pageContext(request)} editions={await listEditionStats(ctx.db)} />),
    ),
  );

  app.get<{ Params: { date: string }; Querystring: { page?: string; state?: string } }>(
    '/admin/editions/:date',
    async (request, reply) => {
      const { date } = request.params;
      const [edition] = DATE.test(date) ? await listEditionStats(ctx.db, { date }) : [];
      if (!edition)
        return reply.code(404).type('text/plain; charset=utf-8').send(`No edition for ${date}.\n`);
      const state = STATES.find((s) => s === request.query.state);
      const page = Number.parseInt(request.query.page ?? '1', 10) || 1;
      const list = await listEditionDeliveries(ctx.db, date, { state, page });
      return send(
        reply,
        html(<EditionPage page={deps.pageContext(request)} edition={edition} list={list} state={state} />),
      );
    },
  );

  const action = (name: 'pause' | 'resume' | 'retry', run: (date: string) => Promise<string>) =>
    app.post<{ Params: { date: string } }>(
      `/admin/editions/:date/${name}`,
      { preHandler: deps.checkCsrf },
      async (request, reply) => {
        const { date } = request.params;
        const back = (text: string, error = false, page = `/admin/editions/${date}`) =>
          reply.redirect(`${page}?flash=${encodeURIComponent(text)}${error ? '&error=1' : ''}`, 303);
        if (!DATE.test(date)) return back(`Not a date: ${date}`, true, '/admin/editions');
        const actor = request.adminActor;
        const log = withIds(deps.log, { edition: date });
        try {
          const outcome = await run(date);
          adminActions.inc({ action: name });
          log.info({ admin: actor?.name, via: actor?.via, action: name, outcome }, `admin: ${name} edition`);
          return back(outcome);
        } catch (error) {
          if (error instanceof EditionNotFoundError) return back(error.message, true, '/admin/editions');
          log.error({ err: error, admin: actor?.name, action: name }, `admin: ${name} edition failed`);
          return back(`Could not ${name} ${date}: ${(error as Error).message}`, true);
        }
      },
    );

  action('pause', async (date) => {
    const { wasPaused } = await pauseEdition(ctx.db, date);
    return wasPaused
      ? `${date} was already paused.`
      : `Paused ${date}: planned deliveries wait until resumed.`;
  });
  action('resume', async (date) => {
    const { wasPaused, jobs } = await resumeEdition(ctx.db, deps.queueing, date);
    return `${wasPaused ? 'Resumed' : 'Already open:'} ${date}; ${jobs} send job(s) enqueued.`;
  });
  action('retry', async (date) => {
    const { reset, jobs } = await retryFailed(ctx.db, deps.queueing, date);
    return `${reset} failed deliveries of ${date} set back to planned; ${jobs} send job(s) enqueued.`;
  });
}
