import { describe, expect, it } from 'vitest';
import { renderEmail } from '../../src/render/render-email.js';
import { renderTransactional } from '../../src/render/transactional.js';
import { PreviewProps as confirmProps } from '../../templates/confirm.email.js';
import { PreviewProps as unsubscribedProps } from '../../templates/unsubscribed.email.js';
import { PreviewProps as welcomeProps } from '../../templates/welcome.email.js';
import { digestInput, ranked } from '../support/digests.js';
import { generatePapers } from '../support/generate.js';
import { dangerousParts, hrefs, textOf } from '../support/html.js';

describe('transactional emails', () => {
  it('confirm: a big button to the confirm link, expiry in 7 days, in HTML and text', async () => {
    const email = await renderTransactional('confirm', { ...confirmProps, email: '<b>x</b>@example.org' });
    expect(email.subject).toBe('Confirm your paperboy subscription');
    expect(hrefs(email.html!).filter((h) => h === confirmProps.confirmUrl).length).toBe(2);
    expect(textOf(email.html!)).toContain('expires in 7 days');
    expect(textOf(email.html!)).toContain('<b>x</b>@example.org');
    expect(dangerousParts(email.html!).injected + dangerousParts(email.html!).scripts.length).toBe(0);
    expect(email.text).toContain(`\n${confirmProps.confirmUrl}\n`);
    expect(email.text).toContain('expires in 7 days');
    expect(email.text).toContain('1 Example Street');
  });

  it('welcome: topics, schedule, preferences and unsubscribe links', async () => {
    const email = await renderTransactional('welcome', welcomeProps);
    expect(email.subject).toBe('Welcome to paperboy');
    expect(hrefs(email.html!)).toEqual(
      expect.arrayContaining([welcomeProps.preferencesUrl, welcomeProps.unsubscribeUrl]),
    );
    expect(textOf(email.html!)).toContain('multi-agent, reinforcement learning');
    expect(email.text).toContain(`Unsubscribe: ${welcomeProps.unsubscribeUrl}`);
    const none = await renderTransactional('welcome', { ...welcomeProps, topics: [] });
    expect(none.text).toContain('most popular papers of the day');
  });

  it('unsubscribed: a short note, the resubscribe button only when there is a link', async () => {
    const email = await renderTransactional('unsubscribed', unsubscribedProps);
    expect(email.subject).toBe('You are unsubscribed from paperboy');
    expect(hrefs(email.html!)).toContain(unsubscribedProps.resubscribeUrl);
    const bare = await renderTransactional('unsubscribed', { ...unsubscribedProps, resubscribeUrl: '' });
    expect(hrefs(bare.html!)).toEqual([]);
    expect(bare.text).not.toContain('Subscribe again');
  });

  it('refuses a non-http(s) link, naming the field', async () => {
    await expect(
      renderTransactional('confirm', { ...confirmProps, confirmUrl: 'javascript:alert(1)' }),
    ).rejects.toThrow(/confirm email: confirmUrl must be an http\(s\) URL/);
  });
});

describe('renderEmail', () => {
  it('renders digests and transactional emails through one entry point', async () => {
    const digest = await renderEmail({ kind: 'digest', input: digestInput(ranked(generatePapers(2))) });
    expect(digest.subject).toMatch(/^26 Nov 2026: .+ \+ 1 more$/);
    const welcome = await renderEmail({ kind: 'welcome', props: welcomeProps });
    expect(welcome.subject).toBe('Welcome to paperboy');
  });
});
