import type { Config } from '../config.js';
import type { OutgoingEmail } from '../delivery/transport.js';

/**
 * The two emails of the double opt-in: the confirmation request and the welcome. Plain, short, and
 * with no tracking; the HTML is escaped text only.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Link {
  href: string;
  label: string;
}

function email(
  config: Config,
  to: string,
  kind: string,
  subject: string,
  lines: string[],
  links: Link[],
): OutgoingEmail {
  const paragraphs = lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  const buttons = links
    .map((l) => `<p><a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a></p>`)
    .join('');
  const text = [...lines, ...links.map((l) => `${l.label}: ${l.href}`), config.mail.senderAddress].join(
    '\n\n',
  );
  return {
    from: config.mail.from,
    to,
    subject,
    html: `<!doctype html><html lang="en"><body>${paragraphs}${buttons}<p>${escapeHtml(config.mail.senderAddress)}</p></body></html>`,
    text,
    ...(config.mail.replyTo ? { replyTo: config.mail.replyTo } : {}),
    headers: {},
    tags: [{ name: 'kind', value: kind }],
  };
}

export function confirmationEmail(config: Config, to: string, confirmUrl: string): OutgoingEmail {
  return email(
    config,
    to,
    'confirm',
    `Confirm your ${config.mail.senderName} subscription`,
    [
      `Someone, hopefully you, asked to receive ${config.mail.senderName}: the new research papers that matter to you, by email.`,
      'Nothing is sent until you confirm. The link works for 7 days; if it was not you, ignore this email.',
    ],
    [{ href: confirmUrl, label: 'Confirm my subscription' }],
  );
}

export function welcomeEmail(
  config: Config,
  to: string,
  links: { preferences: string; unsubscribe: string },
): OutgoingEmail {
  return email(
    config,
    to,
    'welcome',
    `Welcome to ${config.mail.senderName}`,
    [
      'You are subscribed. Your first digest comes with the next edition.',
      'Choose your topics, the hour and the format on your preferences page.',
    ],
    [
      { href: links.preferences, label: 'My preferences' },
      { href: links.unsubscribe, label: 'Unsubscribe' },
    ],
  );
}
