import { type Config, loadConfig } from '../../src/config.js';

/** A Config for tests: fixed secrets, outbox transport, nothing read from the real environment. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
    PUBLIC_URL: 'http://paperboy.test',
    MAIL_FROM: 'paperboy <digest@paperboy.test>',
    MAIL_TRANSPORT: 'outbox',
    LOG_LEVEL: 'silent',
    ...overrides,
  });
}
