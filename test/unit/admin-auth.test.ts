import { describe, expect, it } from 'vitest';
import {
  authenticate,
  cleanName,
  csrfToken,
  readCookie,
  SESSION_COOKIE,
  SESSION_TTL_SECONDS,
  safeEqual,
  sessionValue,
} from '../../src/http/admin/auth.js';

const TOKEN = 'unit-admin-token-0123456789';
const NOW = 1_800_000_000;
const cookie = (value: string) => ({ cookie: `other=1; ${SESSION_COOKIE}=${value}; x=y` });

describe('admin authentication', () => {
  it('compares strings of any length without throwing', () => {
    expect(safeEqual(TOKEN, TOKEN)).toBe(true);
    expect(safeEqual('', TOKEN)).toBe(false);
    expect(safeEqual(`${TOKEN}x`, TOKEN)).toBe(false);
  });

  it('accepts a session for its lifetime only, and only under the token that signed it', () => {
    const value = sessionValue(TOKEN, 'Ada', NOW);
    expect(authenticate(TOKEN, cookie(value), NOW + 60)).toEqual({ name: 'Ada', via: 'session' });
    expect(authenticate(TOKEN, cookie(value), NOW + SESSION_TTL_SECONDS + 1)).toBeNull();
    expect(authenticate(`${TOKEN}-rotated`, cookie(value), NOW + 60)).toBeNull();
    const [who, issued, mac] = value.split('.');
    const otherName = Buffer.from('Mallory').toString('base64url');
    expect(authenticate(TOKEN, cookie(`${otherName}.${issued}.${mac}`), NOW + 60)).toBeNull();
    expect(authenticate(TOKEN, cookie(`${who}.${Number(issued) + 1000}.${mac}`), NOW + 60)).toBeNull();
    expect(authenticate(TOKEN, cookie('garbage'), NOW)).toBeNull();
  });

  it('reads bearer and basic credentials, and a malformed header gets nothing', () => {
    expect(authenticate(TOKEN, { authorization: `Bearer ${TOKEN}` })).toEqual({
      name: 'bearer',
      via: 'bearer',
    });
    const basic = Buffer.from(`grace:${TOKEN}`).toString('base64');
    expect(authenticate(TOKEN, { authorization: `Basic ${basic}` })).toEqual({ name: 'grace', via: 'basic' });
    expect(authenticate(TOKEN, { authorization: 'Basic !!!' })).toBeNull();
    expect(authenticate(TOKEN, { authorization: 'Digest abc' })).toBeNull();
  });

  it('keeps names printable and short, and the CSRF token tied to the admin token', () => {
    expect(cleanName('Ada <script>\n; Lovelace')).toBe('Ada script Lovelace');
    expect(cleanName('')).toBe('operator');
    expect(cleanName('x'.repeat(100))).toHaveLength(40);
    expect(csrfToken(TOKEN)).not.toBe(csrfToken(`${TOKEN}2`));
    expect(readCookie('a=1; b=two%20words', 'b')).toBe('two words');
    expect(readCookie(undefined, 'b')).toBeUndefined();
  });
});
