import { Layout } from './layout.js';

export interface SignupPageProps {
  senderName: string;
  values?: { email?: string; topics?: string };
  errors?: { email?: string; topics?: string };
}

/** GET /: the sign-up form. Errors appear beside their field, and what was typed is kept. */
export function SignupPage({ senderName, values = {}, errors = {} }: SignupPageProps) {
  return (
    <Layout title="Subscribe" senderName={senderName}>
      <h1>The new research papers that matter to you, every morning</h1>
      <p>
        Each day&apos;s most discussed papers, ranked for your interests, in one short email. Free, and one
        click to leave.
      </p>
      <form method="post" action="/subscribe" noValidate>
        <label htmlFor="email">
          Email address
          <span className="hint">We send a link to confirm it; nothing else until you do.</span>
        </label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          required
          maxLength={254}
          defaultValue={values.email ?? ''}
          aria-invalid={errors.email ? 'true' : undefined}
          aria-describedby={errors.email ? 'email-error' : undefined}
        />
        {errors.email && (
          <p className="error" id="email-error">
            {errors.email}
          </p>
        )}
        <label htmlFor="topics">
          Interests (optional)
          <span className="hint">Comma-separated, e.g. reinforcement learning, multi-agent, diffusion</span>
        </label>
        <input
          id="topics"
          name="topics"
          type="text"
          maxLength={2000}
          defaultValue={values.topics ?? ''}
          aria-invalid={errors.topics ? 'true' : undefined}
          aria-describedby={errors.topics ? 'topics-error' : undefined}
        />
        {errors.topics && (
          <p className="error" id="topics-error">
            {errors.topics}
          </p>
        )}
        <button type="submit">Subscribe</button>
      </form>
    </Layout>
  );
}

/** After POST /subscribe: the same words whether the address is new, pending, active or suppressed. */
export function CheckInboxPage({ senderName }: { senderName: string }) {
  return (
    <Layout title="Check your inbox" senderName={senderName}>
      <h1>Check your inbox</h1>
      <p role="status">
        If that address can receive our email, a message with a confirmation link is on its way. The link
        works for 7 days. Nothing arrives? Look in the spam folder, or ask again in a few minutes.
      </p>
      <p>
        <a href="/">Back to the sign-up page</a>
      </p>
    </Layout>
  );
}
