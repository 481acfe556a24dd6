import { type FakeServer, startFakeServer } from './fake-http.js';

export interface ArxivEntry {
  /** e.g. 2611.01234v2 or cs/0101001v1 */
  id: string;
  title: string;
  summary: string;
  published: string;
  authors: string[];
}

const escapeXml = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** An Atom feed shaped like export.arxiv.org's `/api/query` answer. */
export function atomFeed(entries: ArxivEntry[], total: number, start = 0): string {
  const body = entries
    .map(
      (e) => `  <entry>
    <id>http://arxiv.org/abs/${e.id}</id>
    <updated>${e.published}</updated>
    <published>${e.published}</published>
    <title>${escapeXml(e.title)}</title>
    <summary>${escapeXml(e.summary)}</summary>
${e.authors.map((a) => `    <author><name>${escapeXml(a)}</name></author>`).join('\n')}
    <link href="http://arxiv.org/abs/${e.id}" rel="alternate" type="text/html"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.AI"/>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query</title>
  <id>http://arxiv.org/api/fake</id>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${total}</opensearch:totalResults>
  <opensearch:startIndex xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${start}</opensearch:startIndex>
${body}
</feed>
`;
}

/** Replays arXiv's `/api/query`, paging `entries` by `start` and `max_results`. */
export async function startFakeArxiv(entries: ArxivEntry[]): Promise<FakeServer> {
  return startFakeServer(({ path, query }) => {
    if (path !== '/api/query') return { status: 404, body: 'not found' };
    const start = Number(query.start ?? 0);
    const max = Number(query.max_results ?? 10);
    return {
      status: 200,
      headers: { 'content-type': 'application/atom+xml; charset=utf-8' },
      body: atomFeed(entries.slice(start, start + max), entries.length, start),
    };
  });
}
