import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { classifyEvent, emailEventPolicy } from '../../src/delivery/email-events.service.js';

const base = { NODE_ENV: 'test', SIGNING_SECRET: 'x'.repeat(32) };

describe('bounce policy configuration', () => {
  it('defaults to suppress after 3 soft bounces in 30 days, and suppress-only on a hard bounce', () => {
    expect(emailEventPolicy(loadConfig(base))).toEqual({
      hardBounce: 'suppress',
      softBounceLimit: 3,
      softBounceWindowDays: 30,
    });
  });

  it('reads BOUNCE_ACTION and the soft-bounce limits, and names a bad value', () => {
    const config = loadConfig({
      ...base,
      BOUNCE_ACTION: 'unsubscribe',
      SOFT_BOUNCE_LIMIT: '5',
      SOFT_BOUNCE_WINDOW_DAYS: '7',
    });
    expect(emailEventPolicy(config)).toEqual({
      hardBounce: 'unsubscribe',
      softBounceLimit: 5,
      softBounceWindowDays: 7,
    });
    expect(() => loadConfig({ ...base, BOUNCE_ACTION: 'delete' })).toThrow(
      /BOUNCE_ACTION: must be 'suppress' or 'unsubscribe'/,
    );
    expect(() => loadConfig({ ...base, SOFT_BOUNCE_LIMIT: '0' })).toThrow(
      /SOFT_BOUNCE_LIMIT: must be at least 1/,
    );
  });
});

describe('classifying Resend events', () => {
  const bounce = (bounceData?: unknown) =>
    classifyEvent({ type: 'email.bounced', data: bounceData === undefined ? {} : { bounce: bounceData } });

  it('treats email.bounced as permanent unless its bounce type says transient', () => {
    expect(bounce()).toBe('hard_bounce');
    expect(bounce({ type: 'Permanent', subType: 'General' })).toBe('hard_bounce');
    expect(bounce({ type: 'Undetermined' })).toBe('hard_bounce');
    expect(bounce({ type: 'Transient', subType: 'MailboxFull' })).toBe('soft_bounce');
    expect(bounce({ type: 'temporary' })).toBe('soft_bounce');
    expect(bounce('not an object')).toBe('hard_bounce');
  });

  it('maps each event type to its kind, and anything else to ignored', () => {
    const kinds = [
      'email.sent',
      'email.delivered',
      'email.opened',
      'email.clicked',
      'email.delivery_delayed',
      'email.complained',
      'email.suppressed',
      'email.failed',
      'contact.created',
      'email.received',
    ].map((type) => classifyEvent({ type }));
    expect(kinds).toEqual([
      'sent',
      'delivered',
      'opened',
      'clicked',
      'delayed',
      'complaint',
      'suppressed',
      'failed',
      'ignored',
      'ignored',
    ]);
  });
});
