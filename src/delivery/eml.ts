import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import type { OutgoingEmail } from './transport.js';

/** The email as a mail client receives it: a complete RFC 5322 message with every header. */
export async function buildEml(email: OutgoingEmail, messageId: string): Promise<Buffer> {
  const composer = new MailComposer({
    from: email.from,
    to: email.to,
    replyTo: email.replyTo,
    subject: email.subject,
    text: email.text,
    html: email.html,
    messageId,
    headers: {
      ...email.headers,
      'X-Paperboy-Tags': email.tags.map((t) => `${t.name}=${t.value}`).join('; '),
    },
  });
  return composer.compile().build();
}
