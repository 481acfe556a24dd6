import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const base = { NODE_ENV: 'test', SIGNING_SECRET: 'x'.repeat(32) };

describe('loadConfig', () => {
  it('gives working defaults with nothing set but a secret', () => {
    const config = loadConfig(base);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.mail.transport).toBe('outbox');
    expect(config.port).toBe(3000);
    expect(config.sendRatePerSecond).toBe(2);
    expect(config.mail.unsubscribeMailto).toBe('unsubscribe@paperboy.localhost');
  });

  it('names every bad variable, with what was given', () => {
    let error: unknown;
    try {
      loadConfig({ ...base, PORT: 'eighty', DATABASE_URL: 'not a url', MAIL_TRANSPORT: 'smtp' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/PORT: .*"eighty"/);
    expect(message).toMatch(/DATABASE_URL: must be a URL/);
    expect(message).toMatch(/MAIL_TRANSPORT: must be 'resend' or 'outbox'/);
    expect((error as ConfigError).problems).toHaveLength(3);
  });

  it('requires a Resend key for the Resend transport and a secret in production', () => {
    expect(() => loadConfig({ ...base, MAIL_TRANSPORT: 'resend' })).toThrow(/RESEND_API_KEY/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/SIGNING_SECRET/);
    expect(() => loadConfig({ ...base, RESEND_WEBHOOK_SECRET: 'abc' })).toThrow(/whsec_/);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ ...base, DATABASE_URL: '', REDIS_URL: ' ' }).redisUrl).toBeUndefined();
  });
});
