import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { type Preview, PreviewError, previewDigest } from '../../delivery/preview-digest.js';
import type { Transport } from '../../delivery/transport.js';
import { sendTest, sendTimeWarnings, TestSendError } from '../../editions/test-send.service.js';
import { type Logger, withIds } from '../../logger.js';
import { adminActions, emailsFailed, emailsSent } from '../../metrics.js';
import { paperUrl } from '../../papers/paper.js';
import type { RankedPaper } from '../../ranking/types.js';
import { today } from '../../sources/days.js';
import { TEMPLATE_NAMES } from '../../subscribers/preferences.js';
import { Csrf, html, Layout, type PageContext } from './layout.js';

/** What the operator asked to see. Empty template/format mean "the subscriber's own choice". */
export interface PreviewQuery {
  email: string;
  useDefaults: boolean;
  date: string;
  template: '' | (typeof TEMPLATE_NAMES)[number];
  format: '' | 'html' | 'text';
}

/** Exactly what would be sent, and why each paper is in it. */
export interface PreviewResult {
  recipient: string;
  from: string;
  subject: string;
  /** The template and format used, after any override. */
  template: string;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  html?: string;
  text: string;
  papers: RankedPaper[];
  /** Set when nothing would be sent at all (a quiet day the subscriber skips). */
  skipped?: string;
  /** Send-time checks that would stop it (status, suppression). */
  warnings: string[];
}

