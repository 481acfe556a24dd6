import type { Config } from '../config.js';
import { createOutboxTransport } from './outbox.transport.js';
import { createResendTransport } from './resend.transport.js';
import type { Transport } from './transport.js';

/** The Transport MAIL_TRANSPORT names (config validation already required the API key for resend). */
export function createTransport(config: Config): Transport {
  if (config.mail.transport === 'outbox') return createOutboxTransport(config.mail.outboxDir);
  return createResendTransport({
    apiKey: config.resend.apiKey ?? '',
    baseUrl: config.resend.baseUrl,
    timeoutMs: config.resendTimeoutSeconds * 1000,
  });
}
