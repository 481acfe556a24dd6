import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildEml } from './eml.js';
import { collectingBatch, type OutgoingEmail, type Transport } from './transport.js';

/**
 * The Transport for the demo and local work (MAIL_TRANSPORT=outbox): each email becomes a complete
 * .eml (every header, as a mail client would receive it) and an .html beside it, under
 * `<outboxDir>/<edition date>/`. Idempotent like Resend: a key already written returns its first
 * ids and writes nothing.
 */
export function createOutboxTransport(outboxDir: string): Transport {
  const keysDir = path.join(outboxDir, '.keys');

  async function write(email: OutgoingEmail, id: string): Promise<void> {
    const date = email.tags.find((t) => t.name === 'edition')?.value ?? new Date().toISOString().slice(0, 10);
    const dir = path.join(outboxDir, date);
    await mkdir(dir, { recursive: true });
    const base = path.join(dir, email.to.toLowerCase().replace(/[^a-z0-9@._+-]/g, '_'));
    const eml = await buildEml(email, `<${id}@paperboy.outbox>`);
    await writeFile(`${base}.eml`, eml);
    if (email.html) await writeFile(`${base}.html`, email.html);
  }

  async function once(key: string, emails: OutgoingEmail[]): Promise<string[]> {
    const file = path.join(keysDir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`);
    if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as string[];
    const ids = emails.map((_, i) => createHash('sha256').update(`${key}/${i}`).digest('hex').slice(0, 24));
    for (const [i, email] of emails.entries()) await write(email, ids[i]!);
    await mkdir(keysDir, { recursive: true });
    // Written last and renamed into place: a crash half way leaves no key, so the retry rewrites all.
    await writeFile(`${file}.tmp`, JSON.stringify(ids));
    await rename(`${file}.tmp`, file);
    return ids;
  }

  return {
    name: 'outbox',
    batch(idempotencyKey) {
      return collectingBatch(async (emails, options) => {
        if (emails.length > 100)
          return { ok: false, kind: 'permanent', message: 'A batch holds at most 100 emails' };
        await options?.beforeCall?.();
        return { ok: true, ids: await once(idempotencyKey, emails) };
      });
    },
    async send(email, idempotencyKey) {
      const key =
        idempotencyKey ?? `single/${createHash('sha256').update(JSON.stringify(email)).digest('hex')}`;
      const [id] = await once(key, [email]);
      return { ok: true, id: id! };
    },
  };
}
