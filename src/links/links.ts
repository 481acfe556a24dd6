import type { Config } from '../config.js';
import { signToken } from './tokens.js';

/** What a link needs to know about its subscriber. */
export interface LinkSubject {
  id: string;
  tokenVersion: number;
}

const CONFIRM_TTL_SECONDS = 7 * 24 * 3600;

/** Every URL an email carries for one subscriber. Paths are served by src/http/public.routes.ts. */
export interface SubscriberLinks {
  preferences: string;
  /** The one-click URL (RFC 8058): GET shows a page, POST unsubscribes. */
  unsubscribe: string;
  viewInBrowser(date: string): string;
  feedback(paperId: string, value: 'more' | 'less'): string;
}

export function subscriberLinks(
  config: Pick<Config, 'publicUrl' | 'signingSecrets'>,
  subscriber: LinkSubject,
): SubscriberLinks {
  const secrets = config.signingSecrets;
  const base = config.publicUrl;
  const claims = { subscriberId: subscriber.id, version: subscriber.tokenVersion };
  // One feedback token for every paper: the paper and the choice are plain path segments after it.
  let feedbackBase: string | undefined;
  return {
    preferences: `${base}/preferences/${signToken(secrets, { ...claims, purpose: 'preferences' })}`,
    unsubscribe: `${base}/unsubscribe/${signToken(secrets, { ...claims, purpose: 'unsubscribe' })}`,
    viewInBrowser: (date) =>
      `${base}/view/${signToken(secrets, { ...claims, purpose: 'view', subject: date })}`,
    feedback: (paperId, value) => {
      feedbackBase ??= `${base}/feedback/${signToken(secrets, { ...claims, purpose: 'feedback' })}`;
      return `${feedbackBase}/${encodeURIComponent(paperId)}/${value}`;
    },
  };
}

export function confirmLink(
  config: Pick<Config, 'publicUrl' | 'signingSecrets'>,
  subscriber: LinkSubject,
  now: Date = new Date(),
): string {
  const expiresAt = Math.floor(now.getTime() / 1000) + CONFIRM_TTL_SECONDS;
  const token = signToken(config.signingSecrets, {
    purpose: 'confirm',
    subscriberId: subscriber.id,
    version: subscriber.tokenVersion,
    expiresAt,
  });
  return `${config.publicUrl}/confirm/${token}`;
}
