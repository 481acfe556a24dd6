import { render } from '@react-email/render';
import type { ReactElement } from 'react';

/**
 * React Email → HTML. `pretty: false`: the fast path fills rendered HTML, and prettier would
 * reflow it around the values.
 */
export function renderReact(element: ReactElement): Promise<string> {
  return render(element, { pretty: false });
}

/** @react-email/render prefixes every document with this doctype. */
const DOCTYPE =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">';

/** A fragment (one paper's block) rendered the same way as inside the whole document. */
export async function renderReactFragment(element: ReactElement): Promise<string> {
  const html = await renderReact(element);
  // render() wraps everything in a Suspense boundary, whose markers are not part of the fragment.
  const open = `${DOCTYPE}<!--$-->`;
  const close = '<!--/$-->';
  if (!html.startsWith(open) || !html.endsWith(close)) {
    throw new Error('@react-email/render: unexpected wrapping around a rendered fragment');
  }
  return html.slice(open.length, html.length - close.length);
}
