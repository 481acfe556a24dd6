import { paperUrl } from '../../papers/paper.js';
import type { RankedPaper } from '../../ranking/types.js';
import { TEMPLATE_NAMES } from '../../subscribers/preferences.js';
import { Csrf, Layout, type PageContext } from './layout.js';

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
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  html?: string;
  text: string;
  papers: RankedPaper[];
  /** Set when the selection is empty: why nothing would be sent (or a quiet-day note). */
  emptyReason?: string;
  /** Set when nothing would be sent at all (a quiet day the subscriber skips). */
  skipped?: string;
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
      <h2>Message</h2>
      <dl className="headers">
        <dt>To</dt>
        <dd>{result.recipient}</dd>
        <dt>From</dt>
        <dd>{result.from}</dd>
        <dt>Subject</dt>
        <dd id="preview-subject">{result.subject}</dd>
        {Object.entries(result.headers).map(([name, value]) => (
          <FragmentRow key={name} name={name} value={value} />
        ))}
        <dt>Tags</dt>
        <dd>{result.tags.map((t) => `${t.name}=${t.value}`).join(', ')}</dd>
      </dl>
      <h2>Papers ({result.papers.length})</h2>
      {result.emptyReason ? <p className="muted">{result.emptyReason}</p> : null}
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
