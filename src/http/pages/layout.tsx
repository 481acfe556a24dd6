import { createHash } from 'node:crypto';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

/**
 * The frame of every public page: one small inline stylesheet (allowed by its hash in the CSP, so
 * no 'unsafe-inline'), no scripts, large tap targets, visible focus, readable on a phone.
 */
export const STYLESHEET = `
:root{color-scheme:light dark;--fg:#1b1f24;--bg:#fff;--muted:#57606a;--accent:#0b57d0;--err:#b3261e;--line:#d0d7de}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9da7b3;--accent:#7cacf8;--err:#ff8a80;--line:#30363d}}
*{box-sizing:border-box}
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:40rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:2rem 0 .5rem;padding-top:1rem;border-top:1px solid var(--line)}
a{color:var(--accent)}
.brand{font-weight:700;text-decoration:none;color:var(--fg)}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
.hint{display:block;color:var(--muted);font-size:.9rem;font-weight:400}
input[type=email],input[type=text],input[type=number],select{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid var(--muted);border-radius:.4rem;background:var(--bg);color:var(--fg)}
input[aria-invalid=true],select[aria-invalid=true]{border-color:var(--err);border-width:2px}
.error{color:var(--err);font-weight:600;margin:.25rem 0 0}
fieldset{border:1px solid var(--line);border-radius:.4rem;margin:1rem 0;padding:.5rem 1rem 1rem}
legend{font-weight:600;padding:0 .25rem}
.choice{display:flex;gap:.5rem;align-items:center;font-weight:400;margin:.4rem 0}
button,.button{display:inline-block;font:inherit;font-weight:600;padding:.7rem 1.2rem;margin:1rem .5rem 0 0;border-radius:.4rem;border:2px solid var(--accent);background:var(--accent);color:var(--bg);cursor:pointer;text-decoration:none;min-height:44px}
button.secondary,.button.secondary{background:transparent;color:var(--accent)}
button.danger{background:var(--err);border-color:var(--err)}
:focus-visible{outline:3px solid var(--accent);outline-offset:3px}
.notice{border-left:4px solid var(--accent);padding:.5rem 1rem;margin:1rem 0;background:color-mix(in srgb,var(--accent) 8%,transparent)}
.notice.bad{border-color:var(--err)}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace}
footer{color:var(--muted);font-size:.85rem;margin-top:3rem}
`;

/** The CSP source that allows exactly this stylesheet. */
export const STYLESHEET_HASH = `'sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}'`;

export function Layout(props: { title: string; children: ReactNode; senderName: string }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · ${props.senderName}`}</title>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: a constant of this file, hashed into the CSP */}
        <style dangerouslySetInnerHTML={{ __html: STYLESHEET }} />
      </head>
      <body>
        <main>
          <a className="brand" href="/">
            {props.senderName}
          </a>
          {props.children}
          <footer>
            No accounts or passwords: the links in your emails are your keys. Keep them to yourself.
          </footer>
        </main>
      </body>
    </html>
  );
}

export function renderPage(element: ReactNode): string {
  return `<!doctype html>${renderToStaticMarkup(element)}`;
}
