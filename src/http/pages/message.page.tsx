import type { ReactNode } from 'react';
import { Layout } from './layout.js';

/** A page that says one thing and, optionally, offers one button (a form, so it works without JS). */
export function MessagePage(props: {
  senderName: string;
  title: string;
  children?: ReactNode;
  action?: { url: string; label: string; fields?: Record<string, string>; style?: 'secondary' | 'danger' };
}) {
  return (
    <Layout title={props.title} senderName={props.senderName}>
      <h1>{props.title}</h1>
      {props.children}
      {props.action && (
        <form method="post" action={props.action.url}>
          {Object.entries(props.action.fields ?? {}).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <button type="submit" className={props.action.style}>
            {props.action.label}
          </button>
        </form>
      )}
    </Layout>
  );
}

/** The one page for every bad link: tampered, foreign, wrong purpose, expired or revoked alike. */
export function NotFoundPage({ senderName }: { senderName: string }) {
  return (
    <MessagePage senderName={senderName} title="Page not found">
      <p>This link does not work. It may be mistyped, or replaced by a newer one.</p>
      <p>
        Every email we send carries fresh links at the bottom. <a href="/">Go to the sign-up page</a>
      </p>
    </MessagePage>
  );
}
