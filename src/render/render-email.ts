import type { DigestInput, RenderedEmail } from './digest.types.js';
import { renderDigest } from './render-digest.js';
import { renderTransactional, type TransactionalKind, type TransactionalProps } from './transactional.js';

/** Any email paperboy sends: a digest, or one of the transactional emails with its props. */
export type EmailRequest =
  | { kind: 'digest'; input: DigestInput }
  | { [K in TransactionalKind]: { kind: K; props: TransactionalProps[K] } }[TransactionalKind];

/** One entry point for every template: `{ subject, html, text }` (no html for text-only digests). */
export function renderEmail(request: EmailRequest): Promise<RenderedEmail> {
  if (request.kind === 'digest') return renderDigest(request.input);
  return renderTransactional(request.kind, request.props as never);
}
