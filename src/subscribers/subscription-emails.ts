import type { Config } from '../config.js';
import type { OutgoingEmail } from '../delivery/transport.js';

/**
 * The two emails of the double opt-in: the confirmation request and the welcome. Plain, short, and
 * with no tracking; the HTML is escaped text only.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function email(
  config: Config,
  to: string,
  kind: string,
  subject: string,
  lines: string[],
  link?: { href: string; label: string },
): OutgoingEmail {
  const paragraphs = lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('');
  const button = link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : '';
  const text = [
    ...lines,
    ...(link ? [`${link.label}: ${link.href}`] : []),
    '',
    config.mail.senderAddress,
  ].join('\n\n');
  return {
    from: config.mail.from,
    to,
    subject,
    html: `<!doctype html><html lang="en"><body>${paragraphs}${button}<p>${escapeHtml(config.mail.senderAddress)}</p></body></html>`,
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
    { href: confirmUrl, label: 'Confirm my subscription' },
  );
}

export function welcomeEmail(config: Config, to: string, preferencesUrl: string): OutgoingEmail {
  return email(
    config,
    to,
    'welcome',
    `Welcome to ${config.mail.senderName}`,
    [
      'You are subscribed. Your first digest comes with the next edition.',
      'Choose your topics, the hour and the format on your preferences page.',
    ],
    { href: preferencesUrl, label: 'My preferences' },
  );
}
