import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { RankedPaper } from '../ranking/types.js';
import { defaultPreferences, type Preferences, type TemplateName } from '../subscribers/preferences.js';
import { findSubscriberByEmail } from '../subscribers/subscribers.repository.js';
import { createComposer } from './compose-digest.js';
import type { OutgoingEmail } from './transport.js';

/**
 * Exactly what one subscriber would be sent for one edition, through the same composer the send
 * worker uses. Operators use it from the CLI (`paperboy preview`) and the console.
 */

export class PreviewError extends Error {
  override readonly name = 'PreviewError';
  readonly code = 'PREVIEW_UNKNOWN_SUBSCRIBER' as const;
}

export interface PreviewRequest {
  /** A subscriber's address; absent: a subscriber with the default preferences. */
  email?: string;
  /** The edition's listing day, 'YYYY-MM-DD'. */
  date: string;
  template?: TemplateName;
  format?: Preferences['format'];
}

export type Preview =
  | { kind: 'email'; email: OutgoingEmail; papers: RankedPaper[]; preferences: Preferences }
  | { kind: 'skip'; reason: string; preferences: Preferences };

/** Stands in for a subscriber when the operator asks for "default preferences". */
const DEFAULT_RECIPIENT = { id: '0', email: 'subscriber@example.org', tokenVersion: 1 };

export async function previewDigest(
  deps: { db: Db; config: Config },
  request: PreviewRequest,
): Promise<Preview> {
  let recipient = { ...DEFAULT_RECIPIENT, preferences: defaultPreferences };
  if (request.email) {
    const subscriber = await findSubscriberByEmail(deps.db, request.email);
    if (!subscriber) {
      throw new PreviewError(
        `No subscriber with the address ${request.email}. Add one with "paperboy subscribers add", or leave --email out to preview the default preferences.`,
      );
    }
    recipient = subscriber;
  }
  const preferences: Preferences = {
    ...recipient.preferences,
    ...(request.template ? { template: request.template } : {}),
    ...(request.format ? { format: request.format } : {}),
  };
  const composed = await createComposer(deps).compose(request.date, [
    {
      deliveryId: 'preview',
      subscriberId: recipient.id,
      email: recipient.email,
      tokenVersion: recipient.tokenVersion,
      preferences,
    },
  ]);
  const result = composed.get('preview');
  if (!result || result.kind === 'skip') {
    return { kind: 'skip', reason: result?.reason ?? 'nothing to send', preferences };
  }
  return { kind: 'email', email: result.email, papers: result.papers, preferences };
}
