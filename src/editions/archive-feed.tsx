import { Feed } from 'feed';
import { renderToStaticMarkup } from 'react-dom/server';
import { paperUrl } from '../papers/paper.js';
import type { RankedPaper } from '../ranking/types.js';

/**
 * The Atom feed of editions: one entry per edition, linking to its archive page, with the papers
 * as an escaped HTML list. Feed text is data: the library writes titles and content as type="html"
 * inside CDATA, so both are escaped into HTML here (React escapes the content).
 */

export interface FeedEdition {
  date: string;
  /** The default digest's subject line. */
  title: string;
  papers: RankedPaper[];
  updatedAt: Date;
}

export interface FeedSite {
  publicUrl: string;
  senderName: string;
}

export const archiveUrl = (site: Pick<FeedSite, 'publicUrl'>, date?: string) =>
  date ? `${site.publicUrl}/archive/${date}` : `${site.publicUrl}/archive`;

function EntryContent({ papers }: { papers: RankedPaper[] }) {
  return (
    <ol>
      {papers.map(({ paper, why }) => (
        <li key={paper.id}>
          <a href={paperUrl(paper)}>{paper.title}</a>
          {paper.upvotes ? ` (${paper.upvotes} upvotes)` : ''}
          {paper.aiSummary ? <p>{paper.aiSummary}</p> : null}
          {why ? <p>{why}</p> : null}
        </li>
      ))}
    </ol>
  );
}

/** The feed library marks titles type="html", so plain text must be escaped into HTML first. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function buildAtomFeed(site: FeedSite, editions: FeedEdition[]): string {
  const feedUrl = `${site.publicUrl}/feed.xml`;
  const feed = new Feed({
    id: feedUrl,
    title: `${site.senderName}: the day's trending research papers`,
    description: 'Every edition of the digest: the most popular new papers of each day.',
    link: archiveUrl(site),
    feedLinks: { atom: feedUrl },
    updated: editions[0]?.updatedAt ?? new Date(0),
    generator: 'paperboy',
    copyright: 'Paper titles and summaries belong to their authors.',
  });
  for (const edition of editions) {
    const link = archiveUrl(site, edition.date);
    feed.addItem({
      id: link,
      title: escapeHtml(edition.title),
      link,
      date: edition.updatedAt,
      published: new Date(`${edition.date}T00:00:00Z`),
      description: `${edition.papers.length} papers listed on ${edition.date}`,
      content: renderToStaticMarkup(<EntryContent papers={edition.papers} />),
    });
  }
  return feed.atom1();
}
