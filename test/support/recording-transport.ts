import {
  collectingBatch,
  type OutgoingBatch,
  type OutgoingEmail,
  type SendOutcome,
  type Transport,
} from '../../src/delivery/transport.js';

/** A Transport that keeps what it is given, for page tests that only need to read the email. */
export class RecordingTransport implements Transport {
  readonly name = 'recording';
  readonly sent: OutgoingEmail[] = [];
  failNext = false;

  async send(email: OutgoingEmail): Promise<SendOutcome> {
    if (this.failNext) {
      this.failNext = false;
      return { ok: false, kind: 'transient', message: 'failing on purpose' };
    }
    this.sent.push(email);
    return { ok: true, id: `rec-${this.sent.length}` };
  }

  batch(): OutgoingBatch {
    return collectingBatch(async (emails, options) => {
      await options?.beforeCall?.();
      const ids: string[] = [];
      for (const email of emails) ids.push(((await this.send(email)) as { id: string }).id);
      return { ok: true, ids };
    });
  }

  to(address: string): OutgoingEmail[] {
    return this.sent.filter((e) => e.to.toLowerCase() === address.toLowerCase());
  }
}

/** Polls until `check` returns a value (work done after a reply, such as sign-up emails). */
export async function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`waitFor: nothing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
