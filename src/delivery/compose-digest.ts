import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import {
  createEditionContext,
  type EditionContext,
  selectForSubscribers,
} from '../editions/selection.service.js';
import { subscriberLinks } from '../links/links.js';
import type { RankedPaper } from '../ranking/types.js';
import { digestLinks } from '../render/digest.types.js';
import { renderDigest } from '../render/render-digest.js';
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
  | {
      kind: 'email';
      email: OutgoingEmail;
      subject: string;
      paperIds: string[];
      template: string;
      /** The ranked papers with their reasons, for previews. */
      papers: RankedPaper[];
    }
  | { kind: 'skip'; reason: string };

export interface Composer {
  /**
   * Ranks the recipients together, then renders each one's digest and hands it to `each`, in
   * order. Nothing is kept: a digest is garbage as soon as `each` is done with it (a batch sent to
   * Resend keeps only its bytes, see OutgoingBatch).
   */
  composeEach(
    editionDate: string,
    recipients: Recipient[],
    each: (recipient: Recipient, composed: Composed) => void,
  ): Promise<void>;
  /** Every recipient's digest, by delivery id. */
  compose(editionDate: string, recipients: Recipient[]): Promise<Map<string, Composed>>;
}

/** Digests rendered between two turns of the event loop. */
const YIELD_EVERY = 5;

/** An edition's ranking context (papers loaded and indexed once) is reused for this long. */
const EDITION_CONTEXT_TTL_MS = 10 * 60_000;

export function createComposer(deps: { db: Db; config: Config }): Composer {
  const { db, config } = deps;
  const contexts = new Map<string, { ctx: EditionContext; at: number }>();
  const editionContext = (date: string) => {
    const cached = contexts.get(date);
    if (cached && Date.now() - cached.at < EDITION_CONTEXT_TTL_MS) return cached.ctx;
    if (contexts.size >= 4) contexts.delete(contexts.keys().next().value!);
    const ctx = createEditionContext(date);
    contexts.set(date, { ctx, at: Date.now() });
    return ctx;
  };
  const composer: Composer = {
    async compose(editionDate, recipients) {
      const out = new Map<string, Composed>();
      await composer.composeEach(editionDate, recipients, (r, c) => void out.set(r.deliveryId, c));
      return out;
    },
    async composeEach(editionDate, recipients, each) {
      const selections = await selectForSubscribers(
        db,
        editionContext(editionDate),
        recipients.map((r) => ({ id: r.subscriberId, preferences: r.preferences })),
      );
      for (const [i, r] of recipients.entries()) {
        // A batch renders in ~50 ms of CPU: let timers in between (another job's send slot comes
        // due on time, not after this whole batch), every few digests.
        if (i > 0 && i % YIELD_EVERY === 0) await nextTurn();
        const selection = selections.get(r.subscriberId) ?? { papers: [], emptyReason: 'not ranked' };
        const quiet = selection.papers.length === 0;
        if (quiet && r.preferences.quietDay === 'skip') {
          each(r, { kind: 'skip', reason: `quiet day: ${selection.emptyReason ?? 'nothing new'}` });
          continue;
        }
        const links = subscriberLinks(config, { id: r.subscriberId, tokenVersion: r.tokenVersion });
        const rendered = await renderDigest({
          edition: { date: editionDate, frequency: r.preferences.frequency },
          recipient: { email: r.email },
          preferences: r.preferences,
          papers: selection.papers,
          quiet,
          links: digestLinks(links, editionDate),
          sender: { name: config.mail.senderName, address: config.mail.senderAddress },
          subjectTemplate: config.mail.subjectTemplate,
        });
        const template = r.preferences.template;
        each(r, {
          kind: 'email',
          subject: rendered.subject,
          paperIds: selection.papers.map((p) => p.paper.id),
          template,
          papers: selection.papers,
          email: {
            from: config.mail.from,
            to: r.email,
            replyTo: config.mail.replyTo,
            subject: rendered.subject,
            html: rendered.html,
            htmlJson: rendered.htmlJson,
            text: rendered.text,
            textJson: rendered.textJson,
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
    },
  };
  return composer;
}