function PreviewForm({ query, editions }: { query: PreviewQuery; editions: string[] }) {
  return (
    <form method="get" action="/admin/preview">
      <fieldset>
        <label>
          Subscriber email
          <input
            name="email"
            type="email"
            defaultValue={query.email}
            placeholder="reader@example.org"
            size={28}
          />
        </label>
        <label className="check">
          <input name="defaults" type="checkbox" value="1" defaultChecked={query.useDefaults} />
          default preferences
        </label>
        <label>
          Edition date
          <input name="date" type="date" defaultValue={query.date} list="editions" required />
          <datalist id="editions">
            {editions.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </label>
        <label>
          Template
          <select name="template" defaultValue={query.template}>
            <option value="">subscriber's choice</option>
            {TEMPLATE_NAMES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          Format
          <select name="format" defaultValue={query.format}>
            <option value="">subscriber's choice</option>
            <option value="html">html</option>
            <option value="text">text only</option>
          </select>
        </label>
        <button className="primary" type="submit">
          Preview
        </button>
      </fieldset>
    </form>
  );
}

function TestSendForm({ page, query }: { page: PageContext; query: PreviewQuery }) {
  return (
    <form method="post" action="/admin/preview/test">
      <fieldset>
        <Csrf value={page.csrf} />
        <input type="hidden" name="email" value={query.email} />
        <input type="hidden" name="defaults" value={query.useDefaults ? '1' : ''} />
        <input type="hidden" name="date" value={query.date} />
        <input type="hidden" name="template" value={query.template} />
        <input type="hidden" name="format" value={query.format} />
        <label>
          Send a test to
          <input name="to" type="email" required placeholder="you@example.org" size={28} />
        </label>
        <button type="submit">Send test</button>
        <span className="muted">Subject gets “[test]”, tagged test; not recorded as a delivery.</span>
      </fieldset>
    </form>
  );
}

function Result({ result }: { result: PreviewResult }) {
  return (
    <>
      {result.skipped ? <p className="flash error">Nothing would be sent: {result.skipped}</p> : null}
      {result.warnings.map((w) => (
        <p key={w} className="flash error">
          At send time: {w}.
        </p>
      ))}
      <h2>Message</h2>
      <dl className="headers">
        <dt>To</dt>
        <dd>{result.recipient}</dd>
        <dt>From</dt>
        <dd>{result.from}</dd>
        <dt>Subject</dt>
        <dd id="preview-subject">{result.subject}</dd>
        <dt>Template</dt>
        <dd>{result.template}</dd>
        {Object.entries(result.headers).map(([name, value]) => (
          <FragmentRow key={name} name={name} value={value} />
        ))}
        <dt>Tags</dt>
        <dd>{result.tags.map((t) => `${t.name}=${t.value}`).join(', ')}</dd>
      </dl>
      <h2>Papers ({result.papers.length})</h2>
      {result.papers.length === 0 && !result.skipped ? (
        <p className="muted">No papers: the subscriber gets the quiet-day note.</p>
      ) : null}
      <ol className="papers">
        {result.papers.map((p) => (
          <li key={p.paper.id}>
            <a href={paperUrl(p.paper)}>{p.paper.title}</a>{' '}
            <span className="muted">score {p.score.toFixed(3)}</span>
            <br />
            <span className="why">{p.why}</span>
          </li>
        ))}
      </ol>
      {result.html ? (
        <>
          <h2>HTML</h2>
          <div className="frames">
            <div className="frame desktop">
              <h3>Desktop · 600 px</h3>
              <iframe
                title="desktop preview"
                sandbox="allow-popups allow-popups-to-escape-sandbox"
                srcDoc={result.html}
              />
            </div>
            <div className="frame phone">
              <h3>Phone · 375 px</h3>
              <iframe
                title="phone preview"
                sandbox="allow-popups allow-popups-to-escape-sandbox"
                srcDoc={result.html}
              />
            </div>
          </div>
        </>
      ) : (
        <p className="muted">Text-only: no HTML part.</p>
      )}
      <h2>Plain text</h2>
      <pre className="text">{result.text}</pre>
    </>
  );
}

function FragmentRow({ name, value }: { name: string; value: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </>
  );
}

export function PreviewPage(props: {
  page: PageContext;
  query: PreviewQuery;
  editions: string[];
  result?: PreviewResult;
  error?: string;
}) {
  return (
    <Layout page={props.page} title="Preview">
      <PreviewForm query={props.query} editions={props.editions} />
      {props.error ? <p className="flash error">{props.error}</p> : null}
      {props.result ? (
        <>
          <TestSendForm page={props.page} query={props.query} />
          <Result result={props.result} />
        </>
      ) : null}
    </Layout>
  );
}

export interface PreviewPagesDeps {
  ctx: AppContext;
  log: Logger;
  transport: Transport;
  pageContext(request: FastifyRequest): PageContext;
  checkCsrf(request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function readQuery(raw: Record<string, unknown>, latest: string | undefined): PreviewQuery {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const template = TEMPLATE_NAMES.find((t) => t === raw.template) ?? '';
  const format = raw.format === 'html' || raw.format === 'text' ? raw.format : '';
  return {
    email: str(raw.email).slice(0, 320),
    useDefaults: str(raw.defaults) === '1',
    date: str(raw.date) || latest || today(),
    template,
    format,
  };
}

export function registerPreviewPages(app: FastifyInstance, deps: PreviewPagesDeps): void {
  const { db } = deps.ctx;
  const recentEditions = async () =>
    (await db.selectFrom('editions').select('date').orderBy('date', 'desc').limit(30).execute()).map(
      (r) => r.date,
    );
  const build = async (query: PreviewQuery) => {
    if (!DATE.test(query.date)) throw new TestSendError(`Not a date: "${query.date}" (want YYYY-MM-DD).`);
    const email = query.useDefaults ? undefined : query.email || undefined;
    const [preview, warnings] = await Promise.all([
      previewDigest(
        { db, config: deps.ctx.config },
        { email, date: query.date, template: query.template || undefined, format: query.format || undefined },
      ),
      email ? sendTimeWarnings(db, email) : [],
    ]);
    return { preview, warnings };
  };
  const known = (e: unknown) => e instanceof PreviewError || e instanceof TestSendError;

  app.get('/admin/preview', async (request, reply) => {
    const raw = request.query as Record<string, unknown>;
    const editions = await recentEditions();
    const query = readQuery(raw, editions[0]);
    const asked = typeof raw.date === 'string' && (query.email !== '' || query.useDefaults);
    let result: PreviewResult | undefined;
    let error: string | undefined;
    if (asked) {
      try {
        const { preview, warnings } = await build(query);
        result = toResult(preview, warnings, deps.ctx.config.mail.from);
      } catch (e) {
        if (!known(e)) deps.log.error({ err: e, edition: query.date }, 'preview failed');
        error = e instanceof Error ? e.message : String(e);
      }
    }
    const page = html(
      <PreviewPage
        page={deps.pageContext(request)}
        query={query}
        editions={editions}
        result={result}
        error={error}
      />,
    );
    return reply.type('text/html; charset=utf-8').send(page);
  });

  app.post('/admin/preview/test', { preHandler: deps.checkCsrf }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const query = readQuery(body, undefined);
    const to = typeof body.to === 'string' ? body.to.trim() : '';
    const back = (text: string, isError = false) => {
      const params = new URLSearchParams({
        email: query.email,
        date: query.date,
        template: query.template,
        format: query.format,
        ...(query.useDefaults ? { defaults: '1' } : {}),
        flash: text,
        ...(isError ? { error: '1' } : {}),
      });
      return reply.redirect(`/admin/preview?${params}`, 303);
    };
    const actor = request.adminActor;
    const log = withIds(deps.log, { edition: query.date });
    try {
      const { preview } = await build(query);
      if (preview.kind === 'skip') return back(`Nothing to send: ${preview.reason}`, true);
      const outcome = await sendTest(deps.transport, preview.email, to);
      adminActions.inc({ action: 'test-send' });
      if (!outcome.ok) {
        emailsFailed.inc({ reason: outcome.kind });
        log.warn({ admin: actor?.name, to, outcome }, 'admin: test send failed');
        return back(`The transport refused the test: ${outcome.message}`, true);
      }
      emailsSent.inc({ transport: deps.transport.name, kind: 'test' });
      log.info(
        {
          admin: actor?.name,
          via: actor?.via,
          action: 'test-send',
          to,
          of: query.useDefaults ? 'defaults' : query.email,
          id: outcome.id,
        },
        'admin: test digest sent',
      );
      return back(`Test sent to ${to} through ${deps.transport.name} (id ${outcome.id}).`);
    } catch (e) {
      if (!known(e)) log.error({ err: e, admin: actor?.name }, 'admin: test send failed');
      return back(e instanceof Error ? e.message : String(e), true);
    }
  });
}

function toResult(preview: Preview, warnings: string[], from: string): PreviewResult {
  const email = preview.kind === 'email' ? preview.email : undefined;
  const template = `${preview.preferences.template}, ${preview.preferences.format}`;
  return {
    recipient: email?.to ?? '',
    from: email?.from ?? from,
    subject: email?.subject ?? '(not sent)',
    template,
    headers: { ...(email?.replyTo ? { 'Reply-To': email.replyTo } : {}), ...(email?.headers ?? {}) },
    tags: email?.tags ?? [],
    html: email?.html,
    text: email?.text ?? '',
    papers: preview.kind === 'email' ? preview.papers : [],
    skipped: preview.kind === 'skip' ? preview.reason : undefined,
    warnings,
  };
}
