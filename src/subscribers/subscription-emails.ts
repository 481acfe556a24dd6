import type { Config } from '../config.js';
import type { OutgoingEmail } from '../delivery/transport.js';
import type { RenderedEmail } from '../render/digest.types.js';
import { renderTransactional } from '../render/transactional.js';
import type { Preferences } from './preferences.js';

/**
 * The two emails of the double opt-in, rendered from the transactional templates: the
 * confirmation request and the welcome. No "you are unsubscribed" email is sent: someone who asked
 * for no more mail (often through their mailbox's one-click button) gets none, and the page they
 * land on already offers the undo.
 */

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "every day at 07:00 (UTC)", "every Monday at 18:00 (Europe/Berlin)". */
export function describeSchedule(
  p: Pick<Preferences, 'frequency' | 'weeklyDay' | 'sendHour' | 'timezone'>,
): string {
  const when =
    p.frequency === 'weekly'
      ? `every ${WEEKDAYS[p.weeklyDay - 1] ?? 'Monday'}`
      : p.frequency === 'weekdays'
        ? 'every weekday'
        : 'every day';
  return `${when} at ${String(p.sendHour).padStart(2, '0')}:00 (${p.timezone})`;
}

function outgoing(
  config: Config,
  to: string,
  kind: string,
  rendered: RenderedEmail,
  headers: Record<string, string> = {},
): OutgoingEmail {
  return {
    from: config.mail.from,
    to,
    subject: rendered.subject,
    ...(rendered.html ? { html: rendered.html } : {}),
    text: rendered.text,
    ...(config.mail.replyTo ? { replyTo: config.mail.replyTo } : {}),
    headers,
    tags: [{ name: 'kind', value: kind }],
  };
}

const sender = (config: Config) => ({
  brand: config.mail.senderName,
  senderName: config.mail.senderName,
  senderAddress: config.mail.senderAddress,
});

export async function confirmationEmail(
  config: Config,
  to: string,
  confirmUrl: string,
): Promise<OutgoingEmail> {
  const rendered = await renderTransactional('confirm', {
    ...sender(config),
    email: to,
    confirmUrl,
    expiresInDays: 7,
  });
  return outgoing(config, to, 'confirm', rendered);
}

export async function welcomeEmail(
  config: Config,
  to: string,
  preferences: Preferences,
  links: { preferences: string; unsubscribe: string },
): Promise<OutgoingEmail> {
  const rendered = await renderTransactional('welcome', {
    ...sender(config),
    email: to,
    schedule: describeSchedule(preferences),
    topics: preferences.topics,
    preferencesUrl: links.preferences,
    unsubscribeUrl: links.unsubscribe,
  });
  return outgoing(config, to, 'welcome', rendered, {
    'List-Unsubscribe': `<${links.unsubscribe}>, <mailto:${config.mail.unsubscribeMailto}?subject=unsubscribe>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  });
}
