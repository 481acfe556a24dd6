import { describe, expect, it } from 'vitest';
import {
  PURPOSES,
  type Purpose,
  type Secrets,
  signToken,
  type TokenClaims,
  verifyToken,
} from '../../src/links/tokens.js';
import { rng } from '../support/generate.js';

/**
 * Mutates valid tokens 10,000 ways and checks that none is accepted, the way resolveToken accepts:
 * genuine, of the expected purpose, unexpired, and of the subscriber's current token version.
 */

const OLD = 'previous-secret-0123456789abcdef-previous';
const CURRENT = 'current-secret-0123456789abcdef-current!!';
const secrets: Secrets = { current: CURRENT, previous: OLD };
const NOW = new Date('2026-11-29T10:00:00Z');
const nowSeconds = Math.floor(NOW.getTime() / 1000);
/** The "database": subscriber id → current token version. */
const versions = new Map<string, number>([
  ['1', 3],
  ['2', 1],
  ['42', 7],
  ['1000001', 2],
]);

function accepted(token: string, purpose: Purpose): TokenClaims | undefined {
  const claims = verifyToken(secrets, token, purpose, NOW);
  if (!claims) return undefined;
  return versions.get(claims.subscriberId) === claims.version ? claims : undefined;
}

const random = rng(20261129);
const int = (n: number) => Math.floor(random() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/% ';

function validClaims(): TokenClaims {
  const [id, version] = pick([...versions.entries()]);
  const purpose = pick(PURPOSES);
  const subject =
    purpose === 'feedback'
      ? `2611.${10000 + int(900)}:${pick(['more', 'less'])}`
      : purpose === 'view'
        ? '2026-11-27'
        : undefined;
  const expiresAt = purpose === 'confirm' ? nowSeconds + 7 * 24 * 3600 : undefined;
  return {
    purpose,
    subscriberId: id,
    version,
    ...(subject ? { subject } : {}),
    ...(expiresAt ? { expiresAt } : {}),
  };
}

const decode = (part: string) => Buffer.from(part, 'base64url');
const encode = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url');
const payloadOf = (token: string) => decode(token.split('.')[0] as string).toString();
const macOf = (token: string) => token.split('.')[1] as string;
const withPayload = (token: string, payload: string) => `${encode(payload)}.${macOf(token)}`;

type Mutation = (token: string, claims: TokenClaims) => { token: string; purpose?: Purpose } | undefined;

const mutations: Record<string, Mutation> = {
  'flip a bit of the text': (t) => {
    const i = int(t.length);
    const flipped = String.fromCharCode(t.charCodeAt(i) ^ (1 << int(7)));
    return { token: t.slice(0, i) + flipped + t.slice(i + 1) };
  },
  'flip a bit of the payload bytes': (t) => {
    const bytes = decode(t.split('.')[0] as string);
    const i = int(bytes.length);
    bytes[i] = (bytes[i] as number) ^ (1 << int(8));
    return { token: `${encode(bytes)}.${macOf(t)}` };
  },
  'flip a bit of the mac bytes': (t) => {
    const bytes = decode(macOf(t));
    const i = int(bytes.length);
    bytes[i] = (bytes[i] as number) ^ (1 << int(8));
    return { token: `${t.split('.')[0]}.${encode(bytes)}` };
  },
  truncate: (t) => ({ token: t.slice(0, int(t.length)) }),
  'drop from the front': (t) => ({ token: t.slice(1 + int(t.length - 1)) }),
  extend: (t) => ({ token: t + Array.from({ length: 1 + int(6) }, () => pick([...ALPHABET])).join('') }),
  'base64 padding': (t) => ({ token: `${t}=` }),
  'swap payload and mac': (t) => ({ token: `${macOf(t)}.${t.split('.')[0]}` }),
  "another token's mac": (t) => {
    const other = signToken(secrets, validClaims());
    // The same claims under the other secret would be genuine: only a different payload's mac counts.
    return payloadOf(other) === payloadOf(t) ? undefined : { token: `${t.split('.')[0]}.${macOf(other)}` };
  },
  're-encode as standard base64': (t) => {
    const [p, m] = t.split('.') as [string, string];
    const std = (s: string) => decode(s).toString('base64');
    const token = `${std(p)}.${std(m)}`;
    return token === t ? undefined : { token };
  },
  'percent-encode a character': (t) => {
    const i = int(t.length);
    return {
      token:
        t.slice(0, i) +
        encodeURIComponent(t[i] as string).replace(
          /^[A-Za-z0-9_.-]$/,
          (c) => `%${c.charCodeAt(0).toString(16)}`,
        ) +
        t.slice(i + 1),
    };
  },
  'change case': (t) => {
    const token = random() < 0.5 ? t.toUpperCase() : t.toLowerCase();
    return token === t ? undefined : { token };
  },
  'other purpose expected': (t, c) => ({ token: t, purpose: pick(PURPOSES.filter((p) => p !== c.purpose)) }),
  'other subscriber in the payload': (t, c) => {
    const other = pick([...versions.keys()].filter((id) => id !== c.subscriberId));
    return { token: withPayload(t, payloadOf(t).replace(/^(\w+)\.\d+\./, `$1.${other}.`)) };
  },
  'other version in the payload': (t, c) => {
    const parts = payloadOf(t).split('.');
    parts[2] = String(c.version + 1 + int(5));
    return { token: withPayload(t, parts.join('.')) };
  },
  'expiry removed from the payload': (t, c) => {
    if (!c.expiresAt) return undefined;
    const parts = payloadOf(t).split('.');
    parts[3] = '0';
    return { token: withPayload(t, parts.join('.')) };
  },
  'other subject in the payload': (t, c) => {
    if (!c.subject) return undefined;
    return {
      token: withPayload(
        t,
        payloadOf(t)
          .replace(/more$|less$/, (v) => (v === 'more' ? 'less' : 'more'))
          .replace(/2026-11-27$/, '2026-11-28'),
      ),
    };
  },
  'genuine but an old version': (_t, c) => ({
    token: signToken(secrets, { ...c, version: c.version - 1 - int(c.version) }),
  }),
  'genuine but a newer version': (_t, c) => ({ token: signToken(secrets, { ...c, version: c.version + 1 }) }),
  'genuine but an unknown subscriber': (_t, c) => ({
    token: signToken(secrets, { ...c, subscriberId: String(5000 + int(1000)) }),
  }),
  'genuine but expired': (_t, c) => ({
    token: signToken(secrets, { ...c, expiresAt: nowSeconds - 1 - int(1_000_000) }),
  }),
  'signed with another secret': (_t, c) => ({
    token: signToken({ current: `other-${int(1e9)}-secret-0123456789abcdef` }, c),
  }),
  'signed with an empty secret': (_t, c) => ({ token: signToken({ current: '' }, c) }),
  'non-canonical numbers': (t, c) => {
    const parts = payloadOf(t).split('.');
    parts[2] = `0${c.version}`;
    return { token: withPayload(t, parts.join('.')) };
  },
};

describe('signed tokens under mutation', () => {
  it('accepts valid tokens under the current and the previous secret', () => {
    for (let i = 0; i < 500; i++) {
      const claims = validClaims();
      const underPrevious = signToken({ current: OLD }, claims);
      for (const token of [signToken(secrets, claims), underPrevious]) {
        const got = accepted(token, claims.purpose);
        expect(got).toEqual(claims);
      }
    }
  });

  it('accepts none of 10,000 mutated tokens', () => {
    const names = Object.keys(mutations);
    const tried = new Map<string, number>();
    const wrongly: string[] = [];
    let count = 0;
    while (count < 10_000) {
      const claims = validClaims();
      const original = signToken(random() < 0.5 ? secrets : { current: OLD }, claims);
      const name = names[count % names.length] as string;
      const mutated = (mutations[name] as Mutation)(original, claims);
      if (!mutated || (mutated.token === original && !mutated.purpose)) continue;
      count++;
      tried.set(name, (tried.get(name) ?? 0) + 1);
      if (accepted(mutated.token, mutated.purpose ?? claims.purpose))
        wrongly.push(`${name}: ${mutated.token}`);
    }
    expect(wrongly).toEqual([]);
    expect(count).toBe(10_000);
    // Every kind of mutation really ran, many times.
    for (const name of names) expect(tried.get(name) ?? 0, name).toBeGreaterThan(100);
  });
});
