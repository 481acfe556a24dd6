import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import { subscriberLinks } from '../links/links.js';
import { type Paper, paperFromRow } from '../papers/paper.js';
import type { RankedPaper, Selection } from '../ranking/types.js';
import type { Preferences } from '../subscribers/preferences.js';
import type { OutgoingEmail } from './transport.js';

/**
 * The one seam between sending and the digest itself: rank → render → OutgoingEmail for a batch
 * of recipients of one edition. Given the same database state it returns the same bytes, which a
 * retried batch relies on (Resend answers 409 when a key comes back with another body).
 */

export interface Recipient {
  deliveryId: string;
  subscriberId: string;
  email: string;
  preferences: Preferences;
  tokenVersion: number;
}

export type Composed =
  | { kind: 'email'; email: OutgoingEmail; subject: string; paperIds: string[]; template: string }
  | { kind: 'skip'; reason: string };

export interface Composer {
  compose(editionDate: string, recipients: Recipient[]): Promise<Map<string, Composed>>;
}

export function createComposer(deps: { db: Db; config: Config }): Composer {
  const { db, config } = deps;
  return {
    async compose(editionDate, recipients) {
      const selections = await rankStandIn(db, editionDate, recipients);
      const out = new Map<string, Composed>();
      for (const r of recipients) {
        const selection = selections.get(r.subscriberId) ?? { papers: [], emptyReason: 'not ranked' };
        const quiet = selection.papers.length === 0;
        if (quiet && r.preferences.quietDay === 'skip') {
          out.set(r.deliveryId, { kind: 'skip', reason: `quiet day: ${selection.emptyReason ?? 'nothing new'}` });
          continue;
        }
        const links = subscriberLinks(config, { id: r.subscriberId, tokenVersion: r.tokenVersion });
        const rendered = renderStandIn(editionDate, r, selection.papers, quiet);
        const template = r.preferences.template;
        out.set(r.deliveryId, {
          kind: 'email',
          subject: rendered.subject,
          paperIds: selection.papers.map((p) => p.paper.id),
          template,
          email: {
            from: config.mail.from,
            to: r.email,
            replyTo: config.mail.replyTo,
            subject: rendered.subject,
            html: rendered.html,
            text: rendered.text,
            headers: {
              'List-Unsubscribe': `<${links.unsubscribe}>, <mailto:${config.mail.unsubscribeMailto}?subject=unsubscribe>`,
              'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            },
            tags: [
              { name: 'edition', value: editionDate },
              { name: 'template', value: template },
              { name: 'delivery', value: r.deliveryId },
            ],
          },
        });
      }
      return out;
    },
  };
}

// STAND-IN until ranking (src/editions/selection.service.ts) lands: most upvoted papers of the day.
async function rankStandIn(db: Db, date: string, recipients: Recipient[]): Promise<Map<string, Selection>> {
  const rows = await db.selectFrom('papers').selectAll().where('listed_on', '=', date).orderBy('id').execute();
  const papers: Paper[] = rows.map(paperFromRow).sort((a, b) => b.upvotes - a.upvotes || a.id.localeCompare(b.id));
  const map = new Map<string, Selection>();
  for (const r of recipients) {
    const chosen: RankedPaper[] = papers
      .slice(0, r.preferences.maxPapers)
      .map((paper) => ({ paper, score: paper.upvotes, why: 'popular today' }));
    map.set(r.subscriberId, chosen.length ? { papers: chosen } : { papers: [], emptyReason: 'no papers listed' });
  }
  return map;
}

// STAND-IN until rendering (src/render) lands.
function renderStandIn(date: string, r: Recipient, papers: RankedPaper[], quiet: boolean) {
  const subject = quiet ? `${date}: nothing new today` : `${date}: ${papers[0]!.paper.title}`;
  const text = quiet ? 'Nothing new matched today.' : papers.map((p) => `- ${p.paper.title}`).join('\n');
  const html = r.preferences.format === 'text' ? undefined : `<html><body><pre>${text}</pre></body></html>`;
  return { subject, text, html };
}
