import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerSuppressions } from '../../src/cli/suppressions.command.js';
import { suppress, suppressedAmong } from '../../src/subscribers/suppressions.repository.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  // createContext() reads the environment, as the real CLI does.
  process.env.DATABASE_URL = t.url;
  process.env.USER = 'operator-ann';
});

afterAll(async () => {
  await t?.drop();
});

/** Runs `paperboy suppressions …` in this process; returns what it printed. */
async function suppressions(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerSuppressions(program);
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
  try {
    await program.parseAsync(['suppressions', ...args], { from: 'user' });
  } finally {
    log.mockRestore();
  }
  return printed.join('\n');
}

describe('paperboy suppressions', () => {
  it('lists, adds and removes entries, keeping removed ones as history', async () => {
    await suppress(t.db, 'bounced@example.org', 'hard_bounce', 'Permanent/General: 550 user unknown');

    const list = await suppressions('list');
    expect(list).toMatch(/^EMAIL\s+REASON\s+DETAIL\s+SINCE\n/);
    expect(list).toMatch(/bounced@example\.org\s+hard_bounce\s+Permanent\/General: 550 user unknown/);

    expect(await suppressions('add', 'Typo@Example.org', '--reason', 'asked us by phone')).toMatch(
      /^Suppressed/,
    );
    expect((await suppressedAmong(t.db, ['typo@example.org'])).size).toBe(1);
    expect(await suppressions('add', 'typo@example.org', '--reason', 'again')).toMatch(
      /already suppressed \(manual/,
    );

    await expect(suppressions('remove', 'bounced@example.org', '--reason', '  ')).rejects.toThrow(
      /--reason must say why/,
    );
    await expect(suppressions('add', 'not-an-address', '--reason', 'x')).rejects.toThrow(
      /not an email address/,
    );

    await suppressions('remove', 'BOUNCED@example.org', '--reason', 'mailbox exists again');
    expect((await suppressedAmong(t.db, ['bounced@example.org'])).size).toBe(0);

    const active = await suppressions('list');
    expect(active).not.toMatch(/bounced@example\.org/);
    expect(active).toMatch(/Typo@Example\.org\s+manual\s+asked us by phone/);

    const all = await suppressions('list', '--all');
    expect(all).toMatch(/REMOVED/);
    expect(all).toMatch(/bounced@example\.org.* by operator-ann: mailbox exists again/);
  });

  it('through the real binary: a missing reason and an unknown address fail with a clear message', async () => {
    const run = async (...args: string[]) => {
      try {
        await promisify(execFile)(process.execPath, ['bin/paperboy.js', 'suppressions', ...args], {
          env: { ...process.env, LOG_LEVEL: 'silent' },
        });
        return { code: 0, stderr: '' };
      } catch (error) {
        return error as { code: number; stderr: string };
      }
    };
    const [noReason, unknown] = await Promise.all([
      run('remove', 'nobody@example.org'),
      run('remove', 'nobody@example.org', '--reason', 'fixed'),
    ]);
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toMatch(/required option '--reason <text>'/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe(
      'paperboy: nobody@example.org is not suppressed (see: paperboy suppressions list --all)\n',
    );
  }, 60_000);
});
