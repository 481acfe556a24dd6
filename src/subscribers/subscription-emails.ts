import type { Config } from '../config.js';
import type { OutgoingEmail } from '../delivery/transport.js';
import {
  renderTransactional,
  type TransactionalKind,
  type TransactionalProps,
} from '../render/transactional.js';
import type { Preferences } from './preferences.js';

/**
 * The two emails of the double opt-in, rendered from templates/confirm.email.tsx and
 * templates/welcome.email.tsx: no tracking, feed-free, escaped by React.
 */

async function email<K extends TransactionalKind>(
  config: Config,
  to: string,
  kind: K,
  props: TransactionalProps[K],
): Promise<OutgoingEmail> {
  const rendered = await renderTransactional(kind, props);
  return {
    from: config.mail.from,
    to,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    ...(config.mail.replyTo ? { replyTo: config.mail.replyTo } : {}),
    headers: {},
    tags: [{ name: 'kind', value: kind }],
  };
}

function sender(config: Config) {
  return {
    brand: config.mail.senderName,
    senderName: config.mail.senderName,
    senderAddress: config.mail.senderAddress,
  };
}

export function confirmationEmail(config: Config, to: string, confirmUrl: string): Promise<OutgoingEmail> {
  return email(config, to, 'confirm', { ...sender(config), email: to, confirmUrl, expiresInDays: 7 });
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "every morning at 07:00 (UTC)" and the like, from the subscriber's preferences. */
export function scheduleText(
  p: Pick<Preferences, 'frequency' | 'weeklyDay' | 'sendHour' | 'timezone'>,
): string {
  const at = `at ${String(p.sendHour).padStart(2, '0')}:00 (${p.timezone})`;
  if (p.frequency === 'weekly') return `every ${WEEKDAYS[p.weeklyDay - 1] ?? 'Monday'} ${at}`;
  return p.frequency === 'weekdays' ? `every weekday ${at}` : `every day ${at}`;
}

export function welcomeEmail(
  config: Config,
  to: string,
  links: { preferences: string; unsubscribe: string },
  preferences?: Preferences,
): Promise<OutgoingEmail> {
  return email(config, to, 'welcome', {
    ...sender(config),
    email: to,
    schedule: preferences ? scheduleText(preferences) : 'with the next edition',
    topics: preferences?.topics ?? [],
    preferencesUrl: links.preferences,
    unsubscribeUrl: links.unsubscribe,
  });
}
