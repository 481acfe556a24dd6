import { createElement, type FunctionComponent } from 'react';
import * as confirm from '../../templates/confirm.email.js';
import * as unsubscribed from '../../templates/unsubscribed.email.js';
import * as welcome from '../../templates/welcome.email.js';
import type { RenderedEmail } from './digest.types.js';
import { safeUrl } from './escape.js';
import { renderReact } from './react.engine.js';

/** Each transactional template module: the component, its subject and its plain-text part. */
interface TransactionalModule<P> {
  default: FunctionComponent<P>;
  subject(props: P): string;
  text(props: P): string;
}

const templates = {
  confirm: confirm as TransactionalModule<confirm.ConfirmEmailProps>,
  welcome: welcome as TransactionalModule<welcome.WelcomeEmailProps>,
  unsubscribed: unsubscribed as TransactionalModule<unsubscribed.UnsubscribedEmailProps>,
};

export type TransactionalKind = keyof typeof templates;
export interface TransactionalProps {
  confirm: confirm.ConfirmEmailProps;
  welcome: welcome.WelcomeEmailProps;
  unsubscribed: unsubscribed.UnsubscribedEmailProps;
}

const URL_FIELDS = ['confirmUrl', 'preferencesUrl', 'unsubscribeUrl', 'resubscribeUrl'] as const;

export class RenderError extends Error {
  override readonly name = 'RenderError';
  readonly code = 'RENDER_INVALID_INPUT' as const;
}

/** Renders a transactional email. Its links must be http(s) (an empty resubscribeUrl is left out). */
export async function renderTransactional<K extends TransactionalKind>(
  kind: K,
  props: TransactionalProps[K],
): Promise<RenderedEmail> {
  const template = templates[kind] as unknown as TransactionalModule<TransactionalProps[K]>;
  if (!template) throw new RenderError(`unknown transactional email "${kind}"`);
  const record = props as unknown as Record<string, unknown>;
  for (const field of URL_FIELDS) {
    const value = record[field];
    if (typeof value === 'string' && value !== '' && !safeUrl(value)) {
      throw new RenderError(`${kind} email: ${field} must be an http(s) URL (got ${JSON.stringify(value)})`);
    }
  }
  return {
    subject: template.subject(props),
    html: await renderReact(createElement(template.default, props)),
    text: template.text(props),
  };
}
