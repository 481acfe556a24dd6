import type { SubscriberLinks } from '../links/links.js';
import type { RankedPaper } from '../ranking/types.js';
import type { Preferences } from '../subscribers/preferences.js';

/**
 * Everything a digest is rendered from: plain data, so delivery, the preview command and the
 * public archive can each build one. A link left out is left out of the email (the public archive
 * has no feedback or unsubscribe links).
 */
export interface DigestLinks {
  preferences?: string;
  /** The one-click unsubscribe URL. */
  unsubscribe?: string;
  viewInBrowser?: string;
  feedback?: (paperId: string, value: 'more' | 'less') => string;
}

export interface DigestInput {
  /** `date` is the edition's listing day, 'YYYY-MM-DD'. */
  edition: { date: string; frequency: Preferences['frequency'] };
  /** Absent for the public archive. */
  recipient?: { email: string };
  preferences: Pick<Preferences, 'template' | 'format' | 'abstracts'>;
  /** In rank order. */
  papers: RankedPaper[];
  /** A "nothing new today" note goes above whatever papers there are (usually none). */
  quiet?: boolean;
  links: DigestLinks;
  /** The sender's identity and postal address for the footer (config.mail.senderName/senderAddress). */
  sender: { name: string; address: string };
  /** config.mail.subjectTemplate: {{date}}, {{topTitle}}, {{count}}, {{more}} (" + 9 more"). */
  subjectTemplate: string;
}

export interface RenderedEmail {
  subject: string;
  /** Absent when the subscriber asked for plain text only. */
  html?: string;
  /**
   * The same HTML as a JSON string (quotes included), when the renderer put it together from pieces
   * it escaped once per template and paper: see OutgoingEmail.htmlJson.
   */
  htmlJson?: { of: string; json: string };
  text: string;
  /** The text as an ASCII JSON string, its papers' own lines escaped once: see OutgoingEmail.textJson. */
  textJson?: { of: string; json: string };
}

/** The digest links of one subscriber for one edition, from `subscriberLinks(config, subscriber)`. */
export function digestLinks(links: SubscriberLinks, date: string): DigestLinks {
  return {
    preferences: links.preferences,
    unsubscribe: links.unsubscribe,
    viewInBrowser: links.viewInBrowser(date),
    feedback: links.feedback,
  };
}
